import Foundation
import Testing

/// `evalgate list` makes each case once and spools its lines (past 1 MiB in a temporary file): a listing that
/// goes through the file prints every line, and a case that fails to render after thousands of good ones
/// leaves standard output empty, as when the cases were all surveyed before the first line was printed.
struct ListCommandTests {
  /// A suite of `rows` vars CSV rows whose regex assertion is the row's own pattern.
  static func project(rows: Int, badRow: Int? = nil) throws -> URL {
    var csv = "q,pattern\n"
    // Long values, so that the listing is well past the spool's 1 MiB of memory.
    let words = String(repeating: "w", count: 80)
    for i in 1...rows { csv += "topic \(i) ünïcödé \(words),\(i == badRow ? "(" : "topic")\n" }
    return try CLI.scratch([
      "suites/s.yaml": """
      prompts: ["about {{ q }}"]
      providers: [echo]
      defaultTest:
        assert: [{ type: regex, value: "{{ pattern }}" }]
      tests: file://rows.csv

      """,
      "suites/rows.csv": csv,
    ])
  }

  @Test func aListingThroughTheTemporaryFileHasEveryLine() async throws {
    let rows = 9_000
    let r = try await CLI.run(["list"], in: try Self.project(rows: rows))
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("\(rows) cases"))
    #expect(r.stdout.utf8.count > 1 << 20)
    let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == rows + 1 && lines.last == "")
    #expect(lines.dropLast().allSatisfy { $0.hasSuffix("  [echo]") })
    #expect(lines[rows - 1].contains("rows.csv:\(rows + 1)  "))
  }

  @Test func aCaseThatFailsToRenderLateLeavesStandardOutputEmpty() async throws {
    let rows = 9_000
    let r = try await CLI.run(["list"], in: try Self.project(rows: rows, badRow: rows - 2))
    #expect(r.status != 0)
    #expect(r.stdout.isEmpty, "\(r.stdout.prefix(200))")
    #expect(r.stderr.contains("invalid regex"), "\(r.stderr)")
  }
}
