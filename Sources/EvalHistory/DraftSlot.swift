import EvalCore
import Synchronization

/// Holds a record's draft while a store's write closure (which must be `@Sendable`) seals and inserts it: the
/// caller's copy is moved in, so the draft's case bytes are referenced once and become the stored text without
/// a second copy; the draft is taken back after, with its cases again unless the write was committed.
final class DraftSlot: Sendable {
  private let state: Mutex<(draft: RunRecordDraft, sealed: (record: RunRecord, text: String)?)>

  init(_ draft: consuming RunRecordDraft) { state = Mutex((draft, nil)) }

  /// Seals the draft after `previousHash` and hands the sealed header and text to `insert`; when `insert`
  /// throws, the draft gets its cases back before the error goes on. The text is kept until ``committed()``.
  func seal<T>(
    after previousHash: String, _ insert: (_ sealed: RunRecord, _ text: String) throws -> T
  ) throws -> T {
    try state.withLock { state in
      let made = try state.draft.seal(after: previousHash)
      do {
        let value = try insert(made.record, made.text)
        state.sealed = made
        return value
      } catch {
        try state.draft.restore(made)
        throw error
      }
    }
  }

  /// The write that inserted the sealed text was committed: the text is let go.
  func committed() { state.withLock { $0.sealed = nil } }

  /// The draft's header as it is now.
  var header: RunRecord { state.withLock { $0.draft.header } }

  /// The draft, moved out (the slot is left with an empty one); a draft sealed into a write that was not
  /// committed gets its cases back first.
  func take() -> RunRecordDraft {
    state.withLock { state in
      if let sealed = state.sealed {
        try? state.draft.restore(sealed)
        state.sealed = nil
      }
      var out = RunRecordDraft(state.draft.header)
      swap(&out, &state.draft)
      return out
    }
  }
}
