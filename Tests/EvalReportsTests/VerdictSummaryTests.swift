import EvalCore
import EvalReports
import Foundation
import Testing

struct VerdictSummaryTests {
  /// 40 cases; the candidate fails cases 30–39, whose titles hold Markdown and HTML.
  static var comparison: Comparison {
    func records(_ pass: (Int) -> Bool) -> [CaseRecord] {
      (0..<40).map { i in
        CaseRecord(
          id: CaseID(rawValue: String(format: "%016x", i)), suite: "support",
          title: i >= 30 ? "case \(i) <script>alert(1)</script> | *bold* [x](javascript:y)" : "case \(i)",
          provider: "model-a", file: "suites/support.yaml", line: 10 + i,
          samples: [
            CaseRecord.Sample(
              index: 0, pass: pass(i), score: pass(i) ? 1 : 0, latencyMs: 100 + Double(i % 5), tokens: 40, cost: 0.001)
          ])
      }
    }
    var policy = VerdictPolicy()
    policy.passScore = 90
    policy.resamples = 500
    return Comparison(baseline: records { _ in true }, candidate: records { $0 < 30 }, policy: policy)
  }

  @Test func markdownMatchesItsGoldenFile() throws {
    try assertSnapshot(Array(VerdictSummary().markdown(Self.comparison).utf8), named: "verdict.md")
  }

  @Test func markdownUsesTheConfiguredThresholdsAndEscapesTitles() {
    let text = VerdictSummary().markdown(Self.comparison)
    #expect(text.contains("PROMOTE at ≥ 90, ROLLBACK below 75"))
    #expect(!text.contains("<script>"))
    #expect(text.contains("&lt;script&gt;alert(1)&lt;/script&gt; \\| \\*bold\\* \\[x\\](javascript:y)"))
  }
}
