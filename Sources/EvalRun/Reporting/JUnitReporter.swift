import EvalCore
import EvalReports
import Synchronization

/// junit.xml: each case's `<testcase>` rendered as the case finishes and kept; the document assembled at the
/// end (a case renamed or flagged by the baseline comparison is rendered again).
public final class JUnitReporter: Reporter {
  public let artifact = "junit.xml"
  public let readsTrends = false
  public let keepsCasePieces = true
  private let junit: JUnitReport
  /// The suites whose case names carry the prompt.
  private let suitesWithManyPrompts: Set<String>
  /// The per-case renderer; `nil` once it failed (the writer may be mid-element: the document renders the
  /// remaining cases itself), or when libxml2 could not make one.
  private let renderer: Mutex<JUnitCaseRenderer?>

  /// The reporter for `junit` (its profile and host), naming the cases of `suitesWithManyPrompts` with their
  /// prompt.
  public init(_ junit: JUnitReport, suitesWithManyPrompts: Set<String> = []) {
    self.junit = junit
    self.suitesWithManyPrompts = suitesWithManyPrompts
    renderer = Mutex(try? JUnitCaseRenderer(junit))
  }

  public func caseFinished(_ finished: FinishedCase) throws -> [UInt8]? {
    let manyPrompts = suitesWithManyPrompts.contains(finished.result.suite)
    return renderer.withLock { renderer in
      guard let current = renderer else { return nil }
      do {
        return try current.fragment(finished.result, manyPrompts: manyPrompts).bytes
      } catch {
        renderer = nil
        return nil
      }
    }
  }

  public func finish(_ run: FinishedRun) async throws {
    try AtomicFile.write(to: run.file(artifact), durable: false) { fd in
      try junit.write(
        run.report,
        fragmentOf: { c in
          run.piece(c.id).map {
            JUnitReport.Fragment(
              name: JUnitReport.baseName(c, manyPrompts: suitesWithManyPrompts.contains(c.suite)), bytes: $0)
          }
        }, whole: run.whole
      ) { try $0.withUnsafeBytes { try AtomicFile.writeAll(fd, $0) } }
    }
  }
}
