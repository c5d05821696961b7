import Foundation

/// Reading an assertion's `value` and `threshold` with errors that name the type.
extension AssertionSpec {
  /// The value as text: strings as they are, numbers and booleans in JSON form.
  func stringValue() throws -> String {
    switch value {
    case .string(let s)?: return s
    case .number?, .bigInteger?, .bool?: return value?.plainText ?? ""
    case nil, .null?: throw Diagnostic("'\(displayType)' needs a 'value'")
    default: throw Diagnostic("'\(displayType)' needs a string 'value', got \(value?.typeName ?? "nothing")")
    }
  }

  /// The value as a list of strings: a YAML list, or one comma-separated string (promptfoo's shorthand).
  func stringListValue() throws -> [String] {
    switch value {
    case .array(let items)?:
      guard !items.isEmpty else { throw Diagnostic("'\(displayType)' needs a non-empty list 'value'") }
      return try items.map { item in
        switch item {
        case .string(let s): return s
        case .number, .bigInteger, .bool: return item.plainText
        default: throw Diagnostic("'\(displayType)' needs a list of strings, found \(item.typeName)")
        }
      }
    case .string(let s)?:
      return s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    case nil, .null?: throw Diagnostic("'\(displayType)' needs a 'value' list")
    default: throw Diagnostic("'\(displayType)' needs a list 'value', got \(value?.typeName ?? "nothing")")
    }
  }

  /// The threshold, or a diagnostic when the type requires one.
  func requiredThreshold(_ what: String) throws -> Double {
    guard let threshold else { throw Diagnostic("'\(displayType)' needs a 'threshold' (\(what))") }
    return threshold
  }

  /// Whether the type name asks for case-insensitive matching (`icontains`, `icontains-any`, …).
  var isCaseInsensitive: Bool { type.hasPrefix("i") }
}
