import ArgumentParser
import EvalCore
import EvalTelemetry
import Foundation

/// `--otlp-endpoint URL` and `--otlp-content`: a trace of the run sent to an OpenTelemetry collector.
struct TelemetryOptions: ParsableArguments {
  @Option(
    name: .customLong("otlp-endpoint"),
    help: ArgumentHelp(
      "Send the run's trace to this OTLP/HTTP collector (base URL; /v1/traces is added). Default: "
        + "OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT; none when unset.",
      valueName: "url"))
  var endpoint: String?

  @Flag(
    name: .customLong("otlp-content"),
    help: "Put prompts, outputs and case titles into the spans (left out by default).")
  var content = false

  /// The exporter and a tracer for a run that started at `startedAt`, when tracing is asked for.
  func tracing(startedAt: Date, environment: [String: String]) -> RunTelemetry? {
    guard let exporter = OTLPExporter.configured(flag: endpoint, environment: environment) else { return nil }
    if let warning = OTLPExporter.protocolWarning(environment: environment) { Terminal.error(warning + "\n") }
    return RunTelemetry(
      exporter: exporter, tracer: RunTracer(startedAt: startedAt, content: content),
      serviceName: environment["OTEL_SERVICE_NAME"].flatMap { $0.isEmpty ? nil : $0 } ?? "evalgate")
  }
}

/// A run's tracer and where its spans go; exporting never fails the run.
struct RunTelemetry: Sendable {
  var exporter: OTLPExporter
  var tracer: RunTracer
  var serviceName: String

  /// Ends the trace with `report` and exports it; problems are printed as a warning.
  func finish(_ report: RunReport) async {
    let spans = await tracer.finish(
      suites: report.suites.map(\.id), summary: report.summary, gate: report.gate.status, at: Date())
    let resource: [(String, TraceSpan.Value)] = [
      ("service.name", .string(serviceName)), ("service.version", .string(EvalgateCommand.version)),
      ("telemetry.sdk.name", .string("evalgate")), ("telemetry.sdk.language", .string("swift")),
    ]
    if let warning = await exporter.export(spans, resource: resource, version: EvalgateCommand.version) {
      Terminal.error(warning + "\n")
    }
  }
}
