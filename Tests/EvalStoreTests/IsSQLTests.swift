import EvalCore
import EvalStore
import Testing

/// `is-sql` with SQLite's own parser: syntax errors fail, names the empty database lacks do not.
struct IsSQLTests {
  static let here = SourceLocation(file: "s.yaml", line: 1)

  static func passes(_ output: String) async throws -> Bool {
    let spec = AssertionSpec(type: "is-sql", value: ["databaseType": "SQLite"], location: here)
    let plan = try ScoringPlan.build([spec], threshold: nil, registry: .standard)
    var input = AssertionInput(output: output)
    input.sql = SQLiteSyntaxChecker()
    return await Scorer.score(plan, input).pass
  }

  @Test(arguments: [
    ("SELECT COUNT(*) FROM Shipments WHERE shipment_date >= date('now', '-1 month')", true),
    ("```sql\nSELECT name FROM Products;\n```", true),
    ("SELECT a FROM t; UPDATE t SET a = 1 WHERE b = 2;", true),
    ("SELECT FROM WHERE", false), ("SELECT * FROM t WHERE", false), ("Here is the query you asked for", false),
    ("SELECT * FROM t WHERE d > NOW() - INTERVAL 1 MONTH", false),  // MySQL, not SQLite
    ("", false),
  ])
  func truthTable(output: String, valid: Bool) async throws {
    #expect(try await Self.passes(output) == valid)
  }

  @Test(arguments: [
    ("Here you go:\n```sql\nSELECT name FROM Products;\n```\nEnjoy.", true), ("SELECT 1", true),
    ("```python\nprint('SELECT')\n```", false), ("No SQL here, sorry.", false), ("```sql\nSELECT FROM\n```", false),
  ])
  func containsSQLFindsAValidStatementOrBlock(output: String, found: Bool) async throws {
    let spec = AssertionSpec(type: "contains-sql", value: ["databaseType": "SQLite"], location: Self.here)
    let plan = try ScoringPlan.build([spec], threshold: nil, registry: .standard)
    var input = AssertionInput(output: output)
    input.sql = SQLiteSyntaxChecker()
    #expect(await Scorer.score(plan, input).pass == found)
  }

  @Test func otherDialectsAndAllowListsAreRefusedWhenBuilt() {
    for value: JSONValue? in [nil, ["databaseType": "MySQL"], ["databaseType": "SQLite", "allowedTables": ["x"]]] {
      let spec = AssertionSpec(type: "is-sql", value: value, location: Self.here)
      #expect(throws: Diagnostic.self) { _ = try ScoringPlan.build([spec], threshold: nil, registry: .standard) }
    }
  }
}
