import EvalCore
import EvalTestSupport
import Foundation
import Testing

/// `evalgate run` holds passing cases compacted once their pieces are on disk; a case a report renders again
/// (a JUnit name made unique, a row flagged by the baseline) is read back whole, so nothing is lost.
struct CompactedRunTests {
  static let suite = """
    description: twins
    prompts: ["say {{ word }}"]
    providers: [echo]
    tests:
      - description: same name
        vars: { word: alpha }
        metadata: { row: 1 }
        assert: [{ type: contains, value: alpha }]
      - description: same name
        id: t-beta
        vars: { word: beta }
        metadata: { row: 2 }
        assert: [{ type: contains, value: beta }, { type: icontains, value: BETA }]
    """

  @Test func passingCasesRenderedAgainKeepEverything() async throws {
    let dir = try CLI.scratch(["suites/twins.yaml": Self.suite])
    let r = try await CLI.run(["run", "--no-cache", "--no-history"], in: dir)
    #expect(r.status == 0, "\(r.stderr)\n\(r.stdout)")
    let junit = try [UInt8](Data(contentsOf: dir.appendingPathComponent("reports/junit.xml")))
    // Both names carry the case id (rendered again at the end), and still their assertions and test id, which
    // the compacted cases do not hold.
    #expect(XMLChecker.count(junit, "//testcase[contains(@name, 'same name [echo] (')]") == 2)
    #expect(XMLChecker.string(junit, "string(//testcase[@line='9']/@assertions)") == "2")
    #expect(
      XMLChecker.string(junit, "string(//testcase[@line='9']/properties/property[@name='test.id']/@value)") == "t-beta"
    )
    // results.json has every case whole.
    let json = try #require(
      JSONValue.parse(try String(contentsOf: dir.appendingPathComponent("reports/results.json"), encoding: .utf8)))
    let cases = try #require(json.value(atPath: ["cases"])?.arrayValue)
    #expect(cases.count == 2)
    #expect(cases.allSatisfy { $0.value(atPath: ["vars", "word"]) != nil && $0.value(atPath: ["metadata"]) != nil })
  }
}
