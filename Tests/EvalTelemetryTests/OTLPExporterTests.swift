import EvalCore
import EvalTelemetry
import Foundation
import OTLPReceiver
import Testing

struct OTLPExporterTests {
  static func spans(_ n: Int) -> [TraceSpan] {
    let start = Date(timeIntervalSince1970: 1_790_000_000)
    let trace = [UInt8](repeating: 7, count: 16)
    return (0..<n).map { i in
      TraceSpan(
        traceID: trace, spanID: [0, 0, 0, 0, 0, 0, UInt8(i >> 8), UInt8(i & 255)], parentID: nil, name: "s\(i)",
        kind: .internal, start: start, end: start + 1, attributes: [("i", .int(Int64(i)))])
    }
  }

  @Test func spansArePostedAsProtobufInBatchesWithTheConfiguredHeaders() async throws {
    let receiver = OTLPReceiver()
    let base = try await receiver.start()
    var exporter = try #require(
      OTLPExporter.configured(
        flag: nil,
        environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": base + "/", "OTEL_EXPORTER_OTLP_HEADERS": "x-token=abc%20def"]))
    #expect(exporter.url == base + "/v1/traces")
    exporter.timeout = .seconds(300)  // three requests; the default 10 s is tight on a loaded CI machine
    let warning = await exporter.export(Self.spans(2500), resource: [("service.name", .string("t"))], version: "9")
    #expect(warning == nil)
    let requests = receiver.requests
    #expect(requests.count == 3)
    #expect(requests.allSatisfy { $0.path == "/v1/traces" })
    #expect(requests.allSatisfy { $0.headers["content-type"] == "application/x-protobuf" })
    #expect(requests.allSatisfy { $0.headers["x-token"] == "abc def" })
    let decoded = try requests.map { try OTLPDecodedRequest($0.body) }
    #expect(decoded.map(\.spans.count) == [1000, 1000, 500])
    let names = decoded.flatMap(\.spans).map(\.name)
    #expect(names.count == 2500 && names == (0..<2500).map { "s\($0)" }, "spans lost or out of order")
    await receiver.stop()
  }

  @Test func aCollectorThatRefusesOrIsNotThereIsAWarningWithoutSecrets() async throws {
    let receiver = OTLPReceiver()
    let base = try await receiver.start()
    receiver.answer(503)
    let refusing = OTLPExporter(url: base + "/v1/traces", headers: [("authorization", "Bearer hunter2")])
    let warning = try #require(await refusing.export(Self.spans(3), resource: [], version: "9"))
    #expect(warning.hasPrefix("warning: telemetry: 3 of 3 spans were not exported"))
    #expect(warning.contains("HTTP 503"))
    #expect(!warning.contains("hunter2"))
    await receiver.stop()

    let absent = OTLPExporter(url: "http://u:hunter2@127.0.0.1:1/v1/traces")
    let gone = try #require(await absent.export(Self.spans(1), resource: [], version: "9"))
    #expect(gone.contains("1 of 1 spans were not exported to http://u:***@127.0.0.1:1/v1/traces"), "\(gone)")
    #expect(!gone.contains("hunter2"))
  }

  @Test func configurationFollowsTheOTelVariables() {
    #expect(OTLPExporter.configured(flag: nil, environment: [:]) == nil)
    #expect(
      OTLPExporter.configured(flag: "http://c:4318", environment: [:])?.url == "http://c:4318/v1/traces")
    #expect(
      OTLPExporter.configured(
        flag: nil,
        environment: [
          "OTEL_EXPORTER_OTLP_ENDPOINT": "http://a:4318", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://b/traces",
        ])?.url == "http://b/traces")
    #expect(
      OTLPExporter.configured(
        flag: "http://c:4318", environment: ["OTEL_SDK_DISABLED": "true"]) == nil)
    #expect(OTLPExporter.protocolWarning(environment: ["OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf"]) == nil)
    #expect(OTLPExporter.protocolWarning(environment: [:]) == nil)
    #expect(
      OTLPExporter.protocolWarning(environment: ["OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"])?.contains("'grpc'") == true)
  }
}
