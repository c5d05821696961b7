import Foundation

/// An arithmetic expression over named metrics, in the part of mathjs's syntax promptfoo's
/// `derivedMetrics` use: numbers, metric names (a name no assertion records is 0, as in promptfoo),
/// `+ - * / % ^`, unary minus, parentheses, and the functions `min`, `max`, `abs`, `sqrt`, `pow`, `exp`,
/// `log`, `round`, `floor`, `ceil`. Parsed once, at load time, so a typo is a located error before any call.
public struct MetricExpression: Sendable, Hashable {
  indirect enum Node: Sendable, Hashable {
    case number(Double)
    case name(String)
    case negate(Node)
    case binary(Character, Node, Node)
    case call(String, [Node])
  }

  let root: Node
  /// The text as written.
  public let text: String

  static let functions: [String: ClosedRange<Int>] = [
    "min": 1...64, "max": 1...64, "abs": 1...1, "sqrt": 1...1, "pow": 2...2, "exp": 1...1, "log": 1...2,
    "round": 1...1, "floor": 1...1, "ceil": 1...1,
  ]

  /// Parses `text`.
  /// - Throws: ``Diagnostic`` (without a location) saying what is wrong and where in the text.
  public init(_ text: String) throws {
    self.text = text
    var parser = Parser(chars: Array(text))
    root = try parser.expression()
    parser.skipSpaces()
    if parser.index < parser.chars.count {
      throw Diagnostic("unexpected '\(parser.chars[parser.index])' at column \(parser.index + 1) of '\(text)'")
    }
  }

  /// The names the expression reads.
  public var names: Set<String> {
    func collect(_ node: Node) -> Set<String> {
      switch node {
      case .number: return []
      case .name(let n): return [n]
      case .negate(let a): return collect(a)
      case .binary(_, let a, let b): return collect(a).union(collect(b))
      case .call(_, let args): return args.reduce(into: []) { $0.formUnion(collect($1)) }
      }
    }
    return collect(root)
  }

  /// The value with `scores` for the names (a missing name is 0). Division by zero gives ±infinity or NaN,
  /// as in mathjs; the caller decides what to record.
  public func evaluate(_ scores: [String: Double]) -> Double {
    func value(_ node: Node) -> Double {
      switch node {
      case .number(let x): return x
      case .name(let n): return scores[n] ?? 0
      case .negate(let a): return -value(a)
      case .binary(let op, let a, let b):
        let (x, y) = (value(a), value(b))
        switch op {
        case "+": return x + y
        case "-": return x - y
        case "*": return x * y
        case "/": return x / y
        case "%": return x.truncatingRemainder(dividingBy: y)
        default: return Foundation.pow(x, y)
        }
      case .call(let f, let args):
        let xs = args.map(value)
        switch f {
        case "min": return xs.min() ?? .nan
        case "max": return xs.max() ?? .nan
        case "abs": return Swift.abs(xs[0])
        case "sqrt": return xs[0].squareRoot()
        case "pow": return Foundation.pow(xs[0], xs[1])
        case "exp": return Foundation.exp(xs[0])
        case "log": return xs.count == 2 ? Foundation.log(xs[0]) / Foundation.log(xs[1]) : Foundation.log(xs[0])
        case "round": return xs[0].rounded()
        case "floor": return xs[0].rounded(.down)
        default: return xs[0].rounded(.up)
        }
      }
    }
    return value(root)
  }

  /// A recursive-descent parser: `+ -` below `* / %` below unary minus below `^` (right-associative).
  struct Parser {
    let chars: [Character]
    var index = 0

    mutating func skipSpaces() {
      while index < chars.count, chars[index].isWhitespace { index += 1 }
    }

    mutating func peek() -> Character? {
      skipSpaces()
      return index < chars.count ? chars[index] : nil
    }

    func error(_ what: String) -> Diagnostic {
      Diagnostic("\(what) at column \(index + 1) of '\(String(chars))'")
    }

    mutating func expression() throws -> Node {
      var left = try term()
      while let op = peek(), op == "+" || op == "-" {
        index += 1
        left = .binary(op, left, try term())
      }
      return left
    }

    mutating func term() throws -> Node {
      var left = try unary()
      while let op = peek(), op == "*" || op == "/" || op == "%" {
        index += 1
        left = .binary(op, left, try unary())
      }
      return left
    }

    mutating func unary() throws -> Node {
      if peek() == "-" {
        index += 1
        return .negate(try unary())
      }
      if peek() == "+" {
        index += 1
        return try unary()
      }
      return try power()
    }

    mutating func power() throws -> Node {
      let base = try primary()
      if peek() == "^" {
        index += 1
        return .binary("^", base, try unary())
      }
      return base
    }

    mutating func primary() throws -> Node {
      guard let c = peek() else { throw error("expected a number, a metric name or '('") }
      if c == "(" {
        index += 1
        let inner = try expression()
        guard peek() == ")" else { throw error("expected ')'") }
        index += 1
        return inner
      }
      if c.isNumber || c == "." {
        let start = index
        while index < chars.count, chars[index].isNumber || chars[index] == "." { index += 1 }
        if index < chars.count, chars[index] == "e" || chars[index] == "E" {
          var end = index + 1
          if end < chars.count, chars[end] == "-" || chars[end] == "+" { end += 1 }
          if end < chars.count, chars[end].isNumber {
            index = end
            while index < chars.count, chars[index].isNumber { index += 1 }
          }
        }
        guard let x = Double(String(chars[start..<index])) else {
          index = start
          throw error("a malformed number")
        }
        return .number(x)
      }
      if c.isLetter || c == "_" || c == "$" {
        let start = index
        while index < chars.count, chars[index].isLetter || chars[index].isNumber || "_$".contains(chars[index]) {
          index += 1
        }
        let name = String(chars[start..<index])
        guard peek() == "(" else { return .name(name) }
        guard let arity = MetricExpression.functions[name] else {
          index = start
          throw error(
            "unknown function '\(name)' (known: \(MetricExpression.functions.keys.sorted().joined(separator: ", ")))")
        }
        index += 1
        var args: [Node] = []
        if peek() != ")" {
          args.append(try expression())
          while peek() == "," {
            index += 1
            args.append(try expression())
          }
        }
        guard peek() == ")" else { throw error("expected ')' or ','") }
        index += 1
        guard arity.contains(args.count) else {
          throw error(
            "'\(name)' takes \(arity.lowerBound == arity.upperBound ? "\(arity.lowerBound)" : "\(arity.lowerBound)…\(arity.upperBound)") argument(s), found \(args.count)"
          )
        }
        return .call(name, args)
      }
      throw error("unexpected '\(c)'")
    }
  }
}
