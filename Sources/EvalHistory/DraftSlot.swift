import EvalCore
import Synchronization

/// Holds a record's draft while a store's write closure (which must be `@Sendable`) seals and inserts it: the
/// caller's copy is moved in, so the draft's case bytes are referenced once and become the stored text without
/// a second copy; the draft (restored when the insert failed) is taken back after.
final class DraftSlot: Sendable {
  private let draft: Mutex<RunRecordDraft>

  init(_ draft: consuming RunRecordDraft) { self.draft = Mutex(draft) }

  /// Seals the draft after `previousHash` and hands the sealed header and text to `insert`; when `insert`
  /// throws, the draft gets its cases back before the error goes on.
  func seal<T>(
    after previousHash: String, _ insert: (_ sealed: RunRecord, _ text: String) throws -> T
  ) throws -> T {
    try draft.withLock { draft in
      let made = try draft.seal(after: previousHash)
      do {
        return try insert(made.record, made.text)
      } catch {
        try draft.restore(made)
        throw error
      }
    }
  }

  /// The draft's header as it is now.
  var header: RunRecord { draft.withLock { $0.header } }

  /// The draft, moved out (the slot is left with an empty one).
  func take() -> RunRecordDraft {
    draft.withLock { draft in
      var out = RunRecordDraft(draft.header)
      swap(&out, &draft)
      return out
    }
  }
}
