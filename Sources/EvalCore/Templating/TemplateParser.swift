import Foundation

// Hand-written: no Swift package on this machine implements Jinja or nunjucks (Stencil, swift-mustache and
// Leaf are other languages), and promptfoo renders prompts with nunjucks. This parser follows nunjucks
// 3.2's (src/parser.js): the same grammar, the same precedence climb, the same whitespace control. nunjucks
// then compiles to JavaScript without parentheses around binary operations, so JavaScript's precedence
// regroups them (`"n" ~ i + 1` is `"n" + "" + i + 1`, giving "n01" for i = 0; `not a == b` is `!a == b`).
// ``TemplateParser`` reproduces that: each chain of binary operators is flattened as nunjucks emits it and
// re-read with JavaScript's precedence.

/// Parses tokens into ``TemplateNode``s.
struct TemplateParser {
  private let tokens: [TemplateToken]
  private let length: Int
  private var position = 0
  private var dropLeadingWhitespace = false

  /// Tags nunjucks knows that this engine does not run.
  static let unsupportedTags: Set<String> = [
    "block", "extends", "include", "macro", "call", "import", "from", "filter", "switch", "case", "asyncEach",
    "asyncAll", "ifAsync",
  ]

  /// Parses a template.
  /// - Throws: ``TemplateError`` at the construct that does not parse or is not supported.
  static func parse(_ text: String) throws(TemplateError) -> [TemplateNode] {
    var parser = TemplateParser(tokens: try TemplateLexer.tokenize(text), length: text.unicodeScalars.count)
    let (nodes, _) = try parser.parseNodes(until: [], opener: nil)
    return nodes
  }

  private init(tokens: [TemplateToken], length: Int) {
    self.tokens = tokens
    self.length = length
  }

  // MARK: token access

  private var peek: TemplateToken? { position < tokens.count ? tokens[position] : nil }
  private var offset: Int { peek?.offset ?? length }

  private mutating func next() -> TemplateToken? {
    defer { position += 1 }
    return peek
  }

  private mutating func skip(symbol: String) -> Bool {
    guard case .symbol(symbol)? = peek?.kind else { return false }
    position += 1
    return true
  }

  private mutating func skip(name: String) -> Bool {
    guard case .name(name)? = peek?.kind else { return false }
    position += 1
    return true
  }

  private func describe(_ token: TemplateToken?) -> String {
    guard let token else { return "the end of the template" }
    switch token.kind {
    case .data, .raw: return "text"
    case .comment: return "a comment"
    case .blockStart: return "'{%'"
    case .blockEnd: return "'%}'"
    case .variableStart: return "'{{'"
    case .variableEnd: return "'}}'"
    case .string(let s): return "the string \"\(s)\""
    case .integer(let s), .float(let s): return "the number \(s)"
    case .boolean(let b): return "'\(b)'"
    case .nullLiteral: return "'none'"
    case .name(let n): return "'\(n)'"
    case .symbol(let s): return "'\(s)'"
    case .regex: return "a regular expression"
    }
  }

  private func unexpected(_ expected: String) -> TemplateError {
    TemplateError("expected \(expected), found \(describe(peek))", at: offset)
  }

  // MARK: statements

  /// Nodes up to a block tag named in `ends` (left to read: the tag's name), or to the end of the template
  /// when `ends` is empty. `opener` is the tag whose end is awaited, for the error when none comes.
  private mutating func parseNodes(
    until ends: Set<String>, opener: (name: String, offset: Int)?
  ) throws(TemplateError) -> ([TemplateNode], String?) {
    var nodes: [TemplateNode] = []
    while let token = next() {
      switch token.kind {
      case .data(var text):
        if dropLeadingWhitespace {
          text = String(text.unicodeScalars.drop(while: TemplateValue.isJSWhitespace))
          dropLeadingWhitespace = false
        }
        switch peek?.kind {
        case .blockStart(trim: true), .variableStart(trim: true), .comment(trimBefore: true, _):
          var scalars = text.unicodeScalars
          while let last = scalars.last, TemplateValue.isJSWhitespace(last) { scalars.removeLast() }
          text = String(scalars)
        default: break
        }
        if !text.isEmpty { nodes.append(.text(text)) }
      case .comment(_, let trimAfter):
        dropLeadingWhitespace = trimAfter
      case .variableStart:
        let expression = try parseExpression()
        dropLeadingWhitespace = false
        guard case .variableEnd(let trim)? = peek?.kind else { throw unexpected("'}}'") }
        position += 1
        dropLeadingWhitespace = trim
        nodes.append(.output(expression))
      case .blockStart:
        dropLeadingWhitespace = false
        guard case .name(let tag)? = peek?.kind else { throw unexpected("a tag name") }
        if ends.contains(tag) { return (nodes, tag) }
        nodes.append(contentsOf: try parseStatement(tag))
      case .raw(let text):
        nodes.append(.text(text))
      default:
        throw TemplateError("unexpected \(describe(token))", at: token.offset)
      }
    }
    if let opener {
      let closer = ends.first { $0.hasPrefix("end") } ?? "end\(opener.name)"
      throw TemplateError(
        "unclosed '{% \(opener.name) %}': no '{% \(closer) %}' before the end of the template", at: opener.offset)
    }
    return (nodes, nil)
  }

  /// After a tag's arguments: `%}` or `-%}`.
  private mutating func endOfTag(_ tag: String) throws(TemplateError) {
    guard case .blockEnd(let trim)? = peek?.kind else { throw unexpected("'%}' to close '{% \(tag) %}'") }
    position += 1
    if trim { dropLeadingWhitespace = true }
  }

  private mutating func parseStatement(_ tag: String) throws(TemplateError) -> [TemplateNode] {
    let tagOffset = offset
    position += 1
    switch tag {
    case "if": return [try parseIf(offset: tagOffset)]
    case "for": return [try parseFor(offset: tagOffset)]
    case "set": return [try parseSet(offset: tagOffset)]
    case "raw", "verbatim":
      try endOfTag(tag)
      guard case .raw(let text)? = peek?.kind else { throw unexpected("the body of '{% \(tag) %}'") }
      position += 1
      return [.text(text)]
    default:
      if TemplateParser.unsupportedTags.contains(tag) {
        throw TemplateError("'{% \(tag) %}' is not supported (evalgate renders single prompts)", at: tagOffset)
      }
      if ["elif", "elseif", "else", "endif", "endfor", "endset", "endraw", "endverbatim"].contains(tag) {
        throw TemplateError("'{% \(tag) %}' without an open tag it belongs to", at: tagOffset)
      }
      throw TemplateError("unknown tag '\(tag)'", at: tagOffset)
    }
  }

  /// After `if` (or `elif`): the condition, the body and what follows.
  private mutating func parseIf(offset tagOffset: Int) throws(TemplateError) -> TemplateNode {
    var branches: [(condition: TemplateExpression, body: [TemplateNode])] = []
    var otherwise: [TemplateNode]?
    var tagName = "if"
    while true {
      let condition = try parseExpression()
      try endOfTag(tagName)
      let (body, end) = try parseNodes(
        until: ["elif", "elseif", "else", "endif"], opener: (tagName, tagOffset))
      branches.append((condition, body))
      position += 1
      if end == "elif" || end == "elseif" {
        tagName = end ?? "elif"
        continue
      }
      if end == "else" {
        try endOfTag("else")
        let (body, _) = try parseNodes(until: ["endif"], opener: ("if", tagOffset))
        otherwise = body
        position += 1
      }
      try endOfTag("endif")
      return .conditional(branches: branches, otherwise: otherwise)
    }
  }

  private mutating func parseFor(offset tagOffset: Int) throws(TemplateError) -> TemplateNode {
    var names: [String] = []
    repeat {
      guard case .name(let name)? = peek?.kind, !["in", "not", "and", "or", "is", "if"].contains(name) else {
        throw unexpected("a loop variable name")
      }
      position += 1
      names.append(name)
    } while skip(symbol: ",")
    guard skip(name: "in") else { throw unexpected("'in'") }
    let iterable = try parseExpression()
    try endOfTag("for")
    let (body, end) = try parseNodes(until: ["endfor", "else"], opener: ("for", tagOffset))
    position += 1
    var otherwise: [TemplateNode]?
    if end == "else" {
      try endOfTag("else")
      (otherwise, _) = try parseNodes(until: ["endfor"], opener: ("for", tagOffset))
      position += 1
    }
    try endOfTag("endfor")
    return .loop(names: names, iterable: iterable, body: body, otherwise: otherwise)
  }

  private mutating func parseSet(offset tagOffset: Int) throws(TemplateError) -> TemplateNode {
    var names: [String] = []
    repeat {
      guard case .name(let name)? = peek?.kind else { throw unexpected("a variable name to set") }
      position += 1
      names.append(name)
    } while skip(symbol: ",")
    if skip(symbol: "=") {
      let value = try parseExpression()
      try endOfTag("set")
      return .assign(names: names, value: value)
    }
    try endOfTag("set")
    let (body, _) = try parseNodes(until: ["endset"], opener: ("set", tagOffset))
    position += 1
    try endOfTag("endset")
    return .capture(names: names, body: body)
  }

  // MARK: expressions, as nunjucks parses them

  /// An expression as nunjucks' parser builds it, before JavaScript regroups its binary operators.
  private indirect enum Syntax {
    /// A self-contained expression (a call, lookup, literal…): nothing regroups across it.
    case atom(TemplateExpression)
    case binary(TemplateExpression.Operator, Syntax, Syntax)
    /// `a ~ b`, emitted `a + "" + b`.
    case concat(Syntax, Syntax)
    case compare(Syntax, [(TemplateExpression.Operator, Syntax)])
    case prefix(TemplateExpression.Prefix, Syntax)
    /// `a // b`, emitted `Math.floor(a / b)`.
    case floorDivide(Syntax, Syntax)
  }

  private enum Piece {
    case operand(TemplateExpression)
    case op(TemplateExpression.Operator)
    case prefix(TemplateExpression.Prefix)
  }

  private static func flatten(_ syntax: Syntax, into pieces: inout [Piece]) {
    switch syntax {
    case .atom(let e): pieces.append(.operand(e))
    case .binary(let op, let l, let r):
      flatten(l, into: &pieces)
      pieces.append(.op(op))
      flatten(r, into: &pieces)
    case .concat(let l, let r):
      flatten(l, into: &pieces)
      pieces += [.op(.plus), .operand(.literal(.string(""))), .op(.plus)]
      flatten(r, into: &pieces)
    case .compare(let first, let rest):
      flatten(first, into: &pieces)
      for (op, operand) in rest {
        pieces.append(.op(op))
        flatten(operand, into: &pieces)
      }
    case .prefix(let p, let operand):
      pieces.append(.prefix(p))
      flatten(operand, into: &pieces)
    case .floorDivide(let l, let r):
      var inner: [Piece] = []
      flatten(l, into: &inner)
      inner.append(.op(.divide))
      flatten(r, into: &inner)
      pieces.append(.operand(.floor(regroup(inner))))
    }
  }

  /// The JavaScript reading of `syntax`.
  private static func lower(_ syntax: Syntax) -> TemplateExpression {
    if case .atom(let e) = syntax { return e }
    var pieces: [Piece] = []
    flatten(syntax, into: &pieces)
    return regroup(pieces)
  }

  /// Reads `operand (op operand)*` (operands possibly after prefix operators) with JavaScript's precedence.
  private static func regroup(_ pieces: [Piece]) -> TemplateExpression {
    var i = 0
    func unary() -> TemplateExpression {
      let piece = pieces[i]
      i += 1
      switch piece {
      case .prefix(let p): return .prefix(p, unary())
      case .operand(let e): return e
      case .op: return .literal(.undefined)  // flatten never puts an operator where an operand goes
      }
    }
    func binary(_ minimum: Int) -> TemplateExpression {
      var left = unary()
      while i < pieces.count, case .op(let op) = pieces[i], op.precedence >= minimum {
        i += 1
        let right = binary(op.precedence + 1)
        left = .binary(op, left, right)
      }
      return left
    }
    return binary(0)
  }

  private mutating func parseExpression() throws(TemplateError) -> TemplateExpression {
    TemplateParser.lower(try parseInlineIf())
  }

  private mutating func parseInlineIf() throws(TemplateError) -> Syntax {
    let node = try parseOr()
    guard skip(name: "if") else { return node }
    let condition = try parseOr()
    let otherwise = skip(name: "else") ? try parseOr() : nil
    return .atom(
      .choice(
        condition: TemplateParser.lower(condition), then: TemplateParser.lower(node),
        otherwise: otherwise.map(TemplateParser.lower)))
  }

  private mutating func parseOr() throws(TemplateError) -> Syntax {
    var node = try parseAnd()
    while skip(name: "or") { node = .binary(.or, node, try parseAnd()) }
    return node
  }

  private mutating func parseAnd() throws(TemplateError) -> Syntax {
    var node = try parseNot()
    while skip(name: "and") { node = .binary(.and, node, try parseNot()) }
    return node
  }

  private mutating func parseNot() throws(TemplateError) -> Syntax {
    if skip(name: "not") { return .prefix(.not, try parseNot()) }
    return try parseIn()
  }

  private mutating func parseIn() throws(TemplateError) -> Syntax {
    var node = try parseIs()
    while true {
      let start = offset
      let negated = skip(name: "not")
      guard skip(name: "in") else {
        if negated { position -= 1 }
        return node
      }
      let container = try parseIs()
      let test = Syntax.atom(
        .contains(TemplateParser.lower(node), in: TemplateParser.lower(container), offset: start))
      node = negated ? .prefix(.not, test) : test
    }
  }

  private mutating func parseIs() throws(TemplateError) -> Syntax {
    let node = try parseCompare()
    guard skip(name: "is") else { return node }
    let negated = skip(name: "not")
    let start = offset
    let name: String
    switch peek?.kind {
    case .name(let n): name = n
    case .nullLiteral: name = "null"
    default: throw unexpected("a test name after 'is'")
    }
    position += 1
    var arguments: [TemplateExpression] = []
    if case .symbol("(")? = peek?.kind { arguments = try parseArguments(callee: "a test") }
    let test = Syntax.atom(.test(name, input: TemplateParser.lower(node), arguments: arguments, offset: start))
    return negated ? .prefix(.not, test) : test
  }

  private static let comparisons: [String: TemplateExpression.Operator] = [
    "==": .equal, "===": .identical, "!=": .notEqual, "!==": .notIdentical, "<": .less, ">": .greater,
    "<=": .lessOrEqual, ">=": .greaterOrEqual,
  ]

  private mutating func parseCompare() throws(TemplateError) -> Syntax {
    let first = try parseConcat()
    var rest: [(TemplateExpression.Operator, Syntax)] = []
    while case .symbol(let s)? = peek?.kind, let op = TemplateParser.comparisons[s] {
      position += 1
      rest.append((op, try parseConcat()))
    }
    return rest.isEmpty ? first : .compare(first, rest)
  }

  private mutating func parseConcat() throws(TemplateError) -> Syntax {
    var node = try parseAdd()
    while skip(symbol: "~") { node = .concat(node, try parseAdd()) }
    return node
  }

  private mutating func parseAdd() throws(TemplateError) -> Syntax {
    var node = try parseSubtract()
    while skip(symbol: "+") { node = .binary(.plus, node, try parseSubtract()) }
    return node
  }

  private mutating func parseSubtract() throws(TemplateError) -> Syntax {
    var node = try parseMultiply()
    while skip(symbol: "-") { node = .binary(.minus, node, try parseMultiply()) }
    return node
  }

  private mutating func parseMultiply() throws(TemplateError) -> Syntax {
    var node = try parseDivide()
    while skip(symbol: "*") { node = .binary(.times, node, try parseDivide()) }
    return node
  }

  private mutating func parseDivide() throws(TemplateError) -> Syntax {
    var node = try parseFloorDivide()
    while skip(symbol: "/") { node = .binary(.divide, node, try parseFloorDivide()) }
    return node
  }

  private mutating func parseFloorDivide() throws(TemplateError) -> Syntax {
    var node = try parseRemainder()
    while skip(symbol: "//") { node = .floorDivide(node, try parseRemainder()) }
    return node
  }

  private mutating func parseRemainder() throws(TemplateError) -> Syntax {
    var node = try parsePower()
    while skip(symbol: "%") { node = .binary(.remainder, node, try parsePower()) }
    return node
  }

  private mutating func parsePower() throws(TemplateError) -> Syntax {
    var node = try parseUnary(filters: true)
    while skip(symbol: "**") {
      let exponent = try parseUnary(filters: true)
      node = .atom(.power(TemplateParser.lower(node), TemplateParser.lower(exponent)))
    }
    return node
  }

  private mutating func parseUnary(filters: Bool) throws(TemplateError) -> Syntax {
    var node: Syntax
    if skip(symbol: "-") {
      node = .prefix(.negate, try parseUnary(filters: false))
    } else if skip(symbol: "+") {
      node = .prefix(.plus, try parseUnary(filters: false))
    } else {
      node = .atom(try parsePrimary())
    }
    guard filters else { return node }
    while skip(symbol: "|") {
      let start = offset
      guard case .name(var name)? = peek?.kind else { throw unexpected("a filter name after '|'") }
      position += 1
      while skip(symbol: ".") {
        guard case .name(let part)? = peek?.kind else { throw unexpected("a name") }
        position += 1
        name += "." + part
      }
      var arguments: [TemplateExpression] = []
      if case .symbol("(")? = peek?.kind { arguments = try parseArguments(callee: "filter '\(name)'") }
      node = .atom(.filter(name, input: TemplateParser.lower(node), arguments: arguments, offset: start))
    }
    return node
  }

  private mutating func parsePrimary() throws(TemplateError) -> TemplateExpression {
    guard let token = peek else { throw unexpected("an expression") }
    var node: TemplateExpression
    switch token.kind {
    case .string(let s):
      position += 1
      node = .literal(.string(s))
    case .integer(let s), .float(let s):
      position += 1
      node = .literal(.number(Double(s) ?? .nan))
    case .boolean(let b):
      position += 1
      node = .literal(.bool(b))
    case .nullLiteral:
      position += 1
      node = .literal(.null)
    case .regex:
      throw TemplateError("regular expression literals (r/…/) are not supported", at: token.offset)
    case .name(let name):
      if let first = name.unicodeScalars.first, ("0"..."9").contains(first) {
        throw TemplateError(
          "'\(name)' is not a number nunjucks reads (it would look up an undefined variable); write it in full",
          at: token.offset)
      }
      position += 1
      node = .variable(name, offset: token.offset)
    case .symbol("("):
      position += 1
      let inner = try parseExpression()
      if case .symbol(",")? = peek?.kind {
        throw TemplateError("a parenthesized list '(a, b)' is not supported", at: token.offset)
      }
      guard skip(symbol: ")") else { throw unexpected("')'") }
      node = inner
    case .symbol("["):
      position += 1
      var items: [TemplateExpression] = []
      while !skip(symbol: "]") {
        if !items.isEmpty, !skip(symbol: ",") { throw unexpected("',' or ']'") }
        items.append(try parseExpression())
      }
      node = .array(items)
    case .symbol("{"):
      position += 1
      var members: [(String, TemplateExpression)] = []
      while !skip(symbol: "}") {
        if !members.isEmpty, !skip(symbol: ",") { throw unexpected("',' or '}'") }
        let key: String
        switch peek?.kind {
        case .name(let n): key = n
        case .string(let s): key = s
        default: throw unexpected("a key (a name or a string)")
        }
        position += 1
        guard skip(symbol: ":") else { throw unexpected("':' after the key") }
        members.append((key, try parseExpression()))
      }
      node = .object(members)
    default:
      throw unexpected("an expression")
    }
    return try parsePostfix(node)
  }

  private mutating func parsePostfix(_ start: TemplateExpression) throws(TemplateError) -> TemplateExpression {
    var node = start
    while let token = peek {
      switch token.kind {
      case .symbol("("):
        guard case .variable("range", let at) = node else {
          throw TemplateError(
            "calling \(TemplateParser.callee(node)) is not supported: use a filter ('value | name(…)') or range(…)",
            at: token.offset)
        }
        node = .range(try parseArguments(callee: "range"), offset: at)
      case .symbol("["):
        position += 1
        let key = try parseExpression()
        guard skip(symbol: "]") else { throw unexpected("']'") }
        node = .member(node, key: key)
      case .symbol("."):
        position += 1
        switch peek?.kind {
        case .name(let name):
          position += 1
          node = .member(node, key: .literal(.string(name)))
        case .integer(let digits):
          // evalgate's addition (nunjucks refuses it): `items.0` is `items[0]`.
          position += 1
          node = .member(node, key: .literal(.string(digits)))
        case .float(let text):
          // `items.0.name` lexes as `items`, `.`, `0.`, `name`; `items.0.1` as `items`, `.`, `0.1`.
          position += 1
          let parts = text.split(separator: ".", omittingEmptySubsequences: false)
          node = .member(node, key: .literal(.string(String(parts[0]))))
          if parts.count > 1, !parts[1].isEmpty {
            node = .member(node, key: .literal(.string(String(parts[1]))))
          } else if case .name(let name)? = peek?.kind {
            position += 1
            node = .member(node, key: .literal(.string(name)))
          } else {
            throw unexpected("a name after '.'")
          }
        default:
          throw unexpected("a name after '.'")
        }
      default:
        return node
      }
    }
    return node
  }

  private static func callee(_ node: TemplateExpression) -> String {
    switch node {
    case .variable(let name, _): "'\(name)(…)'"
    case .member(_, key: .literal(.string(let name))): "methods ('….\(name)(…)')"
    default: "a value"
    }
  }

  /// `( expression, … )`; keyword arguments are refused.
  private mutating func parseArguments(callee: String) throws(TemplateError) -> [TemplateExpression] {
    position += 1
    var arguments: [TemplateExpression] = []
    while !skip(symbol: ")") {
      if !arguments.isEmpty, !skip(symbol: ",") { throw unexpected("',' or ')'") }
      let start = offset
      arguments.append(try parseExpression())
      if case .symbol("=")? = peek?.kind {
        throw TemplateError("keyword arguments ('name=value') to \(callee) are not supported", at: start)
      }
    }
    return arguments
  }
}
