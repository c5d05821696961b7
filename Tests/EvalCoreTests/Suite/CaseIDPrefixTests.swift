import Crypto
import Foundation
import Testing

@testable import EvalCore

/// A case id from a test's hashed prefix and the case's own end is the id of the whole text, as it was spelled
/// before the prefix was hashed once (SHA-256's first 8 bytes in lowercase hex).
struct CaseIDPrefixTests {
  @Test func aPrefixAndItsRestGiveTheIdOfTheWholeText() {
    var generator = SystemRandomNumberGenerator()
    let pieces = ["{", "\"a\":", "1", "é", "🙂", "}}", "x", "\\\"", String(repeating: "b", count: 63)]
    // Lengths around SHA-256's 64-byte blocks on both sides of the cut.
    for _ in 0..<500 {
      let prefix = (0..<Int.random(in: 0..<12, using: &generator)).map { _ in pieces.randomElement()! }.joined()
      let rest = (0..<Int.random(in: 0..<12, using: &generator)).map { _ in pieces.randomElement()! }.joined()
      let whole = CaseID(canonicalText: prefix + rest)
      #expect(CaseID.Prefix(prefix).id(rest: rest) == whole)
      let digest = SHA256.hash(data: Array((prefix + rest).utf8))
      #expect(whole.rawValue == digest.prefix(8).map { String(format: "%02x", $0) }.joined())
    }
  }

  @Test func onePrefixServesManyCases() {
    let prefix = CaseID.Prefix(#"{"prompt":"p","test":{"vars":"#)
    let first = prefix.id(rest: #"{"n":1}}}"#)
    let second = prefix.id(rest: #"{"n":2}}}"#)
    #expect(first != second)
    #expect(prefix.id(rest: #"{"n":1}}}"#) == first)
  }
}
