import EvalCore
import Testing

struct XMLAssertionTests {
  static let analysis = "<analysis><classification>T-shirt</classification><color>Red</color></analysis>"

  @Test(arguments: [
    (analysis, true), ("<?xml version=\"1.0\"?>\n<a x='1'><b/></a>", true), ("<a><b></a>", false),
    ("<a/><b/>", false), ("plain text", false), ("<a>&bogus;</a>", false), ("Here: <a/>", false),
  ])
  func isXMLIsOneWellFormedDocument(output: String, valid: Bool) async throws {
    #expect(try await Harness.passes("is-xml", output: output) == valid)
    #expect(try await Harness.passes("not-is-xml", output: output) == !valid)
  }

  @Test func requiredElementsArePathsFromTheRoot() async throws {
    #expect(try await Harness.passes("is-xml", "analysis.classification, analysis.color", output: Self.analysis))
    #expect(try await Harness.passes("is-xml", ["requiredElements": ["analysis.color"]], output: Self.analysis))
    let missing = try await Harness.result("is-xml", ["analysis.size", "analysis.color"], output: Self.analysis)
    #expect(!missing.pass && missing.reason == "XML is missing required elements: analysis.size")
    #expect(try await Harness.passes("is-xml", "a.@_x, a.b.1", output: "<a x='1'><b/><b/></a>"))
    #expect(Harness.buildError("is-xml", ["other": 1]) != nil)
  }

  @Test(arguments: [
    ("The result: " + analysis + " done.", true), ("<p>unclosed <b>bold</p>", false), ("no markup", false),
    ("a < b and c > d", false), ("inner <x><y>1</y></x> and <z/>", true),
  ])
  func containsXMLFindsAWellFormedElement(output: String, found: Bool) async throws {
    #expect(try await Harness.passes("contains-xml", output: output) == found)
  }

  @Test func containsXMLChecksTheRequiredElementsOfSomeElement() async throws {
    let output = "first <a><b/></a> then <c><d>1</d></c>"
    #expect(try await Harness.passes("contains-xml", "c.d", output: output))
    #expect(try await !Harness.passes("contains-xml", "c.e", output: output))
  }
}
