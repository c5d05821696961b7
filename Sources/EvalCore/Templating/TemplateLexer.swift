import Foundation

// Hand-written: no Swift package on this machine implements Jinja/nunjucks (see TemplateParser.swift).
// Splits a template into tokens the way nunjucks 3.2's lexer does (src/lexer.js): text, `{{ }}`,
// `{% %}`, `{# #}` with their `-` whitespace-control marks, and inside tags strings, numbers, names and
// operators. `{% raw %}` bodies are cut out here, as nunjucks' parser does with a regular expression.

/// One token of a template, with the offset (in Unicode scalars) where it starts.
struct TemplateToken: Sendable {
  enum Kind: Sendable, Equatable {
    /// Literal text between tags.
    case data(String)
    /// A comment; the flags tell whether it opens with `{#-` and closes with `-#}`.
    case comment(trimBefore: Bool, trimAfter: Bool)
    /// `{%` or `{%-`.
    case blockStart(trim: Bool)
    /// `%}` or `-%}`.
    case blockEnd(trim: Bool)
    /// `{{` or `{{-`.
    case variableStart(trim: Bool)
    /// `}}` or `-}}`.
    case variableEnd(trim: Bool)
    /// A quoted string, escapes resolved.
    case string(String)
    /// An integer literal.
    case integer(String)
    /// A literal with a decimal point (`1.5`, `1.`): nunjucks' lexer also reads `0.` in `items.0.name` so.
    case float(String)
    /// `true` or `false`.
    case boolean(Bool)
    /// `none` or `null`.
    case nullLiteral
    /// A name (nunjucks' "symbol"): variables, keywords, filter and tag names.
    case name(String)
    /// Punctuation and operators: `( ) [ ] { } , : ~ | . + - * / // % ** = == === != !== < > <= >=`.
    case symbol(String)
    /// A regular-expression literal `r/…/flags`.
    case regex
    /// The body of a `{% raw %}` (or `{% verbatim %}`) block, taken as text.
    case raw(String)
  }

  let kind: Kind
  let offset: Int
}

/// Turns template text into ``TemplateToken``s, or fails with a located ``TemplateError``.
struct TemplateLexer {
  private let scalars: [Unicode.Scalar]
  private var index = 0
  private var inCode = false
  private(set) var tokens: [TemplateToken] = []

  /// Tokenizes `text`.
  /// - Throws: ``TemplateError`` for an unclosed tag, comment, string or raw block.
  static func tokenize(_ text: String) throws(TemplateError) -> [TemplateToken] {
    var lexer = TemplateLexer(scalars: Array(text.unicodeScalars))
    try lexer.run()
    return lexer.tokens
  }

  private init(scalars: [Unicode.Scalar]) {
    self.scalars = scalars
  }

  private static let delimiters: Set<Unicode.Scalar> = Set("()[]{}%*-+~/#,:|.<>=!".unicodeScalars)
  private static let whitespace: Set<Unicode.Scalar> = [" ", "\n", "\t", "\r", "\u{A0}"]
  private static let compoundOperators: Set<String> = ["==", "===", "!=", "!==", "<=", ">=", "//", "**"]

  private func matches(_ text: String, at i: Int) -> Bool {
    var j = i
    for s in text.unicodeScalars {
      guard j < scalars.count, scalars[j] == s else { return false }
      j += 1
    }
    return true
  }

  private mutating func run() throws(TemplateError) {
    var openedAt = 0
    var opener = ""
    while index < scalars.count {
      if inCode {
        guard let token = try codeToken() else { continue }
        tokens.append(token)
        switch token.kind {
        case .blockEnd:
          inCode = false
          try cutRawBody()
        case .variableEnd:
          inCode = false
        default:
          break
        }
      } else {
        let start = index
        if matches("{%", at: index) {
          let trim = matches("-", at: index + 2)
          index += trim ? 3 : 2
          tokens.append(TemplateToken(kind: .blockStart(trim: trim), offset: start))
          (inCode, openedAt, opener) = (true, start, "{%")
        } else if matches("{{", at: index) {
          let trim = matches("-", at: index + 2)
          index += trim ? 3 : 2
          tokens.append(TemplateToken(kind: .variableStart(trim: trim), offset: start))
          (inCode, openedAt, opener) = (true, start, "{{")
        } else {
          try textToken()
        }
      }
    }
    if inCode {
      let closer = opener == "{{" ? "}}" : "%}"
      throw TemplateError("unclosed '\(opener)': no '\(closer)' before the end of the template", at: openedAt)
    }
  }

  /// Text up to the next tag, or a whole comment.
  private mutating func textToken() throws(TemplateError) {
    let start = index
    let inComment = matches("{#", at: index)
    if inComment { index += 2 }
    while index < scalars.count {
      let c = scalars[index]
      if c == "{" && !inComment && (matches("{%", at: index) || matches("{{", at: index) || matches("{#", at: index)) {
        break
      }
      if c == "#" && matches("#}", at: index) {
        guard inComment else {
          throw TemplateError("'#}' closes no comment (write it as {{ \"#}\" }} to keep it as text)", at: index)
        }
        index += 2
        let body = scalars[start..<index]
        let trimBefore = body.count > 2 && body[start + 2] == "-"
        let trimAfter = body.count > 4 && body[index - 3] == "-"
        tokens.append(TemplateToken(kind: .comment(trimBefore: trimBefore, trimAfter: trimAfter), offset: start))
        return
      }
      index += 1
    }
    if inComment { throw TemplateError("unclosed '{#': no '#}' before the end of the template", at: start) }
    var text = String.UnicodeScalarView()
    text.append(contentsOf: scalars[start..<index])
    tokens.append(TemplateToken(kind: .data(String(text)), offset: start))
  }

  /// The next token inside `{{ }}` or `{% %}`; `nil` after whitespace.
  private mutating func codeToken() throws(TemplateError) -> TemplateToken? {
    let start = index
    let c = scalars[index]
    if c == "\"" || c == "'" { return TemplateToken(kind: .string(try stringLiteral(quote: c)), offset: start) }
    if TemplateLexer.whitespace.contains(c) {
      while index < scalars.count, TemplateLexer.whitespace.contains(scalars[index]) { index += 1 }
      return nil
    }
    for (text, trim) in [("%}", false), ("-%}", true)] where matches(text, at: index) {
      index += text.unicodeScalars.count
      return TemplateToken(kind: .blockEnd(trim: trim), offset: start)
    }
    for (text, trim) in [("}}", false), ("-}}", true)] where matches(text, at: index) {
      index += text.unicodeScalars.count
      return TemplateToken(kind: .variableEnd(trim: trim), offset: start)
    }
    if c == "r" && matches("/", at: index + 1) {
      index += 2
      while index < scalars.count {
        if scalars[index] == "/" && scalars[index - 1] != "\\" {
          index += 1
          break
        }
        index += 1
      }
      while index < scalars.count, "gimy".unicodeScalars.contains(scalars[index]) { index += 1 }
      return TemplateToken(kind: .regex, offset: start)
    }
    if TemplateLexer.delimiters.contains(c) {
      index += 1
      var op = String(c)
      if index < scalars.count, TemplateLexer.compoundOperators.contains(op + String(scalars[index])) {
        op += String(scalars[index])
        index += 1
        if index < scalars.count, TemplateLexer.compoundOperators.contains(op + String(scalars[index])) {
          op += String(scalars[index])
          index += 1
        }
      }
      return TemplateToken(kind: .symbol(op), offset: start)
    }
    while index < scalars.count, !TemplateLexer.whitespace.contains(scalars[index]),
      !TemplateLexer.delimiters.contains(scalars[index])
    {
      index += 1
    }
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars[start..<index])
    let word = String(view)
    if word.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) {
      guard index < scalars.count, scalars[index] == "." else {
        return TemplateToken(kind: .integer(word), offset: start)
      }
      index += 1
      let fractionStart = index
      while index < scalars.count, ("0"..."9").contains(scalars[index]) { index += 1 }
      var fraction = String.UnicodeScalarView()
      fraction.append(contentsOf: scalars[fractionStart..<index])
      return TemplateToken(kind: .float(word + "." + String(fraction)), offset: start)
    }
    switch word {
    case "true": return TemplateToken(kind: .boolean(true), offset: start)
    case "false": return TemplateToken(kind: .boolean(false), offset: start)
    case "none", "null": return TemplateToken(kind: .nullLiteral, offset: start)
    default: return TemplateToken(kind: .name(word), offset: start)
    }
  }

  /// A string literal: `\n`, `\t`, `\r` are escapes, a backslash before anything else keeps that character.
  private mutating func stringLiteral(quote: Unicode.Scalar) throws(TemplateError) -> String {
    let start = index
    index += 1
    var out = String.UnicodeScalarView()
    while index < scalars.count, scalars[index] != quote {
      if scalars[index] == "\\", index + 1 < scalars.count {
        index += 1
        switch scalars[index] {
        case "n": out.append("\n")
        case "t": out.append("\t")
        case "r": out.append("\r")
        default: out.append(scalars[index])
        }
      } else {
        out.append(scalars[index])
      }
      index += 1
    }
    guard index < scalars.count else {
      throw TemplateError("unterminated string: no closing \(quote) before the end of the template", at: start)
    }
    index += 1
    return String(out)
  }

  /// After `{% raw %}` or `{% verbatim %}`: the text up to the matching `{% endraw %}` (nested pairs
  /// counted) becomes one ``TemplateToken/Kind/raw(_:)`` token, and the end tag is consumed.
  private mutating func cutRawBody() throws(TemplateError) {
    let n = tokens.count
    guard n >= 3, case .blockStart = tokens[n - 3].kind, case .name(let tag) = tokens[n - 2].kind,
      tag == "raw" || tag == "verbatim"
    else { return }
    let start = index
    var level = 1
    var i = index
    while i < scalars.count {
      guard matches("{%", at: i) else {
        i += 1
        continue
      }
      var j = i + 2
      while j < scalars.count, TemplateValue.isJSWhitespace(scalars[j]) { j += 1 }
      let name: String? = matches("end" + tag, at: j) ? "end" + tag : matches(tag, at: j) ? tag : nil
      guard let name else {
        i += 1
        continue
      }
      var k = j + name.unicodeScalars.count
      while k < scalars.count, TemplateValue.isJSWhitespace(scalars[k]) { k += 1 }
      guard matches("%}", at: k) else {
        i += 1
        continue
      }
      level += name == tag ? 1 : -1
      if level == 0 {
        var body = String.UnicodeScalarView()
        body.append(contentsOf: scalars[start..<i])
        tokens.append(TemplateToken(kind: .raw(String(body)), offset: start))
        index = k + 2
        return
      }
      i = k + 2
    }
    throw TemplateError(
      "unclosed '{% \(tag) %}': no '{% end\(tag) %}' before the end of the template", at: tokens[n - 3].offset)
  }
}
