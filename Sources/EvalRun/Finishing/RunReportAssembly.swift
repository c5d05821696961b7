import EvalCore
import EvalLoading
import EvalProviders
import Foundation

/// A finished run's report before its baseline comparison: its results and settings, what the answering
/// models and the providers' token limits say about the configuration, the suites' load warnings and notes,
/// and the retrieval fixtures scored. No I/O: what to tell the user comes back as ``messages``.
public struct RunReportAssembly {
  /// The report.
  public var report: RunReport
  /// Lines for stderr, in order: each warning, each note, each fixture whose queries got no ranking.
  public var messages: [String] = []

  /// Assembles the report of the run `prepared` described.
  /// - Parameters:
  ///   - results: every case's result, in report order.
  ///   - interrupted: whether the run was stopped before every case finished.
  ///   - graderModels: the models that answered each judge and embedding provider.
  ///   - fixtures: the retrieval fixtures, with the endpoint's rankings where they have an endpoint.
  ///   - endpointFailures: per fixture, the queries the endpoint gave no ranking for.
  /// - Throws: ``Diagnostic`` for a retrieval fixture that cannot be scored.
  public init(
    prepared: RunPlanner.Prepared, results: CaseList, tool: RunReport.ToolInfo, startedAt: Date, finishedAt: Date,
    interrupted: Bool, repeatOverride: Int?, graderModels: [String: ModelLedger.Entry] = [:],
    fixtures: [RetrievalFixtureLoader.Loaded] = [], endpointFailures: [String: [String]] = [:]
  ) throws {
    report = RunReport(
      tool: tool, startedAt: startedAt, finishedAt: finishedAt, interrupted: interrupted,
      settings: .init(
        concurrency: prepared.concurrency, timeoutMs: Int(prepared.timeout.inMilliseconds),
        repeatOverride: repeatOverride),
      suites: prepared.suites, cases: results, gate: prepared.gate)
    let providers = prepared.suites.flatMap(\.providers)
    // A single-model server answers whatever model was asked for: say so once per provider.
    var requested: [String: String] = [:]
    for spec in providers {
      if let model = ProviderKind.requestedModel(of: spec) { requested[spec.label] = model }
    }
    var limits: [String: (field: String, limit: Int)] = [:]
    for spec in providers where limits[spec.label] == nil {
      limits[spec.label] = ProviderKind.tokenLimit(of: spec)
    }
    report.flagAnswers(requested: requested, limits: limits)
    // Judges and embedding providers: the models that answered, and a warning where one is not the model asked.
    var askedOfGraders: [String: String] = [:]
    for spec in prepared.suites.flatMap(\.judges) {
      if let model = ProviderKind.requestedModel(of: spec) { askedOfGraders[spec.key] = model }
    }
    report.flagGraderModels(graderModels, requested: askedOfGraders)
    let loadWarnings = prepared.suites.flatMap(\.warnings)
    if !loadWarnings.isEmpty { report.warnings = loadWarnings + (report.warnings ?? []) }
    messages += (report.warnings ?? []).map(WarningLine.text)
    // Recorded with the warnings (something to know that is not a failure), said as a note.
    messages += prepared.skipped.map { "note: \($0)" }
    if !prepared.skipped.isEmpty { report.warnings = prepared.skipped + (report.warnings ?? []) }
    for (id, failed) in endpointFailures.sorted(by: { $0.key < $1.key }) where !failed.isEmpty {
      messages.append(
        "warning: retrieval \(id): \(failed.count) quer\(failed.count == 1 ? "y" : "ies") got no ranking from the "
          + "endpoint (scored 0): \(failed.prefix(5).joined(separator: ", "))")
    }
    report.add(
      retrieval: try fixtures.map { loaded in
        RetrievalResult(fixture: loaded.fixture, evaluation: try RetrievalFixtureLoader.evaluate(loaded))
      })
  }
}
