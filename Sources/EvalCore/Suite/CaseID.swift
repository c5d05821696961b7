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
    let digest = SHA256.hash(data: Array(canonicalText.utf8))
    rawValue = Hex.lowercase(digest.prefix(8))
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
