import EvalCore
import Foundation

/// Tests from CSV, promptfoo's way: each column is a var, except `__expected`, `__expected1…N`
/// (one assertion each in the `type(threshold):value` shorthand, a bare value meaning `equals`),
/// `__description`, `__id`, `__threshold` and `__metadata:<key>`.
///
/// Parsed here rather than with a CSV library because every row must keep its line number for errors.
enum CSVTests {
  static func read(_ text: String, path: String, assertion: (YAMLNode) throws -> AssertionSpec) throws -> [TestSpec] {
    let rows = try records(text, path: path)
    guard let header = rows.first else { return [] }
    var tests: [TestSpec] = []
    for row in rows.dropFirst() {
      if row.fields.allSatisfy({ $0.isEmpty }) { continue }
      let location = SourceLocation(file: path, line: row.line, column: 1)
      guard row.fields.count == header.fields.count else {
        throw Diagnostic("row has \(row.fields.count) fields, header has \(header.fields.count)", at: location)
      }
      var spec = TestSpec(location: location)
      for (name, value) in zip(header.fields, row.fields) {
        switch name {
        case "__description": spec.description = value.isEmpty ? nil : value
        case "__id": spec.id = value.isEmpty ? nil : value
        case "__threshold":
          guard value.isEmpty || Double(value) != nil else {
            throw Diagnostic("'__threshold' must be a number", at: location)
          }
          spec.threshold = Double(value)
        case _ where name.hasPrefix("__metadata:"):
          spec.metadata[String(name.dropFirst("__metadata:".count))] = .string(value)
        case _ where name.hasPrefix("__expected"):
          if !value.isEmpty { spec.assertions.append(try shorthand(value, at: location)) }
        case _ where name.hasPrefix("__"):
          throw Diagnostic(
            "unknown special column '\(name)'"
              + Suggestion.didYouMean(name, in: ["__expected", "__description", "__id", "__threshold", "__metadata:"]),
            at: SourceLocation(file: path, line: header.line, column: 1))
        default:
          spec.vars[name] = .string(value)
        }
      }
      tests.append(spec)
    }
    return tests
  }

  /// `contains:text`, `not-icontains:text`, `levenshtein(3):text`, `is-json`, or a bare value (`equals`).
  static func shorthand(_ text: String, at location: SourceLocation) throws -> AssertionSpec {
    let registry = AssertionRegistry.standard
    var head = text
    var value: String?
    if let colon = text.firstIndex(of: ":") {
      head = String(text[..<colon])
      value = String(text[text.index(after: colon)...])
    }
    var threshold: Double?
    if let open = head.firstIndex(of: "("), head.hasSuffix(")") {
      let inner = head[head.index(after: open)..<head.index(before: head.endIndex)]
      guard let t = Double(inner) else { throw Diagnostic("bad threshold in '\(head)'", at: location) }
      threshold = t
      head = String(head[..<open])
    }
    var type = head
    let negated = type.hasPrefix("not-")
    if negated { type.removeFirst(4) }
    guard registry.knows(type), type != AssertionRegistry.setType else {
      return AssertionSpec(type: "equals", value: .string(text), location: location)
    }
    return AssertionSpec(
      type: type, negated: negated, value: value.map(JSONValue.string), threshold: threshold, location: location)
  }

  struct Record {
    var fields: [String]
    var line: Int
  }

  /// RFC 4180 records with the line each starts on; quoted fields may span lines.
  static func records(_ text: String, path: String) throws -> [Record] {
    var records: [Record] = []
    var fields: [String] = []
    var field = ""
    var inQuotes = false
    var line = 1
    var recordLine = 1
    var iterator = text.makeIterator()
    var pending: Character?
    func endRecord() {
      fields.append(field)
      records.append(Record(fields: fields, line: recordLine))
      fields = []
      field = ""
    }
    while let c = pending ?? iterator.next() {
      pending = nil
      if inQuotes {
        if c == "\"" {
          if let next = iterator.next() {
            if next == "\"" {
              field.append("\"")
            } else {
              inQuotes = false
              pending = next
            }
          } else {
            inQuotes = false
          }
        } else {
          if c == "\n" || c == "\r\n" { line += 1 }
          field.append(c)
        }
        continue
      }
      switch c {
      case "\"" where field.isEmpty: inQuotes = true
      case ",":
        fields.append(field)
        field = ""
      case "\n", "\r\n", "\r":
        endRecord()
        line += 1
        recordLine = line
      default: field.append(c)
      }
    }
    if inQuotes {
      throw Diagnostic("unterminated quoted field", at: SourceLocation(file: path, line: recordLine, column: 1))
    }
    if !field.isEmpty || !fields.isEmpty { endRecord() }
    return records
  }
}
