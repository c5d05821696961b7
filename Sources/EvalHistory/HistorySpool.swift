import EvalCore
import Foundation

/// Records that could not be stored, one JSON file each (named by run id, so they flush in run order),
/// kept until a later run reaches the store. A flush claims each file by renaming it first, so two runs
/// flushing at once never append the same record twice (and the store ignores a run id it already has).
public struct HistorySpool: Sendable {
  /// The spool folder (`.evalgate/history-spool`).
  public var directory: String

  /// A spool in `directory`.
  public init(directory: String) { self.directory = directory }

  /// The default spool beside the default history.
  public static func defaultSpool(in directory: String = ".") -> HistorySpool {
    HistorySpool(directory: directory == "." ? ".evalgate/history-spool" : directory + "/.evalgate/history-spool")
  }

  /// Keeps `record` for a later flush (written to a temporary name, then renamed).
  public func keep(_ record: RunRecord) throws { try keep(RunRecordDraft(record)) }

  /// Keeps `draft`'s record for a later flush (written piece by piece to a temporary name, then renamed).
  public func keep(_ draft: RunRecordDraft) throws {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let name = Self.fileName(draft.header.id)
    let temporary = directory + "/.\(name).\(getpid()).tmp"
    guard FileManager.default.createFile(atPath: temporary, contents: nil) else {
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary])
    }
    do {
      let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
      defer { try? handle.close() }
      try draft.write(to: handle)
    } catch {
      unlink(temporary)
      throw error
    }
    guard rename(temporary, directory + "/" + name) == 0 else {
      let code = errno
      unlink(temporary)
      throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(code))])
    }
  }

  /// The run ids waiting, in run order.
  public var pending: [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
      .filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
  }

  /// Appends every waiting record to `store`, oldest first, removing each once stored. Returns how many
  /// were flushed; stops at the first failure (the rest stay for the next run).
  public func flush(into store: any HistoryStore) async throws -> Int {
    var flushed = 0
    for name in pending {
      let path = directory + "/" + name
      let claimed = directory + "/.\(name).claimed-\(getpid())"
      guard rename(path, claimed) == 0 else { continue }  // another run took it
      do {
        let data = try Data(contentsOf: URL(fileURLWithPath: claimed))
        let record = try AuditChain.decoder.decode(RunRecord.self, from: data)
        _ = try await store.append(record)
        unlink(claimed)
        flushed += 1
      } catch {
        rename(claimed, path)
        throw error
      }
    }
    return flushed
  }

  static func fileName(_ id: String) -> String {
    String(id.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }) + ".json"
  }
}
