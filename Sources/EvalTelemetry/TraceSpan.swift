import Foundation

/// One finished span of a run's trace, ready for export: ids, parent, name, kind, times, attributes, status.
public struct TraceSpan: Sendable, Equatable {
  /// OTLP's span kinds (the two evalgate makes).
  public enum Kind: UInt64, Sendable {
    /// Work inside evalgate (the run, a case).
    case `internal` = 1
    /// A call out to a model endpoint.
    case client = 3
  }

  /// OTLP's status codes.
  public enum Status: Sendable, Equatable {
    /// Not set: the span finished without a verdict of its own.
    case unset
    /// Failed, with a short, content-free message.
    case error(String)
  }

  /// An attribute's value.
  public enum Value: Sendable, Equatable {
    /// A string.
    case string(String)
    /// A 64-bit integer.
    case int(Int64)
    /// A double.
    case double(Double)
    /// A bool.
    case bool(Bool)
    /// An array of strings.
    case strings([String])
  }

  /// 16 bytes, shared by every span of the run.
  public var traceID: [UInt8]
  /// 8 bytes.
  public var spanID: [UInt8]
  /// The parent's span id; `nil` for the run's root span.
  public var parentID: [UInt8]?
  /// The span's name.
  public var name: String
  /// Internal or client.
  public var kind: Kind
  /// When it started.
  public var start: Date
  /// When it ended.
  public var end: Date
  /// Attributes, in the order written.
  public var attributes: [(String, Value)]
  /// The status.
  public var status: Status

  /// A span.
  public init(
    traceID: [UInt8], spanID: [UInt8], parentID: [UInt8]?, name: String, kind: Kind, start: Date, end: Date,
    attributes: [(String, Value)], status: Status = .unset
  ) {
    self.traceID = traceID
    self.spanID = spanID
    self.parentID = parentID
    self.name = name
    self.kind = kind
    self.start = start
    self.end = max(start, end)
    self.attributes = attributes
    self.status = status
  }

  /// The attribute named `key`, if set.
  public subscript(key: String) -> Value? { attributes.first { $0.0 == key }?.1 }

  /// Same ids, name, kind, times, status and attributes (in order).
  public static func == (a: TraceSpan, b: TraceSpan) -> Bool {
    a.traceID == b.traceID && a.spanID == b.spanID && a.parentID == b.parentID && a.name == b.name
      && a.kind == b.kind && a.start == b.start && a.end == b.end && a.status == b.status
      && a.attributes.map(\.0) == b.attributes.map(\.0) && a.attributes.map(\.1) == b.attributes.map(\.1)
  }

  /// Nanoseconds since 1970, as OTLP counts time.
  static func nanos(_ date: Date) -> UInt64 {
    UInt64(max(0, (date.timeIntervalSince1970 * 1_000_000).rounded())) * 1000
  }
}
