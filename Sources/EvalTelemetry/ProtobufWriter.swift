/// Protocol Buffers wire format, the few field kinds an OTLP trace request uses (varint, 64-bit, length-delimited).
/// Fields are written in the order given; default values are written too unless the caller skips them.
public struct ProtobufWriter: Sendable {
  /// The encoded bytes.
  public private(set) var bytes: [UInt8] = []

  /// An empty message.
  public init() {}

  mutating func varint(_ value: UInt64) {
    var v = value
    while v >= 0x80 {
      bytes.append(UInt8(v & 0x7F) | 0x80)
      v >>= 7
    }
    bytes.append(UInt8(v))
  }

  mutating func tag(_ field: Int, _ wireType: UInt64) { varint(UInt64(field) << 3 | wireType) }

  /// A varint field (uint32, uint64, enum, bool).
  public mutating func uint(_ field: Int, _ value: UInt64) {
    tag(field, 0)
    varint(value)
  }

  /// An int64 field (two's complement varint).
  public mutating func int64(_ field: Int, _ value: Int64) { uint(field, UInt64(bitPattern: value)) }

  /// A bool field.
  public mutating func bool(_ field: Int, _ value: Bool) { uint(field, value ? 1 : 0) }

  /// A fixed64 field, little-endian.
  public mutating func fixed64(_ field: Int, _ value: UInt64) {
    tag(field, 1)
    for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
  }

  /// A double field (IEEE 754, little-endian).
  public mutating func double(_ field: Int, _ value: Double) { fixed64(field, value.bitPattern) }

  /// A bytes field.
  public mutating func bytes(_ field: Int, _ value: [UInt8]) {
    tag(field, 2)
    varint(UInt64(value.count))
    bytes.append(contentsOf: value)
  }

  /// A string field (UTF-8).
  public mutating func string(_ field: Int, _ value: String) { bytes(field, Array(value.utf8)) }

  /// An embedded message field.
  public mutating func message(_ field: Int, _ build: (inout ProtobufWriter) -> Void) {
    var inner = ProtobufWriter()
    build(&inner)
    bytes(field, inner.bytes)
  }
}
