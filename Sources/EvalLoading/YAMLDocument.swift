import EvalCore
import Foundation
import Yams

/// A YAML node together with the file it came from, so every error can say `file:line:col`.
///
/// Plain scalars are read with the YAML 1.2 core schema (``YAMLCoreSchema``), as promptfoo reads them:
/// `yes`, `on`, `y` are strings. Nodes built from JSON (``LocatedJSON``) carry their positions in
/// `locations`, since Yams' marks cannot be made outside Yams.
struct YAMLNode {
  let node: Node
  let file: String
  /// Added to line numbers when the text was one line of a larger file (JSONL).
  var lineOffset: Int = 0
  /// Positions of this node and its descendants, for nodes built from JSON.
  var locations: Locations? = nil

  /// Where a node built from JSON and its children are: sequence items in order, mapping entries as key,
  /// value, key, value…
  struct Locations {
    var line: Int
    var column: Int
    var children: [Locations] = []
  }

  /// The child `node` at `index` in this node's `locations.children`.
  func child(_ node: Node, _ index: Int) -> YAMLNode {
    let located = locations.flatMap { index < $0.children.count ? $0.children[index] : nil }
    return YAMLNode(node: node, file: file, lineOffset: lineOffset, locations: located)
  }

  /// Yams' resolver for the nodes read and built here: one with no rules. Plain scalars are read by
  /// ``YAMLCoreSchema`` and quoted scalars, collections and explicit tags need no rule, so Yams' default
  /// resolver (seven `NSRegularExpression`s compiled on first use, which page in ICU's regex engine and data)
  /// would only tag mapping keys for Yams' duplicate check: there a plain `1` and a quoted `"1"` are now the
  /// same key, as they are for ``YAMLMapping`` and promptfoo.
  static let resolver = Resolver.basic

  /// Parses YAML text.
  /// - Throws: ``Diagnostic`` at the position Yams reports for syntax errors.
  static func parse(_ text: String, file: String, lineOffset: Int = 0) throws -> YAMLNode? {
    do {
      guard let node = try Yams.compose(yaml: text, resolver) else { return nil }
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

  /// The resolved YAML tag (`str`, `int`, `float`, `bool`, `null`, `map`, `seq`): plain untagged scalars by
  /// the YAML 1.2 core schema, others (quoted, explicitly tagged, collections) as Yams resolves them.
  var tagName: Tag.Name {
    guard case .scalar(let s) = node, s.style == .plain, s.tag.description.isEmpty else {
      return Tag.Name(rawValue: node.tag.rawValue)
    }
    return YAMLNode.tagName(of: YAMLCoreSchema.resolve(s.string))
  }

  private static func tagName(of resolved: YAMLCoreSchema.Resolved) -> Tag.Name {
    switch resolved {
    case .null: .null
    case .bool: .bool
    case .int: .int
    case .float: .float
    case .string: .str
    }
  }

  /// The scalar's value under its tag: a plain scalar by the 1.2 core schema; an explicitly tagged one
  /// (`!!int "7"`) when its text fits the tag, else the text; a quoted one as its text.
  private func scalarValue(_ s: Node.Scalar) -> JSONValue {
    let explicit = s.style == .plain && s.tag.description.isEmpty ? nil : Tag.Name(rawValue: node.tag.rawValue)
    if explicit == .str { return .string(s.string) }
    let resolved = YAMLCoreSchema.resolve(s.string)
    switch (explicit ?? YAMLNode.tagName(of: resolved), resolved) {
    case (.null, .null): return .null
    case (.bool, .bool(let b)): return .bool(b)
    case (.int, .int(let n)), (.float, .int(let n)): return n
    case (.float, .float(let d)): return .number(d)
    default: return .string(s.string)
    }
  }

  var location: SourceLocation {
    if let locations {
      return SourceLocation(file: file, line: locations.line + lineOffset, column: locations.column)
    }
    return SourceLocation(file: file, line: node.mark.map { $0.line + lineOffset } ?? 0, column: node.mark?.column ?? 0)
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
    return s.enumerated().map { child($1, $0) }
  }

  /// A list, or a single item treated as a list of one.
  func listOrSingle() -> [YAMLNode] {
    if case .sequence(let s) = node { return s.enumerated().map { child($1, $0) } }
    return [self]
  }

  func string(_ what: String) throws -> String {
    guard case .scalar(let s) = node, tagName != .null else {
      throw error("\(what) must be a string, found \(kindName)")
    }
    return s.string
  }

  func double(_ what: String) throws -> Double {
    guard case .scalar(let s) = node, tagName != .str, let value = scalarValue(s).numberValue else {
      throw error("\(what) must be a number, found \(kindName)")
    }
    return value
  }

  func int(_ what: String, min: Int = Int.min) throws -> Int {
    guard case .scalar(let s) = node, case .number(let n) = scalarValue(s), n == n.rounded(),
      let value = Int(exactly: n)
    else {
      throw error("\(what) must be a whole number, found \(kindName)")
    }
    guard value >= min else { throw error("\(what) must be at least \(min), found \(value)") }
    return value
  }

  func bool(_ what: String) throws -> Bool {
    guard case .scalar(let s) = node, case .bool(let value) = scalarValue(s) else {
      throw error("\(what) must be true or false, found \(kindName)")
    }
    return value
  }

  /// Converts to JSON: plain scalars by the YAML 1.2 core schema, quoted ones stay strings, byte for byte.
  func json() throws -> JSONValue {
    switch node {
    case .scalar(let s):
      return scalarValue(s)
    case .sequence(let items):
      return .array(try items.enumerated().map { try child($1, $0).json() })
    case .mapping(let m):
      var out: [String: JSONValue] = [:]
      for (i, (k, v)) in m.enumerated() {
        let key = try child(k, 2 * i).string("a mapping key")
        out[key] = try child(v, 2 * i + 1).json()
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
    var entries: [Entry] = []
    var seen: Set<String> = []
    for (i, (k, v)) in mapping.enumerated() {
      let keyNode = parent.child(k, 2 * i)
      let key = try keyNode.string("a key in \(what)")
      guard seen.insert(key).inserted else { throw keyNode.error("duplicate key '\(key)' in \(what)") }
      entries.append(Entry(key: key, keyNode: keyNode, value: parent.child(v, 2 * i + 1)))
    }
    self.entries = entries
    self.node = YAMLNode(
      node: .mapping(mapping), file: parent.file, lineOffset: parent.lineOffset, locations: parent.locations)
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
