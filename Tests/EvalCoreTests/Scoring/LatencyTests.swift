import EvalCore
import Testing

struct LatencyTests {
  @Test(arguments: [(100.0, 200.0, true), (200.0, 200.0, true), (200.5, 200.0, false)])
  func truthTable(latency: Double, threshold: Double, pass: Bool) async throws {
    #expect(try await Harness.passes("latency", threshold: threshold, output: "x", latencyMs: latency) == pass)
    #expect(try await Harness.passes("not-latency", threshold: threshold, output: "x", latencyMs: latency) == !pass)
  }

  @Test func thresholdIsRequired() {
    #expect(Harness.buildError("latency")?.message.contains("needs a 'threshold'") == true)
  }
}
