import Foundation

// Hand-written: no Swift package on this machine implements Jinja/nunjucks (see TemplateParser.swift).

/// The tests of `value is name(args)`, as nunjucks 3.2 defines them (src/tests.js).
enum TemplateIsTests {
  /// Every test name (`none` is read as `null`).
  static let names: Set<String> = [
    "defined", "undefined", "null", "number", "string", "truthy", "falsy", "odd", "even", "divisibleby", "eq",
    "equalto", "sameas", "ne", "gt", "greaterthan", "ge", "lt", "lessthan", "le", "lower", "upper", "mapping",
    "iterable", "callable", "escaped",
  ]

  /// Whether `value` passes test `name`.
  /// - Throws: ``TemplateError`` at `offset` when the test cannot take the value.
  static func check(
    _ name: String, _ value: TemplateValue, arguments: [TemplateValue], offset: Int
  ) throws(TemplateError) -> Bool {
    let other = arguments.first ?? .undefined
    let remainder = { (divisor: Double) in value.jsNumber.truncatingRemainder(dividingBy: divisor) }
    switch name {
    case "defined": return value != .undefined
    case "undefined": return value == .undefined
    case "null": return value == .null
    case "number":
      if case .number = value { return true }
      return false
    case "string":
      if case .string = value { return true }
      return false
    case "truthy": return value.isTruthy
    case "falsy": return !value.isTruthy
    case "odd": return remainder(2) == 1
    case "even": return remainder(2) == 0
    case "divisibleby": return remainder(other.jsNumber) == 0
    case "eq", "equalto", "sameas": return TemplateValue.strictlyEqual(value, other)
    case "ne": return !TemplateValue.strictlyEqual(value, other)
    case "gt", "greaterthan": return TemplateValue.less(other, value) ?? false
    case "ge": return TemplateValue.less(value, other).map { !$0 } ?? false
    case "lt", "lessthan": return TemplateValue.less(value, other) ?? false
    case "le": return TemplateValue.less(other, value).map { !$0 } ?? false
    case "lower", "upper":
      guard case .string(let s) = value else {
        throw TemplateError("test '\(name)' expects a string, got \(value.kindName)", at: offset)
      }
      return name == "lower" ? s.lowercased() == s : s.uppercased() == s
    case "mapping":
      if case .object = value { return true }
      return false
    case "iterable":
      switch value {
      case .undefined, .null: throw TemplateError("test 'iterable' got \(value.kindName)", at: offset)
      case .array, .string: return true
      default: return false
      }
    case "callable", "escaped": return false
    default: throw TemplateError("unknown test '\(name)'", at: offset)
    }
  }
}
