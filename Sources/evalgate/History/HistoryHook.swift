import EvalCore
import EvalHistory
import EvalLoading
import Foundation

#if os(Linux)
  import CMalloc
#endif

/// Appends a finished run to the history and warns (HOLD-level, never changing the exit code) when one of
/// its suites is drifting. Every failure here is a warning: history never fails a run.
struct HistoryHook {
  var options: HistoryOptions
  /// The project config file given with `--config`, when one was.
  var configPath: String?
  var environment: [String: String]
  /// The window drift is tested over.
  static let window = 10

  /// Records `report` (whose results.json, when written, is `resultsFile`; its SHA-256 `resultsSHA256` when
  /// that was hashed as it was written) with the run's exit code.
  /// `opened` is the store ``open()`` gave earlier in the run (closed here), so the history is opened once;
  /// `repository` the work tree's state asked of git while the run went on (asked now when not given).
  /// `prepared`: what was made ready of the run's record (``Past/prepared``: its drift tests begun, its cases
  /// encoded).
  func record(
    _ report: RunReport, kind: RunRecord.Kind, exitCode: Int32, resultsFile: String?, resultsSHA256: String? = nil,
    verdict: String? = nil,
    opened: Result<any HistoryStore, any Error>? = nil, repository: AuditCollector.Repository? = nil,
    prepared: Prepared? = nil
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
      suiteFiles: report.suites.map(\.file), resultsFile: resultsFile, resultsSHA256: resultsSHA256,
      repository: repository)
    var random = SystemRandomNumberGenerator()
    let id = RunRecord.makeID(startedAt: report.startedAt, random: random.next())
    var draft: RunRecordDraft
    if var cases = prepared?.cases {
      cases.finish(report: report, id: id, kind: kind, exitCode: exitCode, audit: audit)
      draft = cases
    } else {
      draft = RunRecordDraft(report: report, id: id, kind: kind, exitCode: exitCode, audit: audit)
    }
    if let verdict { draft.header.verdict = verdict }
    let suites = draft.header.suites
    PhaseTimer.mark("history record made")
    let outcome = await HistoryRecorder(location: location, spool: .defaultSpool()).append(
      draft, window: Self.window, opened: opened, started: prepared?.drift ?? [:])
    PhaseTimer.mark("history recorded, drift checked")
    for warning in outcome.warnings { Terminal.error(warning + "\n") }
    for suite in suites {
      guard let drift = outcome.drift[suite], drift.runs.count >= HistoryRecorder.driftRuns else { continue }
      if drift.drifting { Terminal.error(Self.warning(drift) + "\n") }
    }
  }

  /// Opens the history for the run's trend charts, to hand on to ``record(_:kind:exitCode:resultsFile:verdict:opened:)``:
  /// `nil` when history is off, its location is not valid (recording says why) or its SQLite file does not
  /// exist yet (reading must not create it); else the store or the failure to open it (which recording reports
  /// as a warning, without trying again: a database that is down costs its connect timeout once).
  func open() async -> Result<any HistoryStore, any Error>? {
    guard let location else { return nil }
    return await open(location)
  }

  /// Where the history is: `nil` when history is off or its location (flag, config, environment) is not valid.
  private var location: HistoryLocation? {
    guard !options.disabled else { return nil }
    let project = try? ProjectConfigLoader.load(path: configPath)
    return try? HistoryOptions.location(flag: options.url, configured: project?.history, environment: environment)
  }

  /// ``open()`` at `location`.
  private func open(_ location: HistoryLocation) async -> Result<any HistoryStore, any Error>? {
    if case .sqlite(let path) = location, !FileManager.default.fileExists(atPath: path) { return nil }
    do {
      return .success(try await location.open(environment: environment))
    } catch {
      return .failure(error)
    }
  }

  /// What the history holds of a run's suites before it, read while the run's calls are in flight (it needs
  /// nothing of the run): the opened store (``open()``), each suite's points over its last runs, and each suite's
  /// drift test begun on them.
  struct Past: Sendable {
    /// The store, to record the run in at the end.
    var opened: Result<any HistoryStore, any Error>?
    /// Whether the run is to be recorded: history is on and its location valid (its SQLite file may not exist
    /// yet: recording creates it).
    var recording = false
    /// Each suite's points over its last `window - 1` runs, oldest first (a suite that cannot be read is
    /// left out; recording warns).
    var points: [String: [SuiteTrend.Point]] = [:]
    /// The work tree's state, for the record's audit.
    var repository: AuditCollector.Repository?
    /// The run's record as made ready: its drift tests begun while the calls ran, its cases encoded while its
    /// reports were written.
    var prepared: Prepared?
  }

  /// What is made of a run's record before it is recorded (``prepare(_:past:)``), for
  /// ``record(_:kind:exitCode:resultsFile:verdict:opened:repository:prepared:)`` to finish.
  struct Prepared: Sendable {
    /// The record's cases, encoded (its header is set when the run is recorded: the exit code and results.json's
    /// digest are known only then).
    var cases: RunRecordDraft?
    /// Each suite's drift test begun on its runs before this one (none for a run of more than
    /// ``preparedCases`` cases: its test is begun when it is recorded).
    var drift: [String: DriftStart] = [:]
  }

  /// The largest run whose record is prepared before the run ends: a larger one's per-case drift state (about
  /// 35 bytes a case, and its latencies) would sit on top of the run's memory, where a 10^6-case run peaks;
  /// it is recorded after its reports, as before.
  static let preparedCases = 250_000

  /// Encodes `report`'s cases into its record while the run's reports are written, beside the drift tests begun
  /// while the calls ran (``past(suites:cases:)``): at the end only the record's header, the append and the
  /// run's own record are left. Nothing is written here. Empty when history is off, its store is not open, or
  /// the run is larger than ``preparedCases``.
  func prepare(_ report: RunReport, past: Past) async -> Prepared {
    var prepared = past.prepared ?? Prepared()
    // A store that failed to open is not written to (recording warns); one not yet created is, at the end.
    if case .failure? = past.opened { return prepared }
    guard past.recording, report.cases.count <= Self.preparedCases else { return prepared }
    var cases = RunRecordDraft(gatheringModels: true)
    for c in report.cases { cases.add(c) }
    prepared.cases = cases
    PhaseTimer.mark("history record prepared")
    return prepared
  }

  /// Each of `suites`' drift test begun on its runs in `store` (a suite whose runs cannot be read is left out:
  /// recording reads its window whole, and warns if that fails too).
  static func startDrift(suites: [String], in store: any HistoryStore) async -> [String: DriftStart] {
    var started: [String: DriftStart] = [:]
    for suite in suites where started[suite] == nil {
      if let begun = try? await store.startDrift(suite: suite, window: window) { started[suite] = begun }
    }
    return started
  }

  /// Opens the history and reads the trend points of `suites` (none when history is off or empty); for a run of
  /// at most ``preparedCases`` `cases`, also begins each suite's drift test on its runs before this one. All of
  /// it is read while the calls are in flight, not at the run's end (at 100,000 cases with a full window, about
  /// 0.7 s of CPU off the end, docs/benchmarks.md session 16; at 1,000 cases and C = 64, the end 39.5 → 27.0 ms,
  /// session 17). A run another process appends in between is caught when the run is recorded (``DriftStart``),
  /// and its window is then read whole.
  func past(suites: [String], cases: Int) async -> Past {
    guard !options.disabled else { return Past() }
    // git is asked while the store is opened and read (both wait on other processes and the disk).
    async let repository = AuditCollector(environment: environment).repositoryInBackground()
    let location = location
    var past = Past(recording: location != nil)
    if let location { past.opened = await open(location) }
    if case .success(let store)? = past.opened {
      for suite in suites {
        past.points[suite] = try? await store.trendPoints(suite: suite, limit: Self.window - 1)
      }
      if cases <= Self.preparedCases {
        past.prepared = Prepared(drift: await Self.startDrift(suites: suites, in: store))
      }
    }
    #if os(Linux)
      // The records read are dropped: their pages go back while the calls run.
      _ = malloc_trim(0)
    #endif
    past.repository = await repository
    PhaseTimer.mark("history trends read")
    return past
  }

  /// Each suite's trend over its last runs followed by `report` (not yet recorded), for the charts in
  /// report.html and summary.md; empty without a store.
  func trends(with report: RunReport, past: Past) -> [SuiteTrend] {
    guard case .success? = past.opened else { return [] }
    return report.suites.map(\.id).compactMap { suite in
      guard let points = past.points[suite] else { return nil }
      let all = points + [SuiteTrend.Point(report: report, suite: suite)]
      return SuiteTrend(suite: suite, points: Array(all.suffix(Self.window)))
    }
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
