import AsyncHTTPClient
import EvalCore
import Foundation
import NIOCore
import NIOHTTP1

/// Sends a run's spans to an OpenTelemetry collector over OTLP/HTTP (protobuf), once, when the run is over.
///
/// Why not swift-otel: its OTLP types are internal to its `OTel` module, and its tracer is a process-wide
/// `InstrumentationSystem.bootstrap` with a batching exporter run as a ServiceLifecycle service, made for long-
/// running servers: a CLI that wants one trace per run, exported before exit and tested many times in one test
/// process, would fight both; it also adds about 7 minutes to a cold build (gRPC comes along). A trace request
/// is a few nested messages, so evalgate writes them itself (`OTLPTraceRequest`, `ProtobufWriter`) and posts
/// them with async-http-client, which it already has. Failing to export is a warning, never a failure.
public struct OTLPExporter: Sendable {
  /// The traces URL (`…/v1/traces`).
  public var url: String
  /// Extra request headers (`OTEL_EXPORTER_OTLP_HEADERS`): often a collector's token, so never printed.
  public var headers: [(String, String)]
  /// How long the whole export may take.
  public var timeout: Duration
  /// Spans per request.
  public static let batch = 1000

  /// An exporter posting to `url`.
  public init(url: String, headers: [(String, String)] = [], timeout: Duration = .seconds(10)) {
    self.url = url
    self.headers = headers
    self.timeout = timeout
  }

  /// The exporter the flag or the environment asks for, `nil` when neither does (or `OTEL_SDK_DISABLED` or
  /// `OTEL_TRACES_EXPORTER=none`). `--otlp-endpoint` and `OTEL_EXPORTER_OTLP_ENDPOINT` are base URLs (`/v1/traces`
  /// is added); `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is used as given.
  public static func configured(flag: String?, environment: [String: String]) -> OTLPExporter? {
    let env = { (name: String) in environment[name].flatMap { $0.isEmpty ? nil : $0 } }
    if env("OTEL_SDK_DISABLED")?.lowercased() == "true" || env("OTEL_TRACES_EXPORTER")?.lowercased() == "none" {
      return nil
    }
    let url: String
    if let flag, !flag.isEmpty {
      url = tracesURL(base: flag)
    } else if let traces = env("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") {
      url = traces
    } else if let base = env("OTEL_EXPORTER_OTLP_ENDPOINT") {
      url = tracesURL(base: base)
    } else {
      return nil
    }
    let headerText = env("OTEL_EXPORTER_OTLP_TRACES_HEADERS") ?? env("OTEL_EXPORTER_OTLP_HEADERS") ?? ""
    var headers: [(String, String)] = []
    for pair in headerText.split(separator: ",") {
      guard let eq = pair.firstIndex(of: "=") else { continue }
      let name = pair[..<eq].trimmingCharacters(in: .whitespaces)
      let value = pair[pair.index(after: eq)...].trimmingCharacters(in: .whitespaces)
      if !name.isEmpty {
        headers.append((name.removingPercentEncoding ?? name, value.removingPercentEncoding ?? value))
      }
    }
    return OTLPExporter(url: url, headers: headers)
  }

  /// A warning when the environment asks for an OTLP protocol other than the one evalgate speaks
  /// (`OTEL_EXPORTER_OTLP_PROTOCOL` or `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL` other than `http/protobuf`).
  public static func protocolWarning(environment: [String: String]) -> String? {
    let asked = [environment["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"], environment["OTEL_EXPORTER_OTLP_PROTOCOL"]]
      .lazy.compactMap { $0 }.first { !$0.isEmpty }
    guard let asked, asked != "http/protobuf" else { return nil }
    return "warning: telemetry: OTLP protocol '\(asked)' is not supported; sending http/protobuf"
  }

  static func tracesURL(base: String) -> String {
    (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/v1/traces"
  }

  /// The URL without credentials, for messages.
  public var shownURL: String {
    guard var parts = URLComponents(string: url) else { return "the collector" }
    if parts.password != nil { parts.password = "***" }
    parts.query = nil
    return parts.string ?? "the collector"
  }

  /// Posts `spans` in batches; returns a warning line when some could not be exported.
  public func export(_ spans: [TraceSpan], resource: [(String, TraceSpan.Value)], version: String) async -> String? {
    var configuration = HTTPClient.Configuration()
    configuration.timeout = .init(connect: .seconds(5), read: .seconds(10))
    let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    var problem: String?
    var sent = 0
    let deadline = ContinuousClock.now + timeout
    for start in stride(from: 0, to: spans.count, by: Self.batch) {
      let batch = Array(spans[start..<min(spans.count, start + Self.batch)])
      let body = OTLPTraceRequest(resource: resource, scopeName: "evalgate", scopeVersion: version, spans: batch)
        .encoded()
      var request = HTTPClientRequest(url: url)
      request.method = .POST
      request.headers.add(name: "Content-Type", value: "application/x-protobuf")
      request.headers.add(name: "User-Agent", value: "evalgate/\(version)")
      for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
      request.body = .bytes(ByteBuffer(bytes: body))
      do {
        let left = deadline - ContinuousClock.now
        guard left > .zero else {
          problem = "the export took over \(timeout)"
          break
        }
        let response = try await client.execute(request, timeout: .milliseconds(max(1, Int64(left.inMilliseconds))))
        _ = try? await response.body.collect(upTo: 1 << 20)
        guard (200..<300).contains(Int(response.status.code)) else {
          problem = "the collector answered HTTP \(response.status.code)"
          break
        }
        sent += batch.count
      } catch {
        problem = "\(Self.describe(error))"
        break
      }
    }
    try? await client.shutdown()
    guard let problem else { return nil }
    return "warning: telemetry: \(spans.count - sent) of \(spans.count) spans were not exported to \(shownURL) "
      + "(\(problem)); the run's result is unaffected"
  }

  static func describe(_ error: any Error) -> String {
    if let error = error as? HTTPClientError { return "\(error)" }
    return String(describing: error)
  }
}
