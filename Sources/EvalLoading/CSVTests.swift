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
  /// The tests of the CSV file at `path`, read as a stream (see ``CSVTestRows``): the file is read and every
  /// row checked now, and read again, a row at a time, each time the tests are walked.
  /// - Throws: ``Diagnostic`` at the first bad row (or header), as ``read(_:path:)`` reports it.
  static func rows(path: String, requestedAt location: SourceLocation) throws -> TestList {
    TestList(rows: try CSVTestRows(path: path, requestedAt: location))
  }

  /// Every test of a CSV text, held.
  /// - Throws: ``Diagnostic`` at the first bad row (or header).
  static func read(_ text: String, path: String) throws -> [TestSpec] {
    var reader = CSVRecordReader(bytes: Array(text.utf8), path: path)
    guard let header = try reader.next() else { return [] }
    let columns = Columns(header: header, path: path)
    var tests: [TestSpec] = []
    while let row = try reader.next() {
      if let spec = try columns.test(row) { tests.append(spec) }
    }
    return tests
  }

  /// What each column of a header means, worked out once for every row.
  struct Columns: Sendable {
    enum Kind: Sendable {
      case description, id, threshold, prefix, suffix
      case variable(String)
      case metadata(String)
      /// `__expected`, `__expected<N>`: one assertion, by its column name.
      case expected(String)
      /// `__config:__expected<N>:threshold`: the threshold of that column's assertion.
      case expectedThreshold(of: String, column: String)
      /// A column the header may not have: its problem is reported with the first row read, as it always was.
      case invalid(Diagnostic)
    }

    let path: String
    let count: Int
    let kinds: [Kind]

    init(header: CSVRecordReader.Record, path: String) {
      self.path = path
      count = header.fields.count
      let headerLocation = SourceLocation(file: path, line: header.line, column: 1)
      kinds = header.fields.map { name in
        switch name {
        case "__description": return .description
        case "__id": return .id
        case "__threshold": return .threshold
        case "__prefix": return .prefix
        case "__suffix": return .suffix
        case _ where name.hasPrefix("__metadata:"): return .metadata(String(name.dropFirst("__metadata:".count)))
        case _ where name.hasPrefix("__expected"): return .expected(name)
        case _ where name.hasPrefix("__config:"):
          let parts = name.split(separator: ":").map(String.init)
          guard parts.count == 3, parts[1].hasPrefix("__expected"), parts[2] == "threshold" else {
            return .invalid(
              Diagnostic(
                "unsupported column '\(name)': only '__config:__expected<N>:threshold' is supported",
                at: headerLocation))
          }
          return .expectedThreshold(of: parts[1], column: name)
        case _ where name.hasPrefix("__"):
          return .invalid(
            Diagnostic(
              "unknown special column '\(name)'"
                + Suggestion.didYouMean(
                  name,
                  in: ["__expected", "__description", "__id", "__threshold", "__metadata:", "__prefix", "__suffix"]),
              at: headerLocation))
        default: return .variable(name)
        }
      }
    }

    /// The names of the vars every row sets.
    var varNames: Set<String> {
      Set(kinds.compactMap { if case .variable(let name) = $0 { name } else { nil } })
    }

    /// The test of one row; `nil` for a row of empty fields (a blank line).
    /// - Throws: ``Diagnostic`` at the row for a wrong field count or a bad value, at the header for a column
    ///   it may not have.
    func test(_ row: CSVRecordReader.Record) throws -> TestSpec? {
      if row.fields.allSatisfy({ $0.isEmpty }) { return nil }
      let location = SourceLocation(file: path, line: row.line, column: 1)
      guard row.fields.count == count else {
        throw Diagnostic("row has \(row.fields.count) fields, header has \(count)", at: location)
      }
      var spec = TestSpec(location: location)
      spec.vars.reserveCapacity(count)
      var expectedIndex: [String: Int] = [:]
      var thresholds: [(column: String, value: Double)] = []
      for (kind, value) in zip(kinds, row.fields) {
        switch kind {
        case .description: spec.description = value.isEmpty ? nil : value
        case .id: spec.id = value.isEmpty ? nil : value
        case .threshold:
          guard value.isEmpty || Double(value) != nil else {
            throw Diagnostic("'__threshold' must be a number", at: location)
          }
          spec.threshold = Double(value)
        case .metadata(let key): spec.metadata[key] = .string(value)
        case .expected(let name):
          if !value.isEmpty {
            expectedIndex[name] = spec.assertions.count
            spec.assertions.append(try shorthand(value, at: location))
          }
        case .expectedThreshold(let of, let column):
          guard value.isEmpty || Double(value) != nil else {
            throw Diagnostic("'\(column)' must be a number", at: location)
          }
          if let t = Double(value) { thresholds.append((of, t)) }
        case .prefix: spec.promptPrefix = value.isEmpty ? nil : value
        case .suffix: spec.promptSuffix = value.isEmpty ? nil : value
        case .invalid(let problem): throw problem
        case .variable(let name): spec.vars[name] = .string(value)
        }
      }
      for (column, value) in thresholds {
        if let i = expectedIndex[column] { spec.assertions[i].threshold = value }
      }
      return spec
    }
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

  /// The records of `text` (see ``CSVRecordReader``), all at once.
  /// - Throws: ``Diagnostic`` for an unterminated quoted field or text after a closing quote.
  static func records(_ text: String, path: String, trim: Bool = false) throws -> [CSVRecordReader.Record] {
    var reader = CSVRecordReader(bytes: Array(text.utf8), path: path, trim: trim)
    var records: [CSVRecordReader.Record] = []
    while let record = try reader.next() { records.append(record) }
    return records
  }
}
