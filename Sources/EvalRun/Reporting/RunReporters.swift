import EvalCore
import EvalReports

/// The artifacts every run writes into its output dir.
public enum RunReporters {
  /// results.jsonl (each line appended as its case finishes, after `carried`: the lines of an interrupted run
  /// being resumed; or, `inReportOrder`, written at the end), results.json, junit.xml (for `junit`, naming the
  /// cases of `suitesWithManyPrompts` with their prompt), report.html (of a run of `expectedCases` cases, when
  /// known), summary.md and gl-code-quality.json.
  public static func standard(
    outputDir: String, carried: some Sequence<[UInt8]> = [[UInt8]](), inReportOrder: Bool = false,
    junit: JUnitReport, suitesWithManyPrompts: Set<String> = [], expectedCases: Int = 0
  ) -> [any Reporter] {
    let lines = outputDir + "/results.jsonl"
    return [
      inReportOrder
        ? ResultsLinesReporter(inReportOrderAt: lines) : ResultsLinesReporter(path: lines, carried: carried),
      ResultsJSONReporter(), JUnitReporter(junit, suitesWithManyPrompts: suitesWithManyPrompts),
      HTMLReporter(expectedCases: expectedCases), MarkdownSummaryReporter(), CodeQualityReporter(),
    ]
  }
}
