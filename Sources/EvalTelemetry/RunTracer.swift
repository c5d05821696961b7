import EvalCore
import Foundation

/// Builds a run's trace as it goes: a root span for the run, a span per case under it and a span per model
/// call under its case, with the OpenTelemetry GenAI semantic conventions on the calls (`gen_ai.system`,
/// `gen_ai.request.model`, `gen_ai.response.model`, `gen_ai.usage.input_tokens`/`output_tokens`,
/// `error.type`). Prompts, outputs and case titles are left out unless `content` is set; credentials are never
/// known here. Each call's span ends when the runner reported it and starts its latency earlier.
public actor RunTracer {
  /// The run's trace id (16 bytes).
  public nonisolated let traceID: [UInt8]
  /// The root span's id (8 bytes).
  public nonisolated let rootID: [UInt8]
  /// Whether prompt and output text go into spans (`--otlp-content`).
  public nonisolated let content: Bool
  private let startedAt: Date
  private var calls: [CaseID: [(AttemptResult, Date)]] = [:]
  private var spans: [TraceSpan] = []
  private var random = SystemRandomNumberGenerator()

  /// A tracer for a run that started at `startedAt`.
  public init(startedAt: Date, content: Bool) {
    var generator = SystemRandomNumberGenerator()
    traceID = Self.id(16, &generator)
    rootID = Self.id(8, &generator)
    self.content = content
    self.startedAt = startedAt
  }

  /// A model call of `caseID` finished at `end`.
  public func callFinished(_ attempt: AttemptResult, of caseID: CaseID, at end: Date) {
    calls[caseID, default: []].append((attempt, end))
  }

  /// Every call of `result` finished; the case's span ends at `end`.
  public func caseFinished(_ result: CaseResult, at end: Date) {
    let finished = calls.removeValue(forKey: result.id) ?? []
    let caseID = Self.id(8, &random)
    let (system, requested) = Self.providerParts(result.provider)
    var start = end
    for (attempt, callEnd) in finished {
      let callStart = callEnd.addingTimeInterval(-attempt.latencyMs / 1000)
      start = min(start, callStart)
      var attributes: [(String, TraceSpan.Value)] = [
        ("gen_ai.operation.name", .string("chat")), ("gen_ai.system", .string(system)),
      ]
      if let requested { attributes.append(("gen_ai.request.model", .string(requested))) }
      if let model = attempt.model { attributes.append(("gen_ai.response.model", .string(model))) }
      if let tokens = attempt.usage?.promptTokens {
        attributes.append(("gen_ai.usage.input_tokens", .int(Int64(tokens))))
      }
      if let tokens = attempt.usage?.completionTokens {
        attributes.append(("gen_ai.usage.output_tokens", .int(Int64(tokens))))
      }
      if let reason = attempt.finishReason { attributes.append(("gen_ai.response.finish_reasons", .strings([reason]))) }
      attributes.append(("evalgate.sample", .int(Int64(attempt.index))))
      if attempt.retries > 0 { attributes.append(("evalgate.retries", .int(Int64(attempt.retries)))) }
      if attempt.cached == true { attributes.append(("evalgate.cached", .bool(true))) }
      var status = TraceSpan.Status.unset
      if let error = attempt.error, attempt.gradingFailed != true {
        attributes.append(("error.type", .string(error.kind.rawValue)))
        status = .error(error.kind.rawValue)
      }
      if content {
        attributes.append(
          ("gen_ai.prompt", .string(result.messages.map { "\($0.role): \($0.content)" }.joined(separator: "\n"))))
        if let output = attempt.output { attributes.append(("gen_ai.completion", .string(output))) }
      }
      spans.append(
        TraceSpan(
          traceID: traceID, spanID: Self.id(8, &random), parentID: caseID,
          name: requested.map { "chat \($0)" } ?? "chat", kind: .client, start: callStart, end: callEnd,
          attributes: attributes, status: status))
    }
    var attributes: [(String, TraceSpan.Value)] = [
      ("evalgate.case.id", .string(result.id.rawValue)), ("evalgate.suite", .string(result.suite)),
      ("evalgate.provider", .string(result.provider)), ("evalgate.case.outcome", .string(result.outcome.rawValue)),
    ]
    if let score = result.score { attributes.append(("evalgate.case.score", .double(score))) }
    if content { attributes.append(("evalgate.case.title", .string(result.title))) }
    let errorType = result.attempts.lazy.compactMap { $0.gradingFailed == true ? nil : $0.error?.kind.rawValue }.first
    if result.outcome == .errored, let errorType { attributes.append(("error.type", .string(errorType))) }
    spans.append(
      TraceSpan(
        traceID: traceID, spanID: caseID, parentID: rootID, name: "evalgate.case", kind: .internal, start: start,
        end: end, attributes: attributes,
        status: result.outcome == .errored ? .error(errorType ?? "errored") : .unset))
  }

  /// The run ended at `end` with `summary` and the gate's `gate`: every span, the root last.
  public func finish(suites: [String], summary: RunSummary, gate: Gate.Decision.Status, at end: Date) -> [TraceSpan] {
    let root = TraceSpan(
      traceID: traceID, spanID: rootID, parentID: nil, name: "evalgate run", kind: .internal, start: startedAt,
      end: end,
      attributes: [
        ("evalgate.suites", .strings(suites)), ("evalgate.cases", .int(Int64(summary.total))),
        ("evalgate.cases.passed", .int(Int64(summary.passed))), ("evalgate.cases.failed", .int(Int64(summary.failed))),
        ("evalgate.cases.errored", .int(Int64(summary.errored))),
        ("evalgate.gate", .string(gate.rawValue)),
      ],
      status: gate == .couldNotEvaluate ? .error("could_not_evaluate") : .unset)
    return spans + [root]
  }

  /// `openai:gpt-4o-mini` and `openai:chat:gpt-4o-mini` → (`openai`, `gpt-4o-mini`); a label without a colon is
  /// the system, with no model.
  static func providerParts(_ label: String) -> (system: String, model: String?) {
    guard let colon = label.firstIndex(of: ":") else { return (label, nil) }
    var model = String(label[label.index(after: colon)...])
    for kind in ["chat:", "completion:", "messages:", "embedding:", "embeddings:"] where model.hasPrefix(kind) {
      model.removeFirst(kind.count)
      break
    }
    return (String(label[..<colon]), model.isEmpty ? nil : model)
  }

  static func id(_ count: Int, _ random: inout some RandomNumberGenerator) -> [UInt8] {
    var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
    if bytes.allSatisfy({ $0 == 0 }) { bytes[count - 1] = 1 }  // all-zero ids are invalid in OTLP
    return bytes
  }
}
