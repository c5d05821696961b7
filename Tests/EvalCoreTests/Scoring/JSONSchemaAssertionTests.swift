import EvalCore
import Testing

struct JSONSchemaAssertionTests {
  static let schema: JSONValue = [
    "type": "object",
    "required": ["order_id", "items"],
    "additionalProperties": false,
    "properties": [
      "order_id": ["type": "string", "pattern": "^[A-Z]-[0-9]+$", "minLength": 3, "maxLength": 10],
      "items": ["type": "integer", "minimum": 1, "maximum": 99],
      "tags": ["type": "array", "items": ["enum": ["gift", "fragile"]], "maxItems": 2],
      "express": ["const": true],
      "note": ["type": ["string", "null"]],
    ],
  ]

  @Test(arguments: [
    (#"{"order_id": "A-1", "items": 2}"#, true),
    (#"{"order_id": "A-1", "items": 2, "tags": ["gift"], "express": true, "note": null}"#, true),
    (#"{"order_id": "a-1", "items": 2}"#, false),
    (#"{"order_id": "A-1", "items": 2.5}"#, false),
    (#"{"order_id": "A-1", "items": 0}"#, false),
    (#"{"order_id": "A-1", "items": 100}"#, false),
    (#"{"order_id": "A-1"}"#, false),
    (#"{"order_id": "A-1", "items": 2, "extra": 1}"#, false),
    (#"{"order_id": "A-1", "items": 2, "tags": ["gift", "x"]}"#, false),
    (#"{"order_id": "A-1", "items": 2, "tags": ["gift", "gift", "fragile"]}"#, false),
    (#"{"order_id": "A-1", "items": 2, "express": false}"#, false),
    (#"{"order_id": "A-12345678901", "items": 2}"#, false),
    ("[]", false),
    ("not json", false),
  ])
  func truthTable(output: String, pass: Bool) async throws {
    #expect(try await Harness.passes("json-schema", Self.schema, output: output) == pass)
    #expect(try await Harness.passes("not-json-schema", Self.schema, output: output) == !pass)
  }

  @Test func reasonCarriesThePath() async throws {
    let r = try await Harness.result("json-schema", Self.schema, output: #"{"order_id": "A-1", "items": "2"}"#)
    #expect(r.reason.contains("$.items: expected integer, got string"))
  }

  @Test func unsupportedKeywordIsALoadError() {
    let d = Harness.buildError("json-schema", ["type": "object", "oneOf": []])
    #expect(d?.message.contains("unsupported JSON Schema keyword 'oneOf'") == true)
  }

  @Test func unknownTypeNameSuggestsTheNearest() {
    let d = Harness.buildError("json-schema", ["type": "strng"])
    #expect(d?.message.contains("did you mean 'string'") == true)
  }

  @Test func missingSchemaIsALoadError() {
    #expect(Harness.buildError("json-schema") != nil)
  }

  static let lengths: [(String, JSONValue, Bool)] = [
    ("🇺🇸", ["maxLength": 1], false),
    ("🇺🇸", ["minLength": 2], true),
    ("e\u{301}", ["minLength": 2], true),
    ("e\u{301}", ["maxLength": 1], false),
    ("👍🏽", ["maxLength": 2], true),
    ("👍🏽", ["maxLength": 1], false),
  ]

  @Test(arguments: lengths)
  func lengthsCountCodePoints(text: String, schema: JSONValue, pass: Bool) async throws {
    #expect(try await Harness.passes("json-schema", schema, output: JSONValue.quote(text)) == pass)
  }

  @Test func bigIntegersCompareExactly() async throws {
    let big = JSONValue.bigInteger("9007199254740993")
    #expect(try await !Harness.passes("json-schema", ["const": big], output: "9007199254740992"))
    #expect(try await Harness.passes("json-schema", ["const": big], output: "9007199254740993"))
    #expect(try await !Harness.passes("json-schema", ["enum": [big]], output: "9007199254740992"))
    #expect(try await !Harness.passes("json-schema", ["minimum": big], output: "9007199254740992"))
    #expect(try await Harness.passes("json-schema", ["minimum": big], output: "9007199254740993"))
    #expect(try await !Harness.passes("json-schema", ["exclusiveMaximum": big], output: "9007199254740993"))
    #expect(try await Harness.passes("json-schema", ["maximum": 1.5], output: "-123456789012345678901234567890"))
    #expect(try await Harness.passes("json-schema", ["type": "integer"], output: "123456789012345678901234567890"))
  }
}
