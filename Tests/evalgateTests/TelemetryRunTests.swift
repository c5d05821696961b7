import EvalCore
import FakeOpenAIServer
import Foundation
import OTLPReceiver
import Testing

/// `evalgate run` exporting its trace to an OTLP/HTTP collector (a loopback receiver that decodes the protobuf).
struct TelemetryRunTests {
  static func suite(_ baseURL: String) -> String {
    """
    prompts: ["say {{ n }}"]
    providers:
      - id: openai:chat:fake-model
        config: { apiBaseUrl: "\(baseURL)" }
    tests:
      - vars: { n: [1, 2, 3] }
        assert: [{ type: contains, value: zzz-never }]
    """
  }

  @Test func aRunExportsOneTraceWithCaseAndCallSpans() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    let receiver = OTLPReceiver()
    let collector = try await receiver.start()
    let dir = try CLI.scratch(["suites/s.yaml": Self.suite(server.baseURL)])
    let r = try await CLI.run(
      ["run", "--no-history", "--no-cache", "--otlp-endpoint", collector], in: dir,
      environment: ["OTEL_EXPORTER_OTLP_HEADERS": "authorization=Bearer%20collector-secret"])
    #expect(r.status == 1, "\(r.stderr)")
    #expect(!r.stderr.contains("telemetry"), "\(r.stderr)")
    let requests = receiver.requests
    #expect(requests.count == 1)
    #expect(requests.first?.headers["authorization"] == "Bearer collector-secret")
    let trace = try OTLPDecodedRequest(try #require(requests.first).body)
    #expect(trace.resource["service.name"] == .string("evalgate"))
    let root = try #require(trace.spans.first { $0.parentID.isEmpty })
    #expect(root.name == "evalgate run")
    #expect(root.attributes["evalgate.gate"] == .string("failed"))
    #expect(root.attributes["evalgate.cases"] == .int(3))
    let cases = trace.spans.filter { $0.parentID == root.spanID }
    #expect(cases.count == 3)
    #expect(Set(cases.compactMap { $0.attributes["evalgate.case.id"] }).count == 3)
    let calls = trace.spans.filter { $0.kind == 3 }
    #expect(calls.count == 3)
    for call in calls {
      let parent = try #require(cases.first { $0.spanID == call.parentID })
      #expect(call.startNanos >= root.startNanos && call.endNanos <= parent.endNanos)
      #expect(call.attributes["gen_ai.system"] == .string("openai"))
      #expect(call.attributes["gen_ai.request.model"] == .string("fake-model"))
      #expect(call.attributes["gen_ai.response.model"] != nil)
      if case .int(let tokens)? = call.attributes["gen_ai.usage.input_tokens"] {
        #expect(tokens > 0)
      } else {
        Issue.record("no gen_ai.usage.input_tokens on \(call.attributes)")
      }
      #expect(call.attributes["gen_ai.prompt"] == nil)
    }
    #expect(Set(trace.spans.map(\.traceID)).count == 1)
    // No prompt text anywhere without --otlp-content.
    #expect(!String(decoding: try #require(requests.first).body, as: UTF8.self).contains("say 1"))
    await receiver.stop()
    await server.stop()
  }

  @Test func anUnreachableOrFailingCollectorNeverChangesTheExitCode() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    let receiver = OTLPReceiver()
    let collector = try await receiver.start()
    receiver.answer(500)
    let dir = try CLI.scratch(["suites/s.yaml": Self.suite(server.baseURL)])
    let plain = try await CLI.run(["run", "--no-history"], in: dir)
    #expect(plain.status == 1, "\(plain.stderr)")
    let down = try await CLI.run(
      ["run", "--no-history"], in: dir, environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:1"])
    #expect(down.status == plain.status)
    #expect(down.stderr.contains("warning: telemetry: 7 of 7 spans were not exported"), "\(down.stderr)")
    let failing = try await CLI.run(["run", "--no-history", "--otlp-endpoint", collector], in: dir)
    #expect(failing.status == plain.status)
    #expect(failing.stderr.contains("HTTP 500"), "\(failing.stderr)")
    #expect(receiver.requests.count == 1)
    await receiver.stop()
    await server.stop()
  }
}
