import EvalCore
import EvalReports
import Foundation

/// The shards of a sharded run (`--shard i/n`) read for `evalgate merge`, a case at a time: every case
/// once (from the first shard that has it), kept as a run keeps its cases (``ResultsStream``: pieces in a
/// scratch file, passing cases packed), in report order.
public enum MergedShards {
  /// Each shard's report without its cases, every case, and their kept pieces.
  /// - Parameters:
  ///   - readers: the shards' results.json files.
  ///   - scratch: where the pieces' scratch file goes (the output dir).
  ///   - junit: the JUnit report the pieces are rendered for.
  /// - Throws: ``Diagnostic`` for a file that is not a run's results.json.
  public static func read(
    _ readers: [ResultsFileReader], scratch: String, junit: JUnitReport
  ) async throws -> (shards: [RunReport], cases: CaseList, fragments: CaseFragments) {
    let stream = ResultsStream(scratch: scratch, junit: junit, compact: true)
    var shards: [RunReport] = []
    var seen = CaseIDSet()
    let decoder = JSONDecoder()
    for reader in readers {
      while let bytes = try reader.nextCase() {
        let c: CaseResult
        do {
          c = try decoder.decode(CaseResult.self, from: Data(bytes))
        } catch {
          throw Diagnostic(
            "cannot read results (\(BaselineFile.describe(error)))",
            at: SourceLocation(file: reader.path, line: 1, column: 1))
        }
        guard seen.insert(c.id) else { continue }
        await stream.append(c)
        await stream.collect(c)
      }
      shards.append(try reader.header())
    }
    var cases = await stream.takeResults()
    cases.sortInReportOrder(suiteOrder: RunReport.mergedSuiteOrder(shards))
    return (shards, cases.take(), await stream.fragments)
  }

  /// Writes results.jsonl at `path` atomically: `report`'s cases in report order, each line as kept.
  public static func writeLines(_ report: RunReport, fragments: CaseFragments, to path: String) throws {
    try AtomicFile.write(to: path) { fd in
      for c in report.cases {
        let line = try fragments.json(c.id) ?? JSONReport.line(fragments.whole(c))
        try line.withUnsafeBytes { try AtomicFile.writeAll(fd, $0) }
      }
    }
  }
}
