/// The combinations a test's vars expand to (see ``Expansion/expands(_:)``), computed one at a time from
/// their index rather than built as a list: a 1000 × 1000 matrix is a million cases, not a million
/// dictionaries held at once. Keys are taken in sorted order and the last one varies fastest, the order
/// ``Expansion/combinations(of:)`` has always had.
public struct VarCombinations: RandomAccessCollection, Sendable {
  /// The vars as the test gives them (lists that expand included).
  public let vars: [String: JSONValue]
  /// The keys that expand, in sorted order, with their options.
  private let axes: [(key: String, options: [JSONValue])]
  /// How many combinations; saturates at `Int.max` (a suite that large is refused by
  /// ``Expansion/checkSize(of:limit:)`` before it is expanded).
  public let count: Int

  /// The combinations of `vars`.
  public init(_ vars: [String: JSONValue]) {
    self.vars = vars
    var axes: [(key: String, options: [JSONValue])] = []
    for key in vars.keys.sorted() {
      if let value = vars[key], Expansion.expands(value), case .array(let options) = value {
        axes.append((key, options))
      }
    }
    self.axes = axes
    count = axes.reduce(1) { Expansion.multiply($0, $1.options.count) }
  }

  public var startIndex: Int { 0 }
  public var endIndex: Int { count }

  /// The combination at `position`: mixed-radix digits, the last key's the least significant.
  public subscript(position: Int) -> [String: JSONValue] {
    precondition(position >= 0 && position < count, "combination index out of range")
    var out = vars
    var rest = position
    for axis in axes.reversed() {
      out[axis.key] = axis.options[rest % axis.options.count]
      rest /= axis.options.count
    }
    return out
  }
}
