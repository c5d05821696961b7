import Foundation

/// Checks SQL syntax with a real parser; the run supplies one (SQLite's own, in EvalStore), so the core does
/// no I/O.
public protocol SQLSyntaxChecker: Sendable {
  /// `nil` when `sql` is one or more statements SQLite's parser accepts; else the parser's message.
  /// Unknown tables, columns or functions are not syntax errors.
  func syntaxError(in sql: String) -> String?
}

/// `is-sql`: the output is SQL that SQLite's own parser accepts (a code fence around it allowed). promptfoo
/// checks MySQL's dialect by default (node-sql-parser); evalgate checks SQLite's only, so it asks for
/// `value: {databaseType: SQLite}` and refuses other dialects and the table and column allow-lists rather
/// than answer for a dialect it does not parse.
public struct IsSQL: Assertion {
  /// Builds from a spec whose `value` is `{databaseType: SQLite}`.
  public init(_ spec: AssertionSpec) throws {
    let o = spec.value?.objectValue ?? [:]
    let dialect = o["databaseType"]?.stringValue
    guard dialect?.lowercased() == "sqlite" else {
      throw Diagnostic(
        "'\(spec.displayType)' checks SQLite's syntax only (SQLite's own parser), and "
          + (dialect.map { "databaseType '\($0)'" } ?? "promptfoo's default dialect, MySQL,")
          + " is not checked; set 'value: {databaseType: SQLite}' if the output is SQLite")
    }
    for key in o.keys.sorted() where key != "databaseType" {
      throw Diagnostic("'\(spec.displayType)' option '\(key)' is not supported (only 'databaseType: SQLite')")
    }
  }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome {
    guard let checker = input.sql else {
      return .errored("no SQL parser is available here", kind: .configuration)
    }
    let sql = IsSQL.unfenced(input.output)
    guard !sql.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
      return AssertionOutcome(pass: false, reason: "output is empty, not SQL")
    }
    if let error = checker.syntaxError(in: sql) {
      return AssertionOutcome(pass: false, reason: "not valid SQLite: \(error)")
    }
    return AssertionOutcome(pass: true, reason: "valid SQLite syntax")
  }

  /// The text inside one Markdown code fence, when the output is one; else the output.
  static func unfenced(_ text: String) -> String {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard trimmed.hasPrefix("```"), trimmed.hasSuffix("```"), trimmed.count > 6,
      let firstLine = trimmed.firstIndex(of: "\n")
    else { return text }
    return String(trimmed[trimmed.index(after: firstLine)..<trimmed.index(trimmed.endIndex, offsetBy: -3)])
  }
}
