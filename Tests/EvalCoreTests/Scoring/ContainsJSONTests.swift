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

  @Test(arguments: ["42", #""just text""#, "true", "null", "the answer is 42"])
  func bareScalarsAreNotObjectsOrArrays(output: String) async throws {
    #expect(try await !Harness.passes("contains-json", output: output))
  }

  static let firstFound: [(String, JSONValue)] = [
    (#"first {"a": 1,} then [2]"#, [2]),
    (#"["[1]" x"#, [1]),
    ("```json\r\n{\"ok\": true}\r\n```", ["ok": true]),
    (#"a {"b": {"c": [1]} z"#, ["c": [1]]),
    (#"[{"x": 1}, 2"#, ["x": 1]),
  ]

  @Test(arguments: firstFound)
  func firstObjectOrArrayThatParses(output: String, expected: JSONValue) async throws {
    let r = try await Harness.result("contains-json", ["const": expected], output: output)
    #expect(r.pass, "\(r.reason)")
  }
}
