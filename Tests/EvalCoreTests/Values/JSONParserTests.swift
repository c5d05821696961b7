import EvalCore
import Testing

/// RFC 8259 exactly: what JSONSerialization let through (trailing commas) is rejected, with a position.
struct JSONParserTests {
  @Test(arguments: [
    (#"{"a": 1,}"#, "1:9: trailing comma before '}'"),
    ("[1, 2,]", "1:7: trailing comma before ']'"),
    ("[1 2]", "1:4: expected ',' or ']' after an array element, found '2'"),
    ("{a: 1}", "1:2: expected a member name in double quotes, found 'a'"),
    ("{'a': 1}", "1:2: expected a member name in double quotes, found '''"),
    (#"{"a" 1}"#, "1:6: expected ':' after a member name, found '1'"),
    ("017", "1:2: leading zeros are not allowed in JSON numbers"),
    ("+1", "1:1: expected a JSON value, found '+'"),
    (".5", "1:1: expected a JSON value, found '.'"),
    ("1.", "1:3: expected a digit after '.'"),
    ("1e", "1:3: expected a digit in the exponent"),
    ("NaN", "1:1: expected a JSON value, found 'N'"),
    ("Infinity", "1:1: expected a JSON value, found 'I'"),
    ("-Infinity", "1:2: expected a digit after '-'"),
    ("True", "1:1: expected a JSON value, found 'T'"),
    ("nul", "1:1: expected a JSON value, found 'n'"),
    ("// note\n1", "1:1: expected a JSON value, found '/'"),
    ("/* c */ 1", "1:1: expected a JSON value, found '/'"),
    ("[1] x", "1:5: extra text after the JSON value: 'x'"),
    ("1 2", "1:3: extra text after the JSON value: '2'"),
    ("", "1:1: empty input: expected a JSON value"),
    ("  \n ", "2:2: empty input: expected a JSON value"),
    ("[", "1:2: unexpected end of input: expected a JSON value"),
    ("[1,,2]", "1:4: expected a JSON value, found ','"),
    ("\"a\tb\"", "1:3: control character U+0009 in a string (write it as an escape)"),
    (#""\x""#, "1:2: invalid escape: backslash before 'x'"),
    (#""\u12""#, "1:2: \\u needs four hex digits"),
    (#""\ud800""#, "1:2: lone surrogate U+D800 (a high surrogate needs a low one after it)"),
    (#""\ud83d\u0041""#, "1:2: lone surrogate U+D83D (a high surrogate needs a low one after it)"),
    (#""\udc00""#, "1:2: lone surrogate U+DC00"),
    (#""open"#, "1:1: unterminated string"),
    ("\u{FEFF}1", "1:1: expected a JSON value, found '\u{FEFF}'"),
    ("[\"é\", x]", "1:7: expected a JSON value, found 'x'"),
    ("{\n  \"a\": 1,\n}", "3:1: trailing comma before '}'"),
  ])
  func rejectsWithPosition(text: String, expected: String) {
    #expect(throws: JSONParser.Failure.self) { try JSONValue.parseStrict(text) }
    do {
      _ = try JSONValue.parseStrict(text)
    } catch {
      #expect(String(describing: error) == expected, "\(text.debugDescription)")
    }
  }

  static let valid: [(String, JSONValue)] = [
    ("1", .number(1)),
    ("-0", .number(0)),
    ("1E+2", .number(100)),
    ("2.5e-1", .number(0.25)),
    (#""s""#, .string("s")),
    ("true", .bool(true)),
    ("null", .null),
    (" \t\r\n[1, {\"a\": []}] \n", [1, ["a": []]]),
    (#""\ud83d\ude00 \u00e9 \/ \u0000""#, .string("\u{1F600} é / \u{0}")),
    ("\"\u{85}\u{2028} \u{2029}\"", .string("\u{85}\u{2028} \u{2029}")),
    (#"{"a": 1, "a": 2}"#, ["a": 2]),
  ]

  @Test(arguments: valid)
  func accepts(text: String, value: JSONValue) throws {
    #expect(try JSONValue.parseStrict(text) == value)
  }

  @Test func nestingIsLimited() throws {
    let deepest = String(repeating: "[", count: JSONParser.maximumDepth) + String(repeating: "]", count: 512)
    #expect(JSONValue.parse(deepest) != nil)
    let tooDeep = "[" + deepest + "]"
    #expect(JSONValue.parse(tooDeep) == nil)
    let error = try #require(throws: JSONParser.Failure.self) { try JSONValue.parseStrict(tooDeep) }
    #expect(error.message == "arrays and objects nested deeper than 512")
    #expect(error.position.column == 513)
  }

  @Test func valuesCarryPositions() throws {
    struct Positions: JSONParser.Builder {
      func scalar(_ scalar: JSONParser.Scalar, at position: JSONParser.Position) -> [String] {
        ["\(position.line):\(position.column)"]
      }
      func array(_ items: [[String]], at position: JSONParser.Position) -> [String] {
        ["\(position.line):\(position.column)"] + items.flatMap { $0 }
      }
      func object(_ members: [JSONParser.Member<[String]>], at position: JSONParser.Position) -> [String] {
        ["\(position.line):\(position.column)"]
          + members.flatMap { ["\($0.key)@\($0.keyPosition.line):\($0.keyPosition.column)"] + $0.value }
      }
    }
    let seen = try JSONParser.parse("{\"ü\": [1,\n  \"x\"],\r\n \"b\": null}", with: Positions())
    #expect(seen == ["1:1", "ü@1:2", "1:7", "1:8", "2:3", "b@3:2", "3:7"])
  }
}
