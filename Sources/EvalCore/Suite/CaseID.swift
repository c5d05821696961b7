import Crypto
import Foundation

/// A case's stable identity: a SHA-256 over what the case *is* (suite, test id or content, prompt,
/// provider label), never over its position, so adding or reordering tests changes no other id.
public struct CaseID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  /// 16 lowercase hex digits (64 bits).
  public var rawValue: String

  /// Wraps an existing id.
  public init(rawValue: String) { self.rawValue = rawValue }

  /// Derives an id from canonical content.
  public init(content: JSONValue) {
    self.init(canonicalText: content.canonicalJSON)
  }

  /// The id of content already written as canonical JSON (``JSONValue/canonicalJSON``).
  public init(canonicalText: String) {
    var hasher = SHA256()
    CaseID.feed(&hasher, canonicalText)
    self.init(digest: hasher.finalize())
  }

  /// The id of 64 bits `number` spells as 16 lowercase hex digits (``number``'s inverse).
  public init(number: UInt64) {
    rawValue = String(unsafeUninitializedCapacity: 16) { buffer in
      let digits: StaticString = "0123456789abcdef"
      for i in 0..<16 { buffer[i] = digits.utf8Start[Int((number >> (60 - 4 * UInt64(i))) & 0xf)] }
      return 16
    }
  }

  /// The 64 bits the id spells when it is 16 lowercase hex digits (every id evalgate derives), `nil` for any
  /// other id: a large run keys and holds its cases by this number rather than by a string.
  public var number: UInt64? {
    // Read from the id's contiguous bytes: through the UTF-8 view it was 700 instructions, and a run asks it
    // five times a case (docs/benchmarks.md, session 15).
    rawValue.utf8.withContiguousStorageIfAvailable(Self.number) ?? Self.number(Array(rawValue.utf8))
  }

  private static func number(_ utf8: some Collection<UInt8>) -> UInt64? {
    guard utf8.count == 16 else { return nil }
    var value: UInt64 = 0
    for b in utf8 {
      switch b {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value << 4 | UInt64(b - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): value = value << 4 | UInt64(b - UInt8(ascii: "a") + 10)
      default: return nil
      }
    }
    return value
  }

  /// The raw id.
  public var description: String { rawValue }

  public static func < (lhs: CaseID, rhs: CaseID) -> Bool { lhs.rawValue < rhs.rawValue }

  public init(from decoder: any Decoder) throws {
    rawValue = try decoder.singleValueContainer().decode(String.self)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
}
