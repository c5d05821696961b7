import EvalCore
import EvalRun

/// The history `evalgate run` reads its trends from and records itself in: ``HistoryHook`` as the use
/// case's ``RunHistory`` (a wrapper, as HistoryHook's own file does not declare it `Sendable`).
struct RunHistoryHook: RunHistory {
  let hook: HistoryHook

  func past(suites: [String], cases: Int) async -> HistoryHook.Past {
    await hook.past(suites: suites, cases: cases)
  }

  func prepare(_ report: RunReport, past: HistoryHook.Past) async -> HistoryHook.Past {
    var past = past
    past.prepared = await hook.prepare(report, past: past)
    return past
  }

  func trends(with report: RunReport, past: HistoryHook.Past) -> [SuiteTrend] {
    hook.trends(with: report, past: past)
  }

  func record(
    _ report: RunReport, exitCode: Int32, resultsFile: String, resultsSHA256: String?, past: HistoryHook.Past
  ) async {
    await hook.record(
      report, kind: .run, exitCode: exitCode, resultsFile: resultsFile, resultsSHA256: resultsSHA256,
      opened: past.opened,
      repository: past.repository, prepared: past.prepared)
  }
}
