import EvalCore
import EvalReports
import Foundation

/// The shards of a sharded run (`--shard i/n`) read for `evalgate merge`, a case at a time: every case
/// once (from the first shard that has it), kept as a run keeps its cases (``ResultsStream``: pieces in a
/// scratch file, passing cases packed), in report order.
public enum MergedShards {
  /// Each shard's report without its cases, every case, and what finishes `reporters` with their kept pieces.
  /// - Parameters:
  ///   - readers: the shards' results.json files.
  ///   - scratch: where the pieces' scratch file goes (the output dir).
  ///   - reporters: the merged run's artifacts (results.jsonl written in report order: the cases arrive shard
  ///     by shard).
  /// - Throws: ``Diagnostic`` for a file that is not a run's results.json.
  public static func read(
    _ readers: [ResultsFileReader], scratch: String, reporters: [any Reporter]
  ) async throws -> (shards: [RunReport], cases: CaseList, finisher: ReportFinisher) {
    let stream = ResultsStream(reporters: reporters, scratch: scratch, compact: true)
    var shards: [RunReport] = []
    var seen = CaseIDSet()
    let decoder = JSONDecoder()
    for reader in readers {
      while let bytes = try reader.nextCase() {
        let c = try reader.decodeCase(bytes, with: decoder)
        guard seen.insert(c.id) else { continue }
        await stream.append(c)
        await stream.collect(c)
      }
      shards.append(try reader.header())
    }
    var cases = await stream.takeResults()
    cases.sortInReportOrder(suiteOrder: RunReport.mergedSuiteOrder(shards))
    let finisher = await stream.finisher()
    var list = cases.take()
    // A compacted case is read back whole from its kept line where a report lists its reasons.
    let fragments = finisher.fragments
    list.wholeReader = { fragments.whole($0) }
    return (shards, list, finisher)
  }
}
