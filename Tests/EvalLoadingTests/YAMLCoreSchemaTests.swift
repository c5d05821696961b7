import EvalCore
import Foundation
import Testing
import Yams

@testable import EvalLoading

/// Plain scalars resolve by the YAML 1.2 core schema, checked against Yams given the schema's own patterns
/// (YAML 1.2.2, section 10.3.2) in place of its YAML 1.1 defaults.
struct YAMLCoreSchemaTests {
  static let core12: Resolver = {
    do {
      return try Resolver.basic
        .appending(.null, "^(?:null|Null|NULL|~|)$")
        .appending(.bool, "^(?:true|True|TRUE|false|False|FALSE)$")
        .appending(.int, "^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
        .appending(
          .float,
          "^(?:[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$"
        )
    } catch {
      fatalError("the YAML 1.2 core patterns are valid regular expressions: \(error)")
    }
  }()

  static let scalars = [
    "0", "7", "42", "1000", "017", "0755", "00", "+12", "-5", "+5", "-0", "1_000", "0x1F", "0xff", "0xG", "-0x1F",
    "0b101", "0o17", "0o8", "0o", "1:30", "12:30:00", "3.5", "1.", ".5", "-.5", "+.5", "1e5", "1E-5", "1.5e+3",
    "1e", "e5", ".", "-", "+", "..5", "1.2.3", "123456789012345", "1234567890123456", "2024-01-01",
    "2001-12-14t21:59:43.10-05:00", "hello", "Hello world", "Infinity", "inf", "nan", ".inf", ".Inf", ".INF",
    "+.inf", "-.inf", "-.INF", ".nan", ".NaN", ".NAN", ".nAn", "yes", "Yes", "YES", "no", "No", "NO", "true",
    "True", "TRUE", "tRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null",
    "NULL", "nULL", "y", "n", "Y", "N", "o", "t", "f", "~", "<<", "=", "Zebra", "apple pie", "_underscore",
    "question 12", "ünï", "x1", "1 2", "0.", "-1.5e-3",
  ]

  static func scalar(_ text: String, _ resolver: Resolver) throws -> Node {
    try #require(try Yams.compose(yaml: "[\(text)]", resolver)?.sequence?.first)
  }

  /// The value of a scalar the reference resolved to `tag`, converted without evalgate's code.
  static func referenceValue(_ text: String, tag: Yams.Tag.Name) -> JSONValue {
    switch tag {
    case .null: return .null
    case .bool: return .bool(text.lowercased() == "true")
    case .int:
      let value =
        text.hasPrefix("0o")
        ? Int(text.dropFirst(2), radix: 8) : text.hasPrefix("0x") ? Int(text.dropFirst(2), radix: 16) : Int(text)
      return value.map { .number(Double($0)) } ?? .string("unexpected int \(text)")
    case .float:
      if text.lowercased().hasSuffix(".nan") { return .number(.nan) }
      if text.lowercased().hasSuffix(".inf") { return .number(text.hasPrefix("-") ? -.infinity : .infinity) }
      return .number((text as NSString).doubleValue)
    default: return .string(text)
    }
  }

  @Test(arguments: scalars)
  func agreesWithTheCoreSchema(_ text: String) throws {
    let reference = try Self.scalar(text, Self.core12)
    let tag = Yams.Tag.Name(rawValue: reference.tag.rawValue)
    let node = YAMLNode(node: try Self.scalar(text, .default), file: "t.yaml")
    #expect(node.tagName == tag, "\(text)")
    #expect(try node.json().canonicalJSON == Self.referenceValue(text, tag: tag).canonicalJSON, "\(text)")
    if tag == .str { #expect(try node.json() == .string(text)) }
  }

  /// Suites are composed with Yams' rule-less resolver (``YAMLNode/resolver``), which compiles no regular
  /// expressions: plain scalars read exactly as under Yams' default one.
  @Test(arguments: scalars)
  func theRulelessResolverReadsTheSame(_ text: String) throws {
    let node = YAMLNode(node: try Self.scalar(text, YAMLNode.resolver), file: "t.yaml")
    let reference = YAMLNode(node: try Self.scalar(text, .default), file: "t.yaml")
    #expect(node.tagName == reference.tagName, "\(text)")
    #expect(try node.json().canonicalJSON == reference.json().canonicalJSON, "\(text)")
  }

  /// A plain key and a quoted key with the same text are one key, as for ``YAMLMapping`` and promptfoo, also in a
  /// mapping read as JSON (vars), where the second used to replace the first without a word.
  @Test func plainAndQuotedKeysWithTheSameTextCollide() throws {
    #expect(throws: Diagnostic.self) { try YAMLNode.parse("vars: {1: a, \"1\": b}\n", file: "t.yaml") }
    let parsed = try #require(try YAMLNode.parse("vars: {1: a, \"2\": b}\n", file: "t.yaml"))
    #expect(try parsed.json() == .object(["vars": .object(["1": "a", "2": "b"])]))
  }

  @Test(arguments: [
    ("123456789012345678901234567890", JSONValue.bigInteger("123456789012345678901234567890")),
    ("-9007199254740993", .bigInteger("-9007199254740993")),
    ("+0009007199254740993", .bigInteger("9007199254740993")),
    ("0xFFFFFFFFFFFFFFFFFFFF", .bigInteger("1208925819614629174706175")),
    ("0o7777777777777777777777", .bigInteger("73786976294838206463")),
    ("9007199254740992", .number(9_007_199_254_740_992)),
  ])
  func integersAreExact(text: String, value: JSONValue) throws {
    let node = YAMLNode(node: try Self.scalar(text, .default), file: "t.yaml")
    #expect(try node.json() == value)
    #expect(try node.json().canonicalJSON == value.canonicalJSON)
  }

  @Test func quotedAndTaggedScalars() throws {
    for (yaml, value) in [
      ("['42']", JSONValue.string("42")), ("[\"true\"]", "true"), ("[!!str 42]", "42"), ("[!!int '7']", 7),
      ("[!!float '1']", 1), ("[!!bool 'yes']", "yes"), ("[! 12]", "12"),
    ] {
      let node = YAMLNode(node: try #require(try Yams.compose(yaml: yaml)?.sequence?.first), file: "t.yaml")
      #expect(try node.json() == value, "\(yaml)")
    }
  }

  @Test func emptyIsNull() throws {
    let node = YAMLNode(node: try #require(try Yams.compose(yaml: "- \n")?.sequence?.first), file: "t.yaml")
    #expect(try node.json() == .null)
  }

  /// promptfoo's own examples rely on YAML 1.2: `yes`, `on`, `n` in vars are words.
  @Test func suitesReadYAMLOnePointTwo() throws {
    let dir = try SuiteLoaderTests.write([
      "s.yaml": """
      prompts: ["Rephrase this from English to {{language}}: {{input}}"]
      providers: [echo]
      tests:
        - vars: { language: Pirate, input: yes, flag: on, letter: n, word: No, octal: 017, time: 1:30 }
          assert:
            - type: equals
              value: off
      """
    ])
    let suite = try SuiteLoader(project: ProjectConfig()).load(file: dir.appendingPathComponent("s.yaml").path).suite
    let vars = try #require(Array(suite.tests).first?.vars)
    #expect(vars["input"] == "yes")
    #expect(vars["flag"] == "on")
    #expect(vars["letter"] == "n")
    #expect(vars["word"] == "No")
    #expect(vars["octal"] == 17)
    #expect(vars["time"] == "1:30")
    #expect(Array(suite.tests).first?.assertions.first?.value == "off")
  }

  @Test func yesIsNotABoolean() throws {
    let dir = try SuiteLoaderTests.write([
      "s.yaml": "prompts: [x]\nproviders: [echo]\ntests:\n  - vars: {a: 1}\n    must_pass: yes\n"
    ])
    #expect(throws: Diagnostic.self) {
      try SuiteLoader(project: ProjectConfig()).load(file: dir.appendingPathComponent("s.yaml").path)
    }
  }
}
