import EvalCore
import Foundation
import Yams

/// A YAML node together with the file it came from, so every error can say `file:line:col`.
struct YAMLNode {
  let node: Node
  let file: String
  /// Added to Yams' line numbers when the text was one line of a larger file (JSONL).
  var lineOffset: Int = 0

  /// Parses YAML text.
  /// - Throws: ``Diagnostic`` at the position Yams reports for syntax errors.
  static func parse(_ text: String, file: String, lineOffset: Int = 0) throws -> YAMLNode? {
    do {
      guard let node = try Yams.compose(yaml: text) else { return nil }
      return YAMLNode(node: node, file: file, lineOffset: lineOffset)
    } catch let error as YamlError {
      var d = YAMLNode.diagnostic(for: error, file: file, text: text)
      d.location?.line += lineOffset
      throw d
    }
  }

  static func diagnostic(for error: YamlError, file: String, text: String) -> Diagnostic {
    switch error {
    case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      let where_ = context.map { " \($0.text)" } ?? ""
      return Diagnostic(
        "YAML syntax: \(problem)\(where_.isEmpty ? "" : " (\(where_.trimmingCharacters(in: .whitespaces)))")",
        at: SourceLocation(file: file, line: mark.line, column: mark.column))
    case .reader(let problem, _, _, _):
      return Diagnostic("YAML: \(problem)", at: SourceLocation(file: file, line: 1, column: 1))
    case .duplicatedKeysInMapping(let duplicates, let context):
      let line = secondOccurrence(of: duplicates.first ?? "", in: text, mappingAt: context.mark)
      return Diagnostic(
        "duplicate key '\(duplicates.joined(separator: "', '"))'",
        at: SourceLocation(file: file, line: line ?? context.mark.line, column: context.mark.column))
    default:
      return Diagnostic("YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
    }
  }

  /// The line where `key` appears for the second time at the mapping's indentation (Yams reports only
  /// the mapping's start).
  static func secondOccurrence(of key: String, in text: String, mappingAt mark: Mark) -> Int? {
    let indent = String(repeating: " ", count: max(0, mark.column - 1))
    let forms = [key, "\"\(key)\"", "'\(key)'"].map { indent + $0 + ":" }
    var seen = 0
    for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where i + 1 >= mark.line
    {
      guard forms.contains(where: { line.hasPrefix($0) }) else { continue }
      seen += 1
      if seen == 2 { return i + 1 }
    }
    return nil
  }

  /// The resolved YAML tag (`str`, `int`, `float`, `bool`, `null`, `map`, `seq`).
  var tagName: Tag.Name {
    if case .scalar(let s) = node, let tag = YAMLNode.quickTag(s) { return tag }
    return Tag.Name(rawValue: node.tag.rawValue)
  }

  /// The tag of the commonest plain scalars, found without Yams' regular expressions (a suite of
  /// thousands of values spent most of its loading time in them): a decimal integer such as `42`, and a
  /// word starting with a letter that no YAML 1.1 rule (bool, null, int, float, …) can match. `nil` for
  /// anything else, which Yams resolves.
  static func quickTag(_ s: Node.Scalar) -> Tag.Name? {
    guard s.style == .plain, s.tag.description.isEmpty, let first = s.string.utf8.first else { return nil }
    switch first {
    case UInt8(ascii: "0")...UInt8(ascii: "9"):
      return plainInteger(s.string) != nil ? .int : nil
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
      // Booleans (yes, no, true, false, on, off) and null begin with one of these.
      return "yYnNtTfFoO".utf8.contains(first) ? nil : .str
    default:
      return nil
    }
  }

  /// `0` or digits without a leading zero (YAML 1.1 reads `017` as octal), short enough to be exact.
  static func plainInteger(_ text: String) -> Int? {
    let u = text.utf8
    guard u.count <= 15, u.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
      u.first != UInt8(ascii: "0") || u.count == 1
    else { return nil }
    return Int(text)
  }

  var location: SourceLocation {
    SourceLocation(file: file, line: node.mark.map { $0.line + lineOffset } ?? 0, column: node.mark?.column ?? 0)
  }

  func error(_ message: String) -> Diagnostic { Diagnostic(message, at: location) }

  /// What kind of node this is, for messages.
  var kindName: String {
    switch node {
    case .mapping: return "a mapping"
    case .sequence: return "a list"
    case .alias: return "an alias"
    case .scalar:
      switch tagName {
      case .null: return "null"
      case .bool: return "a boolean"
      case .int, .float: return "a number"
      default: return "a string"
      }
    }
  }

  var isNull: Bool {
    if case .scalar = node, tagName == .null { return true }
    return false
  }

  func mapping(_ what: String) throws -> YAMLMapping {
    guard case .mapping(let m) = node else { throw error("\(what) must be a mapping, found \(kindName)") }
    return try YAMLMapping(m, in: self, what: what)
  }

  func sequence(_ what: String) throws -> [YAMLNode] {
    guard case .sequence(let s) = node else { throw error("\(what) must be a list, found \(kindName)") }
    return s.map { YAMLNode(node: $0, file: file, lineOffset: lineOffset) }
  }

  /// A list, or a single item treated as a list of one.
  func listOrSingle() -> [YAMLNode] {
    if case .sequence(let s) = node { return s.map { YAMLNode(node: $0, file: file, lineOffset: lineOffset) } }
    return [self]
  }

  func string(_ what: String) throws -> String {
    guard case .scalar(let s) = node, tagName != .null else {
      throw error("\(what) must be a string, found \(kindName)")
    }
    return s.string
  }

  func double(_ what: String) throws -> Double {
    guard case .scalar = node, let value = node.float ?? node.int.map(Double.init), tagName != .str else {
      throw error("\(what) must be a number, found \(kindName)")
    }
    return value
  }

  func int(_ what: String, min: Int = Int.min) throws -> Int {
    guard case .scalar = node, let value = node.int, tagName != .str else {
      throw error("\(what) must be a whole number, found \(kindName)")
    }
    guard value >= min else { throw error("\(what) must be at least \(min), found \(value)") }
    return value
  }

  func bool(_ what: String) throws -> Bool {
    guard case .scalar = node, tagName == .bool, let value = node.bool else {
      throw error("\(what) must be true or false, found \(kindName)")
    }
    return value
  }

  /// Converts to JSON: plain scalars resolve as YAML 1.1 core types, quoted ones stay strings.
  func json() throws -> JSONValue {
    switch node {
    case .scalar(let s):
      switch tagName {
      case .null: return .null
      case .bool: return node.bool.map(JSONValue.bool) ?? .string(s.string)
      case .int: return (YAMLNode.plainInteger(s.string) ?? node.int).map { .number(Double($0)) } ?? .string(s.string)
      case .float: return node.float.map(JSONValue.number) ?? .string(s.string)
      default: return .string(s.string)
      }
    case .sequence(let items):
      return .array(try items.map { try YAMLNode(node: $0, file: file, lineOffset: lineOffset).json() })
    case .mapping(let m):
      var out: [String: JSONValue] = [:]
      for (k, v) in m {
        let key = try YAMLNode(node: k, file: file, lineOffset: lineOffset).string("a mapping key")
        out[key] = try YAMLNode(node: v, file: file, lineOffset: lineOffset).json()
      }
      return .object(out)
    case .alias:
      throw error("YAML aliases are not supported here")
    }
  }

  func stringMap(_ what: String) throws -> [String: JSONValue] {
    let m = try mapping(what)
    var out: [String: JSONValue] = [:]
    for entry in m.entries { out[entry.key] = try entry.value.json() }
    return out
  }
}

/// A YAML mapping read key by key; `finish(allowed:)` rejects keys nobody read, with a did-you-mean.
struct YAMLMapping {
  struct Entry {
    let key: String
    let keyNode: YAMLNode
    let value: YAMLNode
  }

  let entries: [Entry]
  let node: YAMLNode
  let what: String

  init(_ mapping: Node.Mapping, in parent: YAMLNode, what: String) throws {
    let file = parent.file
    let lineOffset = parent.lineOffset
    var entries: [Entry] = []
    var seen: Set<String> = []
    for (k, v) in mapping {
      let keyNode = YAMLNode(node: k, file: file, lineOffset: lineOffset)
      let key = try keyNode.string("a key in \(what)")
      guard seen.insert(key).inserted else { throw keyNode.error("duplicate key '\(key)' in \(what)") }
      entries.append(Entry(key: key, keyNode: keyNode, value: YAMLNode(node: v, file: file, lineOffset: lineOffset)))
    }
    self.entries = entries
    self.node = YAMLNode(node: .mapping(mapping), file: file, lineOffset: lineOffset)
    self.what = what
  }

  subscript(key: String) -> YAMLNode? {
    guard let value = entries.first(where: { $0.key == key })?.value, !value.isNull else { return nil }
    return value
  }

  func has(_ key: String) -> Bool { entries.contains { $0.key == key } }

  /// Throws at the first key not in `allowed`.
  func check(allowed: [String]) throws {
    for entry in entries where !allowed.contains(entry.key) {
      throw entry.keyNode.error(
        "unknown key '\(entry.key)' in \(what)" + Suggestion.didYouMean(entry.key, in: allowed))
    }
  }
}
