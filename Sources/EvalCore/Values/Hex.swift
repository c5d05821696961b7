/// Lowercase hexadecimal text for bytes (digests in ids and cache keys), without `String(format:)`,
/// which costs a formatter call per byte.
public enum Hex {
  private static let digits = Array("0123456789abcdef".utf8)

  /// `bytes` as two lowercase hex digits each.
  public static func lowercase(_ bytes: some Sequence<UInt8>) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.underestimatedCount * 2)
    for byte in bytes {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}
