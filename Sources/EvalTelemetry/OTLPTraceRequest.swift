/// An OTLP `ExportTraceServiceRequest` (opentelemetry-proto, collector/trace/v1) in protobuf: one resource, one
/// instrumentation scope, the spans. Field numbers follow trace.proto, common.proto and resource.proto.
public struct OTLPTraceRequest: Sendable {
  /// Resource attributes (`service.name`, `service.version`, …).
  public var resource: [(String, TraceSpan.Value)]
  /// The instrumentation scope's name.
  public var scopeName: String
  /// The instrumentation scope's version.
  public var scopeVersion: String
  /// The spans.
  public var spans: [TraceSpan]

  /// A request.
  public init(resource: [(String, TraceSpan.Value)], scopeName: String, scopeVersion: String, spans: [TraceSpan]) {
    self.resource = resource
    self.scopeName = scopeName
    self.scopeVersion = scopeVersion
    self.spans = spans
  }

  /// The request's protobuf bytes.
  public func encoded() -> [UInt8] {
    var request = ProtobufWriter()
    request.message(1) { resourceSpans in  // ExportTraceServiceRequest.resource_spans
      resourceSpans.message(1) { r in  // ResourceSpans.resource
        for (key, value) in resource { r.message(1) { Self.keyValue(&$0, key, value) } }  // Resource.attributes
      }
      resourceSpans.message(2) { scopeSpans in  // ResourceSpans.scope_spans
        scopeSpans.message(1) { scope in  // ScopeSpans.scope
          scope.string(1, scopeName)
          scope.string(2, scopeVersion)
        }
        for span in spans { scopeSpans.message(2) { Self.span(&$0, span) } }  // ScopeSpans.spans
      }
    }
    return request.bytes
  }

  static func span(_ w: inout ProtobufWriter, _ span: TraceSpan) {
    w.bytes(1, span.traceID)
    w.bytes(2, span.spanID)
    if let parent = span.parentID { w.bytes(4, parent) }
    w.string(5, span.name)
    w.uint(6, span.kind.rawValue)
    w.fixed64(7, TraceSpan.nanos(span.start))
    w.fixed64(8, TraceSpan.nanos(span.end))
    for (key, value) in span.attributes { w.message(9) { keyValue(&$0, key, value) } }
    if case .error(let message) = span.status {
      w.message(15) { status in
        status.string(2, message)
        status.uint(3, 2)  // STATUS_CODE_ERROR
      }
    }
  }

  static func keyValue(_ w: inout ProtobufWriter, _ key: String, _ value: TraceSpan.Value) {
    w.string(1, key)
    w.message(2) { anyValue(&$0, value) }
  }

  static func anyValue(_ w: inout ProtobufWriter, _ value: TraceSpan.Value) {
    switch value {
    case .string(let s): w.string(1, s)
    case .bool(let b): w.bool(2, b)
    case .int(let i): w.int64(3, i)
    case .double(let d): w.double(4, d)
    case .strings(let list):
      w.message(5) { array in for s in list { array.message(1) { $0.string(1, s) } } }
    }
  }
}
