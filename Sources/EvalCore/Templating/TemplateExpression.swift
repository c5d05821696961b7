import Foundation

/// An expression of a compiled template, grouped as the JavaScript that nunjucks compiles it to
/// would group it (see ``TemplateParser``). Offsets locate runtime errors.
indirect enum TemplateExpression: Sendable {
  /// JavaScript's binary operators as nunjucks emits them (`~` becomes `+ "" +`).
  enum Operator: String, Sendable {
    case or = "||"
    case and = "&&"
    case equal = "=="
    case notEqual = "!="
    case identical = "==="
    case notIdentical = "!=="
    case less = "<"
    case greater = ">"
    case lessOrEqual = "<="
    case greaterOrEqual = ">="
    case plus = "+"
    case minus = "-"
    case times = "*"
    case divide = "/"
    case remainder = "%"

    /// JavaScript precedence, higher binds tighter.
    var precedence: Int {
      switch self {
      case .or: 1
      case .and: 2
      case .equal, .notEqual, .identical, .notIdentical: 3
      case .less, .greater, .lessOrEqual, .greaterOrEqual: 4
      case .plus, .minus: 5
      case .times, .divide, .remainder: 6
      }
    }
  }

  /// JavaScript's prefix operators: `!` (nunjucks' `not`), `-` and `+`.
  enum Prefix: Sendable {
    case not, negate, plus
  }

  case literal(TemplateValue)
  /// A name looked up in loop and `set` scopes, then the test's vars, then the globals (`env`, `range`).
  case variable(String, offset: Int)
  /// `target.name` or `target[key]`.
  case member(TemplateExpression, key: TemplateExpression)
  /// `[a, b]`.
  case array([TemplateExpression])
  /// `{a: 1, "b": 2}`, keys in the order written.
  case object([(String, TemplateExpression)])
  case prefix(Prefix, TemplateExpression)
  case binary(Operator, TemplateExpression, TemplateExpression)
  /// `Math.floor(x)`: nunjucks' `a // b` is `Math.floor(a / b)`.
  case floor(TemplateExpression)
  /// `a ** b`.
  case power(TemplateExpression, TemplateExpression)
  /// `a if condition else b` (without `else`, an empty string).
  case choice(condition: TemplateExpression, then: TemplateExpression, otherwise: TemplateExpression?)
  /// `input | name(arguments)`.
  case filter(String, input: TemplateExpression, arguments: [TemplateExpression], offset: Int)
  /// `input is name(arguments)`.
  case test(String, input: TemplateExpression, arguments: [TemplateExpression], offset: Int)
  /// `element in container`.
  case contains(TemplateExpression, in: TemplateExpression, offset: Int)
  /// The global `range(stop)`, `range(start, stop[, step])`.
  case range([TemplateExpression], offset: Int)
}
