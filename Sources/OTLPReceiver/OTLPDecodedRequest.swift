import Foundation

/// An OTLP `ExportTraceServiceRequest` read back from protobuf, independently of evalgate's writer: a
/// general wire-format reader, then the OTLP field numbers (trace.proto, common.proto, resource.proto).
public struct OTLPDecodedRequest: Sendable {
  /// A decoded span.
  public struct Span: Sendable {
    /// `trace_id` (16 bytes).
    public var traceID: [UInt8] = []
    /// `span_id` (8 bytes).
    public var spanID: [UInt8] = []
    /// `parent_span_id`; empty for a root span.
    public var parentID: [UInt8] = []
    /// `name`.
    public var name = ""
    /// `kind`: 1 internal, 2 server, 3 client.
    public var kind: UInt64 = 0
    /// `start_time_unix_nano`.
    public var startNanos: UInt64 = 0
    /// `end_time_unix_nano`.
    public var endNanos: UInt64 = 0
    /// `attributes` by key.
    public var attributes: [String: Value] = [:]
    /// `status.code`: 0 unset, 1 ok, 2 error.
    public var statusCode: UInt64 = 0
    /// `status.message`.
    public var statusMessage = ""
  }

  /// A decoded attribute value.
  public enum Value: Sendable, Hashable {
    /// `string_value`.
    case string(String)
    /// `bool_value`.
    case bool(Bool)
    /// `int_value`.
    case int(Int64)
    /// `double_value`.
    case double(Double)
    /// `array_value`.
    case array([Value])
  }

  /// Resource attributes.
  public var resource: [String: Value] = [:]
  /// Instrumentation scope name.
  public var scopeName = ""
  /// Every span, in the order sent.
  public var spans: [Span] = []

  /// Why bytes are not a request.
  public struct Malformed: Error, CustomStringConvertible {
    /// What was wrong.
    public var description: String
  }

  /// Decodes `bytes`.
  public init(_ bytes: [UInt8]) throws {
    for field in try Self.fields(bytes[...]) where field.number == 1 {  // resource_spans
      for rs in try Self.fields(try field.message()) {
        switch rs.number {
        case 1:  // resource
          for attribute in try Self.fields(try rs.message()) where attribute.number == 1 {
            let (key, value) = try Self.keyValue(try attribute.message())
            resource[key] = value
          }
        case 2:  // scope_spans
          for ss in try Self.fields(try rs.message()) {
            if ss.number == 1 {
              for scope in try Self.fields(try ss.message()) where scope.number == 1 {
                scopeName = try scope.string()
              }
            } else if ss.number == 2 {
              spans.append(try Self.span(try ss.message()))
            }
          }
        default: continue
        }
      }
    }
  }

  static func span(_ bytes: ArraySlice<UInt8>) throws -> Span {
    var span = Span()
    for f in try fields(bytes) {
      switch f.number {
      case 1: span.traceID = Array(try f.message())
      case 2: span.spanID = Array(try f.message())
      case 4: span.parentID = Array(try f.message())
      case 5: span.name = try f.string()
      case 6: span.kind = f.varint
      case 7: span.startNanos = f.varint
      case 8: span.endNanos = f.varint
      case 9:
        let (key, value) = try keyValue(try f.message())
        span.attributes[key] = value
      case 15:
        for s in try fields(try f.message()) {
          if s.number == 2 { span.statusMessage = try s.string() }
          if s.number == 3 { span.statusCode = s.varint }
        }
      default: continue
      }
    }
    return span
  }

  static func keyValue(_ bytes: ArraySlice<UInt8>) throws -> (String, Value) {
    var key = ""
    var value = Value.string("")
    for f in try fields(bytes) {
      if f.number == 1 { key = try f.string() }
      if f.number == 2 { value = try anyValue(try f.message()) }
    }
    return (key, value)
  }

  static func anyValue(_ bytes: ArraySlice<UInt8>) throws -> Value {
    var value = Value.string("")
    for f in try fields(bytes) {
      switch f.number {
      case 1: value = .string(try f.string())
      case 2: value = .bool(f.varint != 0)
      case 3: value = .int(Int64(bitPattern: f.varint))
      case 4: value = .double(Double(bitPattern: f.varint))
      case 5:
        value = .array(try fields(try f.message()).filter { $0.number == 1 }.map { try anyValue(try $0.message()) })
      default: continue
      }
    }
    return value
  }

  /// One wire-format field: its number, and its varint/fixed value or its bytes.
  struct Field {
    var number: Int
    var wireType: Int
    var varint: UInt64 = 0
    var payload: ArraySlice<UInt8> = []

    func message() throws -> ArraySlice<UInt8> {
      guard wireType == 2 else { throw Malformed(description: "field \(number) is not length-delimited") }
      return payload
    }

    func string() throws -> String {
      guard let s = String(validating: Array(try message()), as: UTF8.self) else {
        throw Malformed(description: "field \(number) is not UTF-8")
      }
      return s
    }
  }

  static func fields(_ bytes: ArraySlice<UInt8>) throws -> [Field] {
    var out: [Field] = []
    var i = bytes.startIndex
    func readVarint() throws -> UInt64 {
      var value: UInt64 = 0
      var shift: UInt64 = 0
      while true {
        guard i < bytes.endIndex, shift < 64 else { throw Malformed(description: "truncated varint") }
        let byte = bytes[i]
        i += 1
        value |= UInt64(byte & 0x7F) << shift
        if byte & 0x80 == 0 { return value }
        shift += 7
      }
    }
    while i < bytes.endIndex {
      let key = try readVarint()
      var field = Field(number: Int(key >> 3), wireType: Int(key & 7))
      switch field.wireType {
      case 0: field.varint = try readVarint()
      case 1, 5:
        let width = field.wireType == 1 ? 8 : 4
        guard bytes.endIndex - i >= width else { throw Malformed(description: "truncated fixed field") }
        for k in 0..<width { field.varint |= UInt64(bytes[i + k]) << UInt64(8 * k) }
        i += width
      case 2:
        let length = Int(try readVarint())
        guard length >= 0, bytes.endIndex - i >= length else { throw Malformed(description: "truncated bytes") }
        field.payload = bytes[i..<(i + length)]
        i += length
      default: throw Malformed(description: "wire type \(field.wireType)")
      }
      out.append(field)
    }
    return out
  }
}
