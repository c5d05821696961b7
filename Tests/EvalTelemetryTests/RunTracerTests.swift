import EvalCore
import EvalTelemetry
import Foundation
import OTLPReceiver
import Testing

struct RunTracerTests {
  static func result(
    _ n: Int, provider: String = "openai:gpt-4o-mini", outcome: Outcome, attempts: [AttemptResult]
  ) -> CaseResult {
    let c = EvalCase(
      id: CaseID(rawValue: String(format: "%016x", n)), suiteID: "support",
      location: EvalCore.SourceLocation(file: "support.yaml", line: n + 1), title: "secret title \(n)",
      promptLabel: "p", providerLabel: provider, providerKey: "k", vars: [:],
      messages: [ChatMessage(role: "user", content: "private question \(n)")],
      plan: ScoringPlan(items: [], threshold: nil), repeatCount: 1)
    var result = CaseResult(case: c, attempts: attempts)
    result.outcome = outcome
    return result
  }

  /// Two cases (one answered with usage, one failed with a timeout after a retry) through the tracer, encoded,
  /// and read back by the independent decoder.
  static func trace(content: Bool) async throws -> (OTLPDecodedRequest, RunTracer) {
    let start = Date(timeIntervalSince1970: 1_790_000_000)
    let tracer = RunTracer(startedAt: start, content: content)
    let answered = AttemptResult(
      index: 0, outcome: .passed, output: "private answer", finishReason: "stop", model: "gpt-4o-mini-2024-07-18",
      latencyMs: 250, usage: Usage(promptTokens: 12, completionTokens: 7), score: 1)
    await tracer.callFinished(answered, of: CaseID(rawValue: String(format: "%016x", 0)), at: start + 1)
    await tracer.caseFinished(result(0, outcome: .passed, attempts: [answered]), at: start + 1.01)
    var failed = AttemptResult(
      index: 0, outcome: .errored, latencyMs: 5000, retries: 1, error: ProviderError(.timeout, "timed out"))
    failed.retries = 1
    await tracer.callFinished(failed, of: CaseID(rawValue: String(format: "%016x", 1)), at: start + 7)
    await tracer.caseFinished(result(1, outcome: .errored, attempts: [failed]), at: start + 7)
    let spans = await tracer.finish(
      suites: ["support"], summary: RunSummary([CaseResult]()), gate: .failed, at: start + 8)
    let bytes = OTLPTraceRequest(
      resource: [("service.name", .string("evalgate"))], scopeName: "evalgate", scopeVersion: "1.2.3", spans: spans
    ).encoded()
    return (try OTLPDecodedRequest(bytes), tracer)
  }

  @Test func aRunIsOneTraceWithACaseSpanPerCaseAndACallSpanPerModelCall() async throws {
    let (request, tracer) = try await Self.trace(content: false)
    #expect(request.resource["service.name"] == .string("evalgate"))
    #expect(request.scopeName == "evalgate")
    #expect(request.spans.count == 5)
    #expect(Set(request.spans.map(\.traceID)) == [tracer.traceID])
    #expect(tracer.traceID.count == 16)
    let root = try #require(request.spans.first { $0.parentID.isEmpty })
    #expect(root.name == "evalgate run")
    #expect(root.spanID == tracer.rootID)
    #expect(root.attributes["evalgate.gate"] == .string("failed"))
    #expect(root.attributes["evalgate.suites"] == .array([.string("support")]))
    let cases = request.spans.filter { $0.name == "evalgate.case" }
    #expect(cases.count == 2)
    #expect(cases.allSatisfy { $0.parentID == root.spanID && $0.kind == 1 })
    let calls = request.spans.filter { $0.kind == 3 }
    #expect(calls.count == 2)
    for call in calls { #expect(cases.contains { $0.spanID == call.parentID }) }
    // The answered call: GenAI attributes, times from its latency.
    let ok = try #require(calls.first { $0.attributes["error.type"] == nil })
    #expect(ok.name == "chat gpt-4o-mini")
    #expect(ok.attributes["gen_ai.system"] == .string("openai"))
    #expect(ok.attributes["gen_ai.operation.name"] == .string("chat"))
    #expect(ok.attributes["gen_ai.request.model"] == .string("gpt-4o-mini"))
    #expect(ok.attributes["gen_ai.response.model"] == .string("gpt-4o-mini-2024-07-18"))
    #expect(ok.attributes["gen_ai.usage.input_tokens"] == .int(12))
    #expect(ok.attributes["gen_ai.usage.output_tokens"] == .int(7))
    #expect(ok.attributes["gen_ai.response.finish_reasons"] == .array([.string("stop")]))
    #expect(ok.endNanos - ok.startNanos == 250_000_000)
    #expect(ok.endNanos == 1_790_000_001_000_000_000)
    #expect(ok.statusCode == 0)
    // The failed call and its case: error.type and an error status.
    let bad = try #require(calls.first { $0.attributes["error.type"] != nil })
    #expect(bad.attributes["error.type"] == .string("timeout"))
    #expect(bad.attributes["evalgate.retries"] == .int(1))
    #expect(bad.statusCode == 2)
    let badCase = try #require(cases.first { $0.spanID == bad.parentID })
    #expect(badCase.attributes["evalgate.case.outcome"] == .string("errored"))
    #expect(badCase.attributes["error.type"] == .string("timeout"))
    #expect(badCase.statusCode == 2)
    #expect(badCase.startNanos == bad.startNanos)
    // The root spans the run.
    #expect(root.startNanos == 1_790_000_000_000_000_000)
    #expect(root.endNanos == 1_790_000_008_000_000_000)
  }

  @Test func promptsOutputsAndTitlesStayOutUnlessAsked() async throws {
    let (plain, _) = try await Self.trace(content: false)
    let texts = plain.spans.flatMap { $0.attributes.values }.compactMap { v -> String? in
      if case .string(let s) = v { return s }
      return nil
    }
    #expect(!texts.contains { $0.contains("private") || $0.contains("secret title") })
    let (full, _) = try await Self.trace(content: true)
    let call = try #require(full.spans.first { $0.attributes["gen_ai.completion"] != nil })
    #expect(call.attributes["gen_ai.completion"] == .string("private answer"))
    #expect(call.attributes["gen_ai.prompt"] == .string("user: private question 0"))
    #expect(full.spans.contains { $0.attributes["evalgate.case.title"] == .string("secret title 0") })
  }
}
