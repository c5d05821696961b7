import EvalCore
import EvalHistory
import EvalLoading
import Foundation

/// Appends a finished run to the history and warns (HOLD-level, never changing the exit code) when one of
/// its suites is drifting. Every failure here is a warning: history never fails a run.
struct HistoryHook {
  var options: HistoryOptions
  /// The project config file given with `--config`, when one was.
  var configPath: String?
  var environment: [String: String]
  /// The window drift is tested over.
  static let window = 10

  /// Records `report` (whose results.json, when written, is `resultsFile`) with the run's exit code.
  /// `opened` is the store ``open()`` gave earlier in the run (closed here), so the history is opened once.
  func record(
    _ report: RunReport, kind: RunRecord.Kind, exitCode: Int32, resultsFile: String?, verdict: String? = nil,
    opened: Result<any HistoryStore, any Error>? = nil
  ) async {
    guard !options.disabled else { return }
    let project = try? ProjectConfigLoader.load(path: configPath)
    let location: HistoryLocation
    do {
      location = try HistoryOptions.location(flag: options.url, configured: project?.history, environment: environment)
    } catch {
      Terminal.error("warning: history: \(error); the run is not recorded\n")
      return
    }
    let audit = AuditCollector(environment: environment).collect(
      toolVersion: EvalgateCommand.version, configFile: project?.file,
      suiteFiles: report.suites.map(\.file), resultsFile: resultsFile)
    var random = SystemRandomNumberGenerator()
    var record = RunRecord(
      report: report, id: RunRecord.makeID(startedAt: report.startedAt, random: random.next()), kind: kind,
      exitCode: exitCode, audit: audit)
    if let verdict { record.verdict = verdict }
    let outcome = await HistoryRecorder(location: location, spool: .defaultSpool()).append(
      record, window: Self.window, opened: opened)
    PhaseTimer.mark("history recorded, drift checked")
    for warning in outcome.warnings { Terminal.error(warning + "\n") }
    for suite in record.suites {
      guard let drift = outcome.drift[suite], drift.runs.count >= 3 else { continue }
      if drift.drifting { Terminal.error(Self.warning(drift) + "\n") }
    }
  }

  /// Opens the history for the run's trend charts, to hand on to ``record(_:kind:exitCode:resultsFile:verdict:opened:)``:
  /// `nil` when history is off, its location is not valid (recording says why) or its SQLite file does not
  /// exist yet (reading must not create it); else the store or the failure to open it (which recording reports
  /// as a warning, without trying again: a database that is down costs its connect timeout once).
  func open() async -> Result<any HistoryStore, any Error>? {
    guard !options.disabled else { return nil }
    let project = try? ProjectConfigLoader.load(path: configPath)
    guard
      let location = try? HistoryOptions.location(
        flag: options.url, configured: project?.history, environment: environment)
    else { return nil }
    if case .sqlite(let path) = location, !FileManager.default.fileExists(atPath: path) { return nil }
    do {
      return .success(try await location.open(environment: environment))
    } catch {
      return .failure(error)
    }
  }

  /// Each suite's trend over its last runs in `opened` followed by `report` (not yet recorded), for the charts
  /// in report.html and summary.md; empty without a store or when it cannot be read (recording warns).
  func trends(with report: RunReport, from opened: Result<any HistoryStore, any Error>?) async -> [SuiteTrend] {
    guard case .success(let store)? = opened else { return [] }
    var trends: [SuiteTrend] = []
    for suite in report.suites.map(\.id) {
      guard let past = try? await store.trendPoints(suite: suite, limit: Self.window - 1) else { continue }
      let points = past + [SuiteTrend.Point(report: report, suite: suite)]
      trends.append(SuiteTrend(suite: suite, points: Array(points.suffix(Self.window))))
    }
    PhaseTimer.mark("history trends read")
    return trends
  }

  /// `warning: HOLD: suite 'x' is drifting …`, one line.
  static func warning(_ drift: DriftReport) -> String {
    let metrics = Array(Set(drift.tests.filter(\.drifting).map(\.metric))).sorted()
    let rates = drift.passRate.compactMap { $0 }
    let span =
      rates.count >= 2
      ? ": pass rate \(TrendText.percent(rates[0])) → \(TrendText.percent(rates[rates.count - 1]))" : ""
    let best = drift.tests.filter(\.drifting).map(\.adjustedP).min() ?? 1
    return "warning: HOLD: suite '\(drift.suite)' is drifting over its last \(drift.runs.count) runs\(span) "
      + "(\(metrics.joined(separator: ", ")) declining, adjusted p = \(TrendText.p(best))); "
      + "see evalgate history trend --suite \(drift.suite)"
  }
}
