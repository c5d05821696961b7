import Foundation
import Testing

@testable import EvalCore

/// Integers beyond 2^53 keep every digit and compare exactly.
struct JSONExactNumberTests {
  @Test(arguments: [
    ("9007199254740992", JSONValue.number(9_007_199_254_740_992)),
    ("-9007199254740992", .number(-9_007_199_254_740_992)),
    ("9007199254740993", .bigInteger("9007199254740993")),
    ("-9007199254740993", .bigInteger("-9007199254740993")),
    ("123456789012345678901234567890", .bigInteger("123456789012345678901234567890")),
    ("1e2", .number(100)),
    ("12345678901234567890.0", .number(12_345_678_901_234_567_890)),
  ])
  func numbersKeepTheirExactValue(text: String, value: JSONValue) throws {
    let parsed = try JSONValue.parseStrict(text)
    #expect(parsed == value)
    if case .bigInteger(let digits) = value {
      guard case .bigInteger(let got) = parsed else {
        Issue.record("\(text) parsed as \(parsed)")
        return
      }
      #expect(got == digits)
    }
  }

  @Test func neighboursBeyondTwoToTheFiftyThreeDiffer() throws {
    let a = try JSONValue.parseStrict(#"{"id": 9007199254740993}"#)
    let b = try JSONValue.parseStrict(#"{"id": 9007199254740992}"#)
    #expect(a != b)
    #expect(a == (try JSONValue.parseStrict(#"{"id": 9007199254740993}"#)))
    #expect(JSONValue.parse("[18446744073709551616]") != JSONValue.parse("[18446744073709551617]"))
  }

  @Test func equalValuesInEitherCaseAreEqualAndHashAlike() {
    let twoTo60 = 1_152_921_504_606_846_976.0
    let a = JSONValue.number(twoTo60)
    let b = JSONValue.bigInteger("1152921504606846976")
    #expect(a == b)
    #expect(Set([a, b]).count == 1)
    #expect(a.canonicalJSON == b.canonicalJSON)
    #expect(JSONValue.number(twoTo60) != .bigInteger("1152921504606846977"))
    #expect(JSONValue.number(1e300) == .bigInteger(JSONExactNumber.integerDigits(of: 1e300) ?? ""))
    #expect(JSONValue.number(0.5) != .bigInteger("1"))
  }

  @Test(arguments: [
    (
      1e300,
      "100000000000000005250476025520442024870446858110815915491585411551180245798890819578637137"
        + "508044786404370444383288387817694252323536043057564479218478670698284838720092657580373783"
        + "023379478809005936895323497079994508111903896764088007465274278014249457925878882005684283"
        + "8115669472196386865459400540160"
    ),
    (-9.223372036854775808e18, "-9223372036854775808"),
    (18_446_744_073_709_551_616, "18446744073709551616"),
    (42, "42"),
  ])
  func exactDigitsOfDoubles(value: Double, digits: String) {
    #expect(JSONExactNumber.integerDigits(of: value) == digits)
  }

  @Test func canonicalTextIsTheDigitsWhenNoDoubleIsEqual() {
    #expect(JSONValue.bigInteger("9007199254740993").canonicalJSON == "9007199254740993")
    #expect(JSONValue.bigInteger("9007199254740993").plainText == "9007199254740993")
    #expect(JSONValue.integer("+000123") == .number(123))
    #expect(JSONValue.integer("-0") == .number(0))
  }

  @Test func codableKeepsBigIntegers() throws {
    let value: JSONValue = ["id": .bigInteger("123456789012345678901")]
    let data = try JSONEncoder().encode(value)
    #expect(String(decoding: data, as: UTF8.self) == #"{"id":123456789012345678901}"#)
    #expect(try JSONDecoder().decode(JSONValue.self, from: data) == value)
  }
}
