import EvalCore
import Testing

struct ContainsJSONTests {
  @Test(arguments: [
    (#"Sure! {"a": 1} Anything else?"#, true),
    (#"list: [1, {"b": "}"}] done"#, true),
    (#"{"a": 1}"#, true),
    ("no braces at all", false),
    (#"broken {"a": } here"#, false),
  ])
  func truthTable(output: String, pass: Bool) async throws {
    #expect(try await Harness.passes("contains-json", output: output) == pass)
    #expect(try await Harness.passes("not-contains-json", output: output) == !pass)
  }

  @Test func schemaAppliesToTheFirstJSONFound() async throws {
    let schema: JSONValue = ["type": "object", "required": ["ok"]]
    #expect(try await Harness.passes("contains-json", schema, output: #"x {"ok": true} y"#))
    #expect(try await !Harness.passes("contains-json", schema, output: #"x {"no": true} y"#))
  }
}
