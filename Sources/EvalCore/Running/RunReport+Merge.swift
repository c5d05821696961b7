import Foundation

extension RunReport {
  /// The shards of one run (`--shard i/n`) as one report: every case once, suites in file order, cases
  /// grouped by suite and ordered by test line then case id; counts, provider statistics and the gate
  /// recomputed from the cases, never averaged; warnings said once. The verdict is left to the caller, which compares the
  /// merged cases with the baseline.
  public init(merging shards: [RunReport], gate: Gate) {
    var seen = CaseIDSet()
    var all = shards.flatMap(\.cases).filter { seen.insert($0.id) }
    let position = RunReport.mergedSuiteOrder(shards)
    all.sort {
      (position[$0.suite] ?? .max, $0.line ?? 0, $0.id.rawValue) < (
        position[$1.suite] ?? .max, $1.line ?? 0, $1.id.rawValue
      )
    }
    self.init(merging: shards, cases: CaseList(all), gate: gate)
  }

  /// Where each suite of the shards goes in the merged report: suites ordered by file, then id.
  public static func mergedSuiteOrder(_ shards: [RunReport]) -> [String: Int] {
    var files: [String: String] = [:]
    for shard in shards { for s in shard.suites where files[s.id] == nil { files[s.id] = s.file } }
    let ordered = files.sorted { ($0.value, $0.key) < ($1.value, $1.key) }
    return Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($1.key, $0) })
  }

  /// The shards (read without their cases) as one report over `all`, their cases read once each and put in
  /// the order ``mergedSuiteOrder(_:)`` gives (`evalgate merge` streams them).
  public init(merging shards: [RunReport], cases all: CaseList, gate: Gate) {
    var suites: [String: SuiteInfo] = [:]
    var retrieval: [String: RetrievalResult] = [:]
    for shard in shards {
      for s in shard.suites where suites[s.id] == nil { suites[s.id] = s }
      for r in shard.retrieval ?? [] where retrieval[r.fixture] == nil { retrieval[r.fixture] = r }
    }
    let ordered = suites.values.sorted { ($0.file, $0.id) < ($1.file, $1.id) }
    schemaVersion = RunReport.currentSchemaVersion
    tool = shards.first?.tool ?? ToolInfo(name: "evalgate", version: "")
    startedAt = shards.map(\.startedAt).min() ?? Date()
    finishedAt = shards.map(\.finishedAt).max() ?? Date()
    interrupted = shards.contains { $0.interrupted }
    settings = shards.first?.settings ?? Settings(concurrency: 1, timeoutMs: 0)
    self.suites = ordered.map { s in
      var s = s
      s.summary = RunSummary(all.lazy.filter { $0.suite == s.id })
      // Derived metrics are computed again over every shard's cases, never taken from one shard.
      if let definitions = s.derivedMetricDefinitions {
        s.derivedMetrics = DerivedMetric.values(
          DerivedMetric.metrics(definitions), cases: all.filter { $0.suite == s.id })
      }
      return s
    }
    summary = RunSummary(all)
    providers = ProviderStats.collect(all)
    self.gate = RunReport.decide(gate, summary: summary, cases: all.casesWithErrorsOrSkipReasons)
    self.cases = all
    verdict = nil
    // Each shard says the same notes (a skipped suite) or its own (a model mismatch): each once.
    var said: Set<String> = []
    let notes = shards.flatMap { $0.warnings ?? [] }.filter { said.insert($0).inserted }
    warnings = notes.isEmpty ? nil : notes
    // Graders: each provider's answers summed, its models each once.
    var graders: [String: ModelLedger.Entry] = [:]
    for entry in shards.flatMap({ $0.graders ?? [] }) {
      var merged = graders[entry.provider] ?? ModelLedger.Entry(provider: entry.provider, models: [], answers: 0)
      merged.answers += entry.answers
      for model in entry.models where !merged.models.contains(model) { merged.models.append(model) }
      graders[entry.provider] = merged
    }
    self.graders = graders.isEmpty ? nil : graders.values.sorted { $0.provider < $1.provider }
    add(retrieval: retrieval.values.sorted { ($0.file, $0.fixture) < ($1.file, $1.fixture) })
  }
}
