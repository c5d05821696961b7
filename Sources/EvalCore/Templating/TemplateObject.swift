import Foundation

/// A JavaScript object while a template renders: members with an iteration order.
///
/// JavaScript iterates integer-like keys first (ascending), then the others in insertion order. Test
/// variables arrive as dictionaries, which have lost their insertion order, so their other keys iterate
/// sorted (a documented difference from promptfoo); object literals written in a template keep their order.
struct TemplateObject: Sendable, Hashable {
  /// Keys in iteration order.
  private(set) var keys: [String]
  private var members: [String: TemplateValue]

  /// An object from unordered members.
  init(_ members: [String: TemplateValue]) {
    self.members = members
    self.keys = TemplateObject.ordered(Array(members.keys), sortingTheRest: true)
  }

  /// An object from members in the order written (a later duplicate key replaces the value in place).
  init(ordered pairs: [(String, TemplateValue)]) {
    var members: [String: TemplateValue] = [:]
    var keys: [String] = []
    for (key, value) in pairs {
      if members.updateValue(value, forKey: key) == nil { keys.append(key) }
    }
    self.members = members
    self.keys = TemplateObject.ordered(keys, sortingTheRest: false)
  }

  /// JavaScript's property order: integer-like keys ascending, then the others (sorted, or as given).
  private static func ordered(_ keys: [String], sortingTheRest: Bool) -> [String] {
    let indexed = keys.compactMap { key in arrayIndex(key).map { (key, $0) } }.sorted { $0.1 < $1.1 }.map(\.0)
    let rest = keys.filter { arrayIndex($0) == nil }
    return indexed + (sortingTheRest ? rest.sorted() : rest)
  }

  /// The member, or `undefined`.
  subscript(key: String) -> TemplateValue { members[key] ?? .undefined }

  /// Whether the object has the key (JavaScript's `key in object`, own members only).
  func has(_ key: String) -> Bool { members[key] != nil }

  /// The number of members.
  var count: Int { keys.count }

  /// The value of a key that is a canonical array index (`0`, `1`, `42`; not `01` or `-1`), JavaScript's
  /// test for keys that sort first and for array indexes.
  static func arrayIndex(_ key: String) -> Int? {
    guard let first = key.utf8.first, key.utf8.count <= 10, first != UInt8(ascii: "0") || key.utf8.count == 1,
      key.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let n = Int(key), n < 4_294_967_295
    else { return nil }
    return n
  }
}
