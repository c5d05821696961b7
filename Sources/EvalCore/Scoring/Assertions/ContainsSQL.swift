import Foundation

/// `contains-sql`: the output is SQL SQLite's parser accepts, or holds a fenced code block (```sql, or one
/// with no language) that is, as promptfoo's; the dialect rules are `is-sql`'s (`databaseType: SQLite`).
public struct ContainsSQL: Assertion {
  /// Builds from a spec whose `value` is `{databaseType: SQLite}`.
  public init(_ spec: AssertionSpec) throws {
    _ = try IsSQL(spec)
  }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome {
    guard let checker = input.sql else {
      return .errored("no SQL parser is available here", kind: .configuration)
    }
    var candidates = [input.output]
    var rest = input.output[...]
    while let open = rest.range(of: "```") {
      let afterFence = rest[open.upperBound...]
      guard let lineEnd = afterFence.firstIndex(of: "\n") else { break }
      let language = afterFence[..<lineEnd].trimmingCharacters(in: .whitespaces).lowercased()
      let body = afterFence[afterFence.index(after: lineEnd)...]
      guard let close = body.range(of: "```") else { break }
      if language.isEmpty || language == "sql" || language == "sqlite" {
        candidates.append(String(body[..<close.lowerBound]))
      }
      rest = body[close.upperBound...]
    }
    for sql in candidates
    where !sql.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty && checker.syntaxError(in: sql) == nil {
      return AssertionOutcome(pass: true, reason: "contains valid SQLite: \(excerpt(sql, limit: 40))")
    }
    return AssertionOutcome(pass: false, reason: "no valid SQLite in the output or its code blocks")
  }
}
