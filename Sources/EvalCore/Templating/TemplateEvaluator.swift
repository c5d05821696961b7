import Foundation

// Hand-written: no Swift package on this machine implements Jinja/nunjucks (see TemplateParser.swift).
// Runs a parsed template as nunjucks 3.2's generated JavaScript would: its frames and scoping
// (`set` inside a loop updates a variable of an enclosing scope, else stays in the loop), loop variables,
// and JavaScript's values and operators.

/// Renders parsed ``TemplateNode``s with a case's vars.
struct TemplateEvaluator {
  private let vars: [String: JSONValue]
  private let environment: [String: String]
  /// Scopes: `frames[0]` is the template's top level, each running `for` pushes one.
  private var frames: [[String: TemplateValue]] = [[:]]
  /// Variables set at the top level (nunjucks' context variables: they hide test vars of the same name).
  private var context: [String: TemplateValue] = [:]
  /// Vars converted once per render.
  private var converted: [String: TemplateValue] = [:]
  private var output = ""
  /// The suite's filters in code.
  private var custom: CustomFilters?

  /// Renders `nodes`.
  /// - Throws: ``TemplateError`` when a filter or operator fails on the values it gets.
  static func render(
    _ nodes: [TemplateNode], vars: [String: JSONValue], environment: [String: String],
    custom: CustomFilters? = nil
  ) throws(TemplateError) -> String {
    var evaluator = TemplateEvaluator(vars: vars, environment: environment)
    evaluator.custom = custom
    try evaluator.run(nodes)
    return evaluator.output
  }

  private init(vars: [String: JSONValue], environment: [String: String]) {
    self.vars = vars
    self.environment = environment
  }

  // MARK: statements

  private mutating func run(_ nodes: [TemplateNode]) throws(TemplateError) {
    for node in nodes {
      switch node {
      case .text(let text):
        output += text
      case .output(let expression):
        output += try evaluate(expression).output
      case .conditional(let branches, let otherwise):
        var taken = false
        for branch in branches {
          guard try evaluate(branch.condition).isTruthy else { continue }
          try run(branch.body)
          taken = true
          break
        }
        if !taken, let otherwise { try run(otherwise) }
      case .loop(let names, let iterable, let body, let otherwise):
        try loop(names: names, over: try evaluate(iterable), body: body, otherwise: otherwise)
      case .assign(let names, let value):
        let v = try evaluate(value)
        for name in names { set(name, v) }
      case .capture(let names, let body):
        let saved = output
        output = ""
        try run(body)
        let captured = TemplateValue.string(output)
        output = saved
        for name in names { set(name, captured) }
      }
    }
  }

  private mutating func loop(
    names: [String], over iterable: TemplateValue, body: [TemplateNode], otherwise: [TemplateNode]?
  ) throws(TemplateError) {
    frames.append([:])
    defer { frames.removeLast() }
    // (key, value) pairs for two names over an object, else the elements.
    var items: [TemplateValue] = []
    var pairs: [(String, TemplateValue)] = []
    if iterable.isTruthy {
      switch iterable {
      case .array(let elements): items = elements
      case .string(let s) where names.count == 1: items = s.unicodeScalars.map { .string(String($0)) }
      case .string(let s):
        pairs = s.unicodeScalars.enumerated().map { (String($0.offset), .string(String($0.element))) }
      case .object(let o) where names.count > 1: pairs = o.keys.map { ($0, o[$0]) }
      default: break
      }
    }
    let count = pairs.isEmpty ? items.count : pairs.count
    for i in 0..<count {
      if pairs.isEmpty {
        if names.count == 1 {
          frames[frames.count - 1][names[0]] = items[i]
        } else {
          for (u, name) in names.enumerated() {
            frames[frames.count - 1][name] = TemplateEvaluator.member(items[i], .number(Double(u)))
          }
        }
      } else {
        frames[frames.count - 1][names[0]] = .string(pairs[i].0)
        frames[frames.count - 1][names[1]] = pairs[i].1
      }
      let loop: [(String, TemplateValue)] = [
        ("index", .number(Double(i + 1))), ("index0", .number(Double(i))),
        ("revindex", .number(Double(count - i))), ("revindex0", .number(Double(count - i - 1))),
        ("first", .bool(i == 0)), ("last", .bool(i == count - 1)), ("length", .number(Double(count))),
      ]
      frames[frames.count - 1]["loop"] = .object(TemplateObject(ordered: loop))
      try run(body)
    }
    if count == 0, let otherwise { try run(otherwise) }
  }

  // MARK: variables

  private mutating func lookup(_ name: String) -> TemplateValue {
    for frame in frames.reversed() {
      if let value = frame[name], value != .undefined { return value }
    }
    if let value = context[name] { return value }
    if let value = converted[name] { return value }
    if let json = vars[name] {
      let value = TemplateValue(json)
      converted[name] = value
      return value
    }
    if name == "env" {
      let value = TemplateValue.object(TemplateObject(environment.mapValues { .string($0) }))
      converted[name] = value
      return value
    }
    return .undefined
  }

  /// nunjucks' `frame.set(name, value, true)`: the innermost scope that holds the name, else the current
  /// one; at the top level also the context.
  private mutating func set(_ name: String, _ value: TemplateValue) {
    let target = frames.lastIndex { ($0[name] ?? .undefined) != .undefined } ?? frames.count - 1
    frames[target][name] = value
    if frames.count == 1 { context[name] = value }
  }

  /// JavaScript's `target[key]` as nunjucks' `memberLookup` does it: `undefined` on `undefined` and `null`,
  /// `length` and indexes on arrays and strings (UTF-16 code units), members on objects.
  static func member(_ target: TemplateValue, _ key: TemplateValue) -> TemplateValue {
    let name: String
    switch key {
    case .string(let s): name = s
    default: name = key.jsString
    }
    switch target {
    case .array(let items):
      if name == "length" { return .number(Double(items.count)) }
      if let i = TemplateObject.arrayIndex(name), i < items.count { return items[i] }
      return .undefined
    case .string(let s):
      let units = s.utf16
      if name == "length" { return .number(Double(units.count)) }
      if let i = TemplateObject.arrayIndex(name), i < units.count {
        return .string(String(decoding: [units[units.index(units.startIndex, offsetBy: i)]], as: UTF16.self))
      }
      return .undefined
    case .object(let o):
      return o[name]
    default:
      return .undefined
    }
  }

  // MARK: expressions

  private mutating func evaluate(_ expression: TemplateExpression) throws(TemplateError) -> TemplateValue {
    switch expression {
    case .literal(let value):
      return value
    case .variable(let name, _):
      return lookup(name)
    case .member(let target, let key):
      return TemplateEvaluator.member(try evaluate(target), try evaluate(key))
    case .array(let items):
      var values: [TemplateValue] = []
      for item in items { values.append(try evaluate(item)) }
      return .array(values)
    case .object(let members):
      var pairs: [(String, TemplateValue)] = []
      for (key, value) in members { pairs.append((key, try evaluate(value))) }
      return .object(TemplateObject(ordered: pairs))
    case .prefix(let op, let operand):
      let value = try evaluate(operand)
      switch op {
      case .not: return .bool(!value.isTruthy)
      case .negate: return .number(-value.jsNumber)
      case .plus: return .number(value.jsNumber)
      }
    case .binary(.and, let l, let r):
      let left = try evaluate(l)
      return left.isTruthy ? try evaluate(r) : left
    case .binary(.or, let l, let r):
      let left = try evaluate(l)
      return left.isTruthy ? left : try evaluate(r)
    case .binary(let op, let l, let r):
      return TemplateEvaluator.apply(op, try evaluate(l), try evaluate(r))
    case .floor(let operand):
      return .number(Foundation.floor(try evaluate(operand).jsNumber))
    case .power(let base, let exponent):
      return .number(TemplateEvaluator.power(try evaluate(base).jsNumber, try evaluate(exponent).jsNumber))
    case .choice(let condition, let then, let otherwise):
      if try evaluate(condition).isTruthy { return try evaluate(then) }
      guard let otherwise else { return .string("") }
      return try evaluate(otherwise)
    case .filter(let name, let input, let arguments, let offset):
      let value = try evaluate(input)
      var args: [TemplateValue] = []
      for argument in arguments { args.append(try evaluate(argument)) }
      if let custom, custom.names.contains(name) { return try custom.call(name, value, args, offset: offset) }
      return try TemplateFilters.apply(name, to: value, arguments: args, offset: offset)
    case .test(let name, let input, let arguments, let offset):
      let value = try evaluate(input)
      var args: [TemplateValue] = []
      for argument in arguments { args.append(try evaluate(argument)) }
      return .bool(try TemplateIsTests.check(name, value, arguments: args, offset: offset))
    case .contains(let element, let container, let offset):
      return .bool(try TemplateEvaluator.contains(try evaluate(element), in: try evaluate(container), offset: offset))
    case .range(let arguments, let offset):
      var args: [Double] = []
      for argument in arguments { args.append(try evaluate(argument).jsNumber) }
      return try TemplateEvaluator.range(args, offset: offset)
    }
  }

  /// A binary operator other than `and`/`or`, as JavaScript computes it.
  static func apply(_ op: TemplateExpression.Operator, _ a: TemplateValue, _ b: TemplateValue) -> TemplateValue {
    switch op {
    case .plus: return TemplateValue.add(a, b)
    case .minus: return .number(a.jsNumber - b.jsNumber)
    case .times: return .number(a.jsNumber * b.jsNumber)
    case .divide: return .number(a.jsNumber / b.jsNumber)
    case .remainder: return .number(a.jsNumber.truncatingRemainder(dividingBy: b.jsNumber))
    case .equal: return .bool(TemplateValue.looselyEqual(a, b))
    case .notEqual: return .bool(!TemplateValue.looselyEqual(a, b))
    case .identical: return .bool(TemplateValue.strictlyEqual(a, b))
    case .notIdentical: return .bool(!TemplateValue.strictlyEqual(a, b))
    case .less: return .bool(TemplateValue.less(a, b) ?? false)
    case .greater: return .bool(TemplateValue.less(b, a) ?? false)
    case .lessOrEqual: return .bool(TemplateValue.less(b, a).map { !$0 } ?? false)
    case .greaterOrEqual: return .bool(TemplateValue.less(a, b).map { !$0 } ?? false)
    case .and: return a.isTruthy ? b : a
    case .or: return a.isTruthy ? a : b
    }
  }

  /// `Math.pow`, which differs from C's `pow` for a base of ±1 with an infinite or NaN exponent.
  static func power(_ base: Double, _ exponent: Double) -> Double {
    if exponent.isNaN || (abs(base) == 1 && exponent.isInfinite) { return .nan }
    return Foundation.pow(base, exponent)
  }

  /// nunjucks' `in`: `indexOf` in arrays (strict equality) and strings, own keys of objects.
  static func contains(
    _ element: TemplateValue, in container: TemplateValue, offset: Int
  ) throws(TemplateError) -> Bool {
    switch container {
    case .array(let items): return items.contains { TemplateValue.strictlyEqual($0, element) }
    case .string(let s):
      let needle = element.jsString
      return needle.isEmpty || s.utf16.firstRange(of: needle.utf16) != nil
    case .object(let o): return o.has(element.jsString)
    default:
      throw TemplateError(
        "'in' needs a list, a string or an object on its right, got \(container.kindName)", at: offset)
    }
  }

  /// The global `range`: `range(stop)`, `range(start, stop)`, `range(start, stop, step)`.
  static func range(_ args: [Double], offset: Int) throws(TemplateError) -> TemplateValue {
    guard !args.isEmpty, args.count <= 3 else {
      throw TemplateError("range takes 1 to 3 arguments, got \(args.count)", at: offset)
    }
    let (start, stop) = args.count == 1 ? (0, args[0]) : (args[0], args[1])
    let step = args.count == 3 && args[2] != 0 && !args[2].isNaN ? args[2] : 1
    var values: [TemplateValue] = []
    var i = start
    while step > 0 ? i < stop : i > stop {
      values.append(.number(i))
      guard values.count <= 100_000 else {
        throw TemplateError("range gives more than 100000 numbers", at: offset)
      }
      i += step
    }
    return .array(values)
  }
}
