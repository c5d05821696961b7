import EvalCore
import Foundation

/// Tests from CSV, promptfoo's way: each column is a var, except `__expected`, `__expected1…N`
/// (one assertion each in the `type(threshold):value` shorthand, a bare value meaning `equals`),
/// `__description`, `__id`, `__threshold` and `__metadata:<key>`.
///
/// Read by hand, not with a listed package: every row must keep its line number for errors, which neither
/// swiftcsv/SwiftCSV 0.10.0 nor yaslab/CSV.swift 2.5.2 reports; SwiftCSV also splits on grapheme clusters
/// (a combining mark after a comma hides the comma) and drops an empty last field, and CSV.swift accepts
/// text after a closing quote and an unterminated quote without an error.
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
      var expectedIndex: [String: Int] = [:]
      var thresholds: [(column: String, value: Double)] = []
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
          if !value.isEmpty {
            expectedIndex[name] = spec.assertions.count
            spec.assertions.append(try shorthand(value, at: location))
          }
        case _ where name.hasPrefix("__config:"):
          // `__config:__expected<N>:threshold`: the threshold of that column's assertion.
          let parts = name.split(separator: ":").map(String.init)
          guard parts.count == 3, parts[1].hasPrefix("__expected"), parts[2] == "threshold" else {
            throw Diagnostic(
              "unsupported column '\(name)': only '__config:__expected<N>:threshold' is supported",
              at: SourceLocation(file: path, line: header.line, column: 1))
          }
          guard value.isEmpty || Double(value) != nil else {
            throw Diagnostic("'\(name)' must be a number", at: location)
          }
          if let t = Double(value) { thresholds.append((parts[1], t)) }
        case "__prefix": spec.promptPrefix = value.isEmpty ? nil : value
        case "__suffix": spec.promptSuffix = value.isEmpty ? nil : value
        case _ where name.hasPrefix("__"):
          throw Diagnostic(
            "unknown special column '\(name)'"
              + Suggestion.didYouMean(
                name, in: ["__expected", "__description", "__id", "__threshold", "__metadata:", "__prefix", "__suffix"]),
            at: SourceLocation(file: path, line: header.line, column: 1))
        default:
          spec.vars[name] = .string(value)
        }
      }
      for (column, value) in thresholds {
        if let i = expectedIndex[column] { spec.assertions[i].threshold = value }
      }
      tests.append(spec)
    }
    return tests
  }

  /// `contains:text`, `not-icontains:text`, `levenshtein(3):text`, `is-json`, or a bare value (`equals`).
  ///
  /// promptfoo's other prefixes are never read as `equals`: `grade:` is `llm-rubric`; `fn:` and `eval:` are
  /// `javascript`; `file://x.js` / `file://x.py[:fn]` are `javascript` / `python` by extension (the path
  /// made absolute against the CSV file); the types evalgate lacks (`is-xml`, `cost(…)`, `select-best:`,
  /// `webhook:`, …) are located errors.
  static func shorthand(_ text: String, at location: SourceLocation) throws -> AssertionSpec {
    let registry = AssertionRegistry.standard
    if text.hasPrefix("grade:") {
      return AssertionSpec(
        type: "llm-rubric", value: .string(String(text.dropFirst("grade:".count))), location: location)
    }
    for prefix in ["fn:", "eval:"] where text.hasPrefix(prefix) {
      return AssertionSpec(type: "javascript", value: .string(String(text.dropFirst(prefix.count))), location: location)
    }
    if text.hasPrefix("file://") {
      let reference = try codeFile(text, at: location)
      guard case .file(let path, _) = CodeSource.parse(reference) else {
        throw Diagnostic("bad code reference", at: location)
      }
      let type = CodeLanguage.of(file: path) == .python ? "python" : "javascript"
      return AssertionSpec(type: type, value: .string(reference), location: location)
    }
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
    if !registry.knows(type), let why = PromptfooKeys.refusal(forAssertionType: type) {
      throw Diagnostic("'__expected' value '\(text.prefix(40))': " + why, at: location)
    }
    guard registry.knows(type), type != AssertionRegistry.setType else {
      return AssertionSpec(type: "equals", value: .string(text), location: location)
    }
    if type == "javascript" || type == "python", let code = value, code.hasPrefix("file://") {
      value = try codeFile(code, at: location)
    }
    return AssertionSpec(
      type: type, negated: negated, value: value.map(JSONValue.string), threshold: threshold, location: location)
  }

  /// A `file://x.js[:fn]` / `file://x.py[:fn]` reference in a CSV cell, with its path made absolute against the
  /// CSV file.
  /// - Throws: ``Diagnostic`` for a file that is not JavaScript or Python, or is missing.
  static func codeFile(_ text: String, at location: SourceLocation) throws -> String {
    guard case .file(let path, let function) = CodeSource.parse(text),
      CodeSource.codeExtensions.contains((path as NSString).pathExtension.lowercased())
    else {
      throw Diagnostic(
        "'__expected' value '\(text)' is not a JavaScript or Python file (.js, .cjs, .mjs, .py)", at: location)
    }
    let resolved = URL(fileURLWithPath: FileSource.resolve(path, relativeTo: location.file)).standardizedFileURL.path
    guard FileManager.default.fileExists(atPath: resolved) else {
      throw Diagnostic("cannot find '\(path)' (looked for \(resolved))", at: location)
    }
    return CodeSource.file(path: resolved, function: function).text
  }

  struct Record {
    var fields: [String]
    var line: Int
  }

  /// RFC 4180 records with the line each starts on, values byte for byte: fields separated by `,`, records
  /// by CRLF, LF or CR; a field in double quotes may hold commas, line breaks (kept as written) and `""` for
  /// a quote. A leading byte order mark is skipped. A quote inside an unquoted field is kept as a character
  /// (as promptfoo's reader does by default). With `trim` (csv-parse's option of that name, which promptfoo's
  /// prompt files are read with), spaces and tabs around each field are dropped: before and after an unquoted
  /// value, and around a quoted one (whose inside is kept as written).
  /// - Throws: ``Diagnostic`` for an unterminated quoted field or text after a closing quote.
  static func records(_ text: String, path: String, trim: Bool = false) throws -> [Record] {
    var records: [Record] = []
    var fields: [String] = []
    var field: [UInt8] = []
    var line = 1
    var recordLine = 1
    var lineStart = 0
    var u = Substring(text).utf8[...]
    if u.starts(with: [0xEF, 0xBB, 0xBF]) { u = u.dropFirst(3) }
    let bytes = Array(u)
    func location(_ offset: Int, line: Int, lineStart: Int) -> SourceLocation {
      let column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).unicodeScalars.count + 1
      return SourceLocation(file: path, line: line, column: column)
    }
    let isBlank = { (b: UInt8) in b == 0x20 || b == 0x09 }
    var quoted = false
    func endField() {
      if trim, !quoted { while let last = field.last, isBlank(last) { field.removeLast() } }
      fields.append(String(decoding: field, as: UTF8.self))
      field.removeAll(keepingCapacity: true)
      quoted = false
    }
    var i = 0
    var atFieldStart = true
    while i < bytes.count {
      let b = bytes[i]
      if trim, atFieldStart, isBlank(b) {
        i += 1
        continue
      }
      if atFieldStart, b == UInt8(ascii: "\"") {
        let open = (offset: i, line: line, lineStart: lineStart)
        i += 1
        var closed = false
        while i < bytes.count {
          let c = bytes[i]
          if c == UInt8(ascii: "\"") {
            if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") {
              field.append(c)
              i += 2
              continue
            }
            i += 1
            closed = true
            break
          }
          if c == 0x0A || (c == 0x0D && (i + 1 == bytes.count || bytes[i + 1] != 0x0A)) {
            line += 1
            lineStart = i + 1
          }
          field.append(c)
          i += 1
        }
        guard closed else {
          throw Diagnostic(
            "unterminated quoted field", at: location(open.offset, line: open.line, lineStart: open.lineStart))
        }
        quoted = true
        if trim { while i < bytes.count, isBlank(bytes[i]) { i += 1 } }
        if i < bytes.count, bytes[i] != UInt8(ascii: ","), bytes[i] != 0x0A, bytes[i] != 0x0D {
          throw Diagnostic(
            "unexpected text after a closing quote (write a quote inside a field as \"\")",
            at: location(i, line: line, lineStart: lineStart))
        }
        atFieldStart = false
        continue
      }
      atFieldStart = false
      switch b {
      case UInt8(ascii: ","):
        endField()
        atFieldStart = true
        i += 1
      case 0x0A, 0x0D:
        endField()
        records.append(Record(fields: fields, line: recordLine))
        fields = []
        i += b == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A ? 2 : 1
        line += 1
        lineStart = i
        recordLine = line
        atFieldStart = true
      default:
        field.append(b)
        i += 1
      }
    }
    if !field.isEmpty || !fields.isEmpty || !atFieldStart { endField() }
    if !fields.isEmpty { records.append(Record(fields: fields, line: recordLine)) }
    return records
  }
}
