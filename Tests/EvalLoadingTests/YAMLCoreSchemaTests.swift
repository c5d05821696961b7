import EvalCore
import Testing
import Yams

@testable import EvalLoading

/// The shortcut past Yams' regular expressions must agree with them wherever it answers.
struct YAMLQuickTagTests {
  static let scalars = [
    "0", "7", "42", "1000", "017", "0755", "00", "1_000", "0x1F", "0b101", "0o17", "1:30", "-5", "+5", "3.5", "1e5",
    "123456789012345", "1234567890123456", "2024-01-01", "hello", "Hello world", "e5", "Infinity", "inf", "nan",
    "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON",
    "off", "Off", "OFF", "null", "Null", "NULL", "y", "n", "Y", "N", "o", "t", "f", "~", ".inf", ".nan", "<<", "=",
    "Zebra", "apple pie", "_underscore", "question 12", "ünï", "x1",
  ]

  @Test(arguments: scalars)
  func agreesWithYams(_ text: String) throws {
    let plain = try #require(try Yams.compose(yaml: "[\(text)]")?.sequence?.first?.scalar)
    let yams = Tag.Name(rawValue: try #require(try Yams.compose(yaml: "[\(text)]")?.sequence?.first?.tag.rawValue))
    if let quick = YAMLNode.quickTag(plain) { #expect(quick == yams, "\(text)") }
    let node = YAMLNode(node: .scalar(plain), file: "t.yaml", lineOffset: 0)
    let reference = YAMLNode(node: try #require(try Yams.compose(yaml: "[\(text)]")?.sequence?.first), file: "t.yaml")
    #expect(try node.json().canonicalJSON == (try reference.jsonThroughYams().canonicalJSON), "\(text)")
  }

  @Test func quotedAndTaggedScalarsAreLeftToYams() throws {
    for yaml in ["['42']", "[\"hello\"]", "[!!str 42]", "[!!int '7']"] {
      let s = try #require(try Yams.compose(yaml: yaml)?.sequence?.first?.scalar)
      #expect(YAMLNode.quickTag(s) == nil, "\(yaml)")
    }
  }

  @Test func theShortcutAnswersTheCommonCases() throws {
    for text in ["42", "0", "hello", "question 12"] {
      let s = try #require(try Yams.compose(yaml: "[\(text)]")?.sequence?.first?.scalar)
      #expect(YAMLNode.quickTag(s) != nil, "\(text)")
    }
  }
}

extension YAMLNode {
  /// `json()` as it was before the shortcut: every tag from Yams.
  func jsonThroughYams() throws -> JSONValue {
    guard case .scalar(let s) = node else { return try json() }
    switch Tag.Name(rawValue: node.tag.rawValue) {
    case .null: return .null
    case .bool: return node.bool.map(JSONValue.bool) ?? .string(s.string)
    case .int: return node.int.map { .number(Double($0)) } ?? .string(s.string)
    case .float: return node.float.map(JSONValue.number) ?? .string(s.string)
    default: return .string(s.string)
    }
  }
}
