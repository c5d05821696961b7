/// What a comparison needs of one case, from a baseline file or a run's results: its identity and, per
/// repeat, pass, scores, latency, tokens, cost and error type. Nothing volatile besides the measurements.
public struct CaseRecord: Sendable, Hashable, Codable {
  /// One repeat of the case.
  public struct Sample: Sendable, Hashable, Codable {
    /// The repeat index.
    public var index: Int
    /// Whether the sample passed; `nil` when it was skipped (never judged).
    public var pass: Bool?
    /// The weighted score, 0…1.
    public var score: Double?
    /// Named metric scores (`metric:` on assertions), 0…1.
    public var scores: [String: Double]?
    /// Wall time of the call, milliseconds; `nil` for an errored or skipped sample.
    public var latencyMs: Double?
    /// Prompt plus completion tokens, when the endpoint reported them.
    public var tokens: Int?
    /// Cost in US dollars, when known.
    public var cost: Double?
    /// The error type (`http_503`, `timeout`, …) of an errored sample.
    public var error: String?

    /// Creates a sample.
    public init(
      index: Int, pass: Bool?, score: Double? = nil, scores: [String: Double]? = nil, latencyMs: Double? = nil,
      tokens: Int? = nil, cost: Double? = nil, error: String? = nil
    ) {
      self.index = index
      self.pass = pass
      self.score = score
      self.scores = scores
      self.latencyMs = latencyMs
      self.tokens = tokens
      self.cost = cost
      self.error = error
    }
  }

  /// The stable case id.
  public var id: CaseID
  /// The suite id.
  public var suite: String
  /// The case's title.
  public var title: String
  /// The provider label.
  public var provider: String
  /// Where the test is defined.
  public var file: String
  /// The test's line, when known.
  public var line: Int?
  /// Repeats, by index.
  public var samples: [Sample]
  /// A must-pass case (`must_pass: true`, tagged `must-pass`): when it passed all of k ≥ 3 repeats in the
  /// baseline and fails all of them now, the verdict is ROLLBACK on its own. `nil` for other cases.
  public var mustPass: Bool?

  /// The tag that marks a must-pass case.
  public static let mustPassTag = "must-pass"

  /// Creates a record.
  public init(
    id: CaseID, suite: String, title: String, provider: String, file: String, line: Int?, samples: [Sample],
    mustPass: Bool? = nil
  ) {
    self.id = id
    self.suite = suite
    self.title = title
    self.provider = provider
    self.file = file
    self.line = line
    self.samples = samples
    self.mustPass = mustPass
  }

  /// The record of a finished case.
  public init(_ result: CaseResult) {
    self.init(
      id: result.id, suite: result.suite, title: result.title, provider: result.provider, file: result.file,
      line: result.line,
      samples: result.attempts.map { a in
        var named: [String: [Double]] = [:]
        for assertion in a.assertions { CaseRecord.collect(assertion, into: &named) }
        let usage = a.usage
        let tokens = usage.flatMap { u in u.totalTokens ?? u.promptTokens.map { $0 + (u.completionTokens ?? 0) } }
        return Sample(
          index: a.index, pass: a.outcome == .skipped ? nil : a.outcome == .passed, score: a.score,
          scores: named.isEmpty ? nil : named.mapValues { $0.reduce(0, +) / Double($0.count) },
          latencyMs: a.outcome == .errored || a.outcome == .skipped ? nil : a.latencyMs, tokens: tokens, cost: a.cost,
          error: a.error?.typeName)
      }, mustPass: result.tags.contains(CaseRecord.mustPassTag) ? true : nil)
  }

  private static func collect(_ a: AssertionResult, into named: inout [String: [Double]]) {
    if let metric = a.metric { named[metric, default: []].append(a.score) }
    for child in a.children ?? [] { collect(child, into: &named) }
  }

  /// Samples that were judged (not skipped).
  public var judged: [Sample] { samples.filter { $0.pass != nil } }

  /// The fraction of judged samples that passed; `nil` when none was judged.
  public var passFraction: Double? {
    let j = judged
    return j.isEmpty ? nil : Double(j.filter { $0.pass == true }.count) / Double(j.count)
  }

  /// The fraction of judged samples that errored.
  public var errorFraction: Double? {
    let j = judged
    return j.isEmpty ? nil : Double(j.filter { $0.error != nil }.count) / Double(j.count)
  }

  /// The median latency over samples that got an answer.
  public var medianLatencyMs: Double? { Descriptive.median(samples.compactMap(\.latencyMs)) }

  /// The mean of a named score (or the weighted score when `name` is `nil`) over the judged samples, an
  /// errored sample scoring 0 (it gave no answer), on both sides alike; `nil` when no sample was scored.
  public func qualityScore(_ name: String?, errored: Double = 0) -> Double? {
    let judged = self.judged
    // A retrieval query is measured, never judged pass or fail: its named scores are its values.
    if judged.isEmpty, let name { return Descriptive.mean(samples.compactMap { $0.scores?[name] }) }
    return Descriptive.mean(
      judged.compactMap { s -> Double? in
        if s.error != nil { return errored }
        return name.map { s.scores?[$0] } ?? s.score
      })
  }

  /// Total cost over samples, when every answered sample's cost is known.
  public var totalCost: Double? {
    let answered = samples.filter { $0.latencyMs != nil }
    guard !answered.isEmpty, answered.allSatisfy({ $0.cost != nil }) else { return nil }
    return answered.reduce(0) { $0 + ($1.cost ?? 0) }
  }

  /// Total tokens over samples, when every answered sample reported them.
  public var totalTokens: Int? {
    let answered = samples.filter { $0.latencyMs != nil }
    guard !answered.isEmpty, answered.allSatisfy({ $0.tokens != nil }) else { return nil }
    return answered.reduce(0) { $0 + ($1.tokens ?? 0) }
  }
}
