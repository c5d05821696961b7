import Foundation

/// Decides `max-score` and `select-best` once every output of a test is in, as promptfoo does: the outputs
/// of one test (same vars) across its prompts and providers are compared sample by sample; the chosen one
/// passes the assertion and the others fail it, which fails their sample.
///
/// `max-score` ranks outputs by the weighted mean (or sum) of their other assertions' scores (weights by
/// type, 1 by default; ties go to the first); `select-best` asks the judge which output best meets the
/// criteria (prompt `select-best@1`).
public enum OutputComparison {
  /// `results` with their comparisons decided; `group(i)` says which results compare with result `i`
  /// (`nil`: none).
  public static func apply(
    _ results: [CaseResult], group: (Int) -> String?, judge: JudgeCall?, specs: (Int) -> [AssertionSpec]
  ) async -> [CaseResult] {
    var out = results
    var groups: [String: [Int]] = [:]
    var order: [String] = []
    for i in results.indices {
      guard let key = group(i) else { continue }
      if groups[key] == nil { order.append(key) }
      groups[key, default: []].append(i)
    }
    for key in order {
      guard let members = groups[key] else { continue }
      let compareSpecs = specs(members[0]).filter { CompareAssertion.types.contains($0.type) }
      let samples = members.map { results[$0].attempts.count }.max() ?? 0
      for sample in 0..<samples {
        // The members that answered this sample and were scored.
        let present: [(Int, AttemptResult)] = members.compactMap { i in
          results[i].attempts.first { $0.index == sample && $0.score != nil }.map { (i, $0) }
        }
        for spec in compareSpecs {
          let outcomes = await decide(spec, present.map(\.1), judge: judge, sample: sample)
          for ((i, _), outcome) in zip(present, outcomes) {
            guard let a = out[i].attempts.firstIndex(where: { $0.index == sample }) else { continue }
            out[i].attempts[a] = settle(out[i].attempts[a], spec: spec, outcome: outcome)
          }
        }
      }
      for i in members { out[i] = out[i].reaggregated() }
    }
    return out
  }

  /// The outcome of `spec` for each of `attempts` (the outputs compared).
  static func decide(
    _ spec: AssertionSpec, _ attempts: [AttemptResult], judge: JudgeCall?, sample: Int
  ) async -> [AssertionOutcome] {
    guard attempts.count >= 2 else {
      return attempts.map { _ in
        .errored("'\(spec.type)' compares at least two outputs; this test has \(attempts.count)", kind: .configuration)
      }
    }
    if spec.type == "select-best" {
      guard let judge, let key = spec.judge?.key else {
        return attempts.map { _ in .errored("judge error: no judge available outside a run", kind: .configuration) }
      }
      let criteria = spec.value?.stringValue ?? ""
      let messages = JudgePrompts.selectBest(criteria: criteria, outputs: attempts.map { $0.output ?? "" })
      switch await judge(key, messages, sample) {
      case .failure(let e):
        return attempts.map { _ in .errored("judge error (select-best@1): \(e.message)", kind: e.kind) }
      case .success(let reply):
        guard let digits = reply.firstMatch(of: /\d+/), let pick = Int(digits.output), attempts.indices.contains(pick)
        else {
          return attempts.map { _ in
            .errored(
              "judge error (select-best@1): no output number in \(excerpt(reply, limit: 40))", kind: .malformedResponse)
          }
        }
        return attempts.indices.map { i in
          AssertionOutcome(
            pass: i == pick, reason: i == pick ? "selected as the best: \(criteria)" : "not selected: \(criteria)")
        }
      }
    }
    let options = (try? MaxScoreOptions(spec.value)) ?? MaxScoreOptions()
    let scores: [Double?] = attempts.map { a in
      let others = a.assertions.filter { !CompareAssertion.types.contains(Self.baseType($0.type)) && !$0.isError }
      guard !others.isEmpty else { return nil }
      var total = 0.0
      var weight = 0.0
      for r in others {
        let w = options.weights[r.type] ?? options.weights[Self.baseType(r.type)] ?? 1
        total += r.score * w
        weight += w
      }
      return options.sum ? total : weight > 0 ? total / weight : 0
    }
    guard scores.allSatisfy({ $0 != nil }) else {
      return attempts.map { _ in
        .errored("'max-score' needs at least one other assertion (checked) to aggregate", kind: .configuration)
      }
    }
    let values = scores.map { $0 ?? 0 }
    let best = values.max() ?? 0
    let winner = values.firstIndex(of: best) ?? 0
    let meets = options.threshold.map { best >= $0 } ?? true
    return values.enumerated().map { i, score in
      let shown = String(format: "%.3f", score)
      if i == winner && meets {
        return AssertionOutcome(pass: true, reason: "selected as the highest score (\(shown))")
      }
      if i == winner {
        return AssertionOutcome(
          pass: false, reason: "highest score \(shown) is below the threshold \(options.threshold ?? 0)")
      }
      return AssertionOutcome(
        pass: false, reason: "not selected (score \(shown), best \(String(format: "%.3f", best)))")
    }
  }

  static func baseType(_ type: String) -> String { type.hasPrefix("not-") ? String(type.dropFirst(4)) : type }

  /// A sample with the pending result of `spec` replaced by `outcome`: a failed comparison fails a sample
  /// that passed; one that could not be made leaves it errored.
  static func settle(_ attempt: AttemptResult, spec: AssertionSpec, outcome: AssertionOutcome) -> AttemptResult {
    var a = attempt
    guard
      let at = a.assertions.firstIndex(where: {
        $0.type == spec.displayType && $0.reason == CompareAssertion.pendingReason
      })
    else { return a }
    let result = AssertionResult(spec: spec, outcome: outcome, children: [])
    a.assertions[at] = result
    let counted = a.assertions.filter { $0.weight > 0 }
    let weight = counted.reduce(0) { $0 + $1.weight }
    if weight > 0 { a.score = counted.reduce(0) { $0 + $1.score * $1.weight } / weight }
    if result.weight > 0, a.outcome == .passed {
      if let error = outcome.error {
        a.outcome = .errored
        a.error = ProviderError(error.kind, "could not check the output: \(error.message)")
        a.gradingFailed = true
        a.score = nil
      } else if !outcome.pass {
        a.outcome = .failed
      }
    }
    return a
  }
}

extension CaseResult {
  /// This result with its outcome and score derived again from its samples (after a comparison changed them).
  public func reaggregated() -> CaseResult {
    var out = self
    out.outcome = CaseResult.aggregate(attempts)
    let scores = attempts.compactMap(\.score)
    out.score = scores.isEmpty ? nil : scores.reduce(0, +) / Double(scores.count)
    return out
  }
}
