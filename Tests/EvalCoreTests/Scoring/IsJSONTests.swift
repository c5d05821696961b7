import EvalCore
import Testing

struct IsJSONTests {
  @Test(arguments: [
    (#"{"a": 1}"#, true),
    ("[1, 2]", true),
    ("  \"text\"  ", true),
    ("```json\n{\"a\": 1}\n```", true),
    (#"Here: {"a": 1}"#, false),
    (#"{"a": 1"#, false),
    ("", false),
  ])
  func truthTable(output: String, pass: Bool) async throws {
    #expect(try await Harness.passes("is-json", output: output) == pass)
    #expect(try await Harness.passes("not-is-json", output: output) == !pass)
  }

  @Test func schemaValueIsEnforced() async throws {
    let schema: JSONValue = ["type": "object", "required": ["id"], "properties": ["id": ["type": "integer"]]]
    #expect(try await Harness.passes("is-json", schema, output: #"{"id": 3}"#))
    #expect(try await !Harness.passes("is-json", schema, output: #"{"id": "3"}"#))
    #expect(try await !Harness.passes("is-json", schema, output: "{}"))
  }

  @Test(arguments: [
    ("```json\r\n{\"a\": 1}\r\n```", true),
    ("```\r\n[1]\r\n```\r\n", true),
    ("```json\r{\"a\": 1}\r```", true),
    ("```json\n{\"a\": 1}\n", false),
    ("```json\n{\"a\": 1}\n``` and more", false),
  ])
  func fencesWithAnyLineEnding(output: String, pass: Bool) async throws {
    #expect(try await Harness.passes("is-json", output: output) == pass)
  }

  @Test(arguments: [
    #"{"a": 1,}"#, "[1, 2,]", "[NaN]", "{'a': 1}", "// c\n{}", "[01]", #""\ud800""#, "\u{FEFF}{}",
  ])
  func onlyRFC8259(output: String) async throws {
    #expect(try await !Harness.passes("is-json", output: output))
    #expect(try await !Harness.passes("json-schema", ["type": "object"], output: output))
  }
}
