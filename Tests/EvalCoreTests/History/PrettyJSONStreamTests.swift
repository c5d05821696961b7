import EvalCore
import Foundation
import Testing

/// A record's stored JSON laid out piece by piece is what `JSONEncoder` pretty-prints of the decoded record.
struct PrettyJSONStreamTests {
  static var pretty: JSONEncoder {
    let encoder = AuditChain.encoder
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    return encoder
  }

  static func layout(_ text: Data, pieces size: Int) -> Data {
    var layout = PrettyJSONStream()
    var out = Data()
    var at = text.startIndex
    while at < text.endIndex {
      let end = min(text.endIndex, at + size)
      out.append(contentsOf: layout.layout(text[at..<end]))
      at = end
    }
    return out
  }

  @Test(arguments: [1, 3, 100, 1 << 20])
  func aStoredRecordLaidOutInPiecesIsTheEncodersPrettyPrint(_ size: Int) throws {
    var random = SplitMix64(seed: 11)
    var record = try AuditChain.seal(RunRecordDraftTests.record(1, cases: 120, &random), after: "")
    record.cases[0].scores = [:]
    record.audit.providers = ["cases": [], "p": ["m1", "m2"]]
    let stored = try AuditChain.encode(record)
    let expected = try Self.pretty.encode(try AuditChain.decoder.decode(RunRecord.self, from: stored))
    let laidOut = Self.layout(stored, pieces: size)
    #expect(laidOut == expected, "\(RunRecordDraftTests.difference(laidOut, expected))")

    record.cases = []
    let empty = try AuditChain.encode(record)
    #expect(Self.layout(empty, pieces: size) == (try Self.pretty.encode(record)))
  }
}
