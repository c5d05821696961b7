import EvalCore
import Foundation
import Testing

/// A case list parsed from pieces cut anywhere is the list the whole-text reader gives.
struct CaseListParserTests {
  /// The bytes between a record's case-list brackets.
  static func caseBytes(_ record: RunRecord) throws -> Data {
    let text = try AuditChain.encode(record)
    let list = try RunRecordReader.caseList(in: text)
    return text[(list.lowerBound + 1)..<(list.upperBound - 1)]
  }

  /// Feeds `bytes` in pieces of `size` and collects the cases.
  static func parse(_ bytes: Data, pieces size: Int) throws -> [RunRecord.CaseOutcome] {
    var parser = CaseListParser()
    var cases: [RunRecord.CaseOutcome] = []
    var at = bytes.startIndex
    while at < bytes.endIndex {
      let end = min(bytes.endIndex, at + size)
      try parser.feed(bytes[at..<end]) { cases.append($0) }
      at = end
    }
    try parser.finish()
    #expect(parser.count == cases.count)
    return cases
  }

  @Test(arguments: [1, 2, 7, 64, 1_000, 1 << 20])
  func casesInPiecesOfAnySizeAreTheCasesOfTheWholeText(_ size: Int) throws {
    var random = SplitMix64(seed: 17)
    let record = RunRecordDraftTests.record(1, cases: 300, &random)
    let bytes = try Self.caseBytes(record)
    let whole = Array(try RunRecordReader(try AuditChain.encode(record)).cases)
    let parsed = try Self.parse(bytes, pieces: size)
    #expect(parsed.count == 300)
    #expect(zip(parsed, whole).allSatisfy { RunRecordReaderTests.same($0, $1) })
    // Encoded again, the cases are the stored bytes (what verifying a decoded record hashes).
    var again = record
    again.cases = parsed
    #expect(try Self.caseBytes(again) == bytes)
  }

  @Test func anEmptyListAndSpacesBetweenCasesAreRead() throws {
    #expect(try Self.parse(Data(), pieces: 10).isEmpty)
    #expect(try Self.parse(Data(" \n".utf8), pieces: 1).isEmpty)
    let record = HistoryFixtures.record(1, cases: 3) { $0 != 1 }
    let spaced = String(decoding: try Self.caseBytes(record), as: UTF8.self).replacingOccurrences(
      of: "},{", with: "} ,\n {")
    #expect(try Self.parse(Data(spaced.utf8), pieces: 5) == record.cases)
  }

  @Test func aBrokenListThrowsNamingWhatIsWrong() throws {
    let record = HistoryFixtures.record(1, cases: 3) { $0 != 1 }
    let text = String(decoding: try Self.caseBytes(record), as: UTF8.self)
    for broken in [
      String(text.dropLast()),  // ends inside the last case
      text + ",",  // a comma after the last
      text.replacingOccurrences(of: "},{", with: "}{"),
      text.replacingOccurrences(of: "},{", with: "},,{"),
      text.replacingOccurrences(of: "\"outcome\":\"failed\"", with: "\"outcome\":\"lost\""),
      text.replacingOccurrences(of: ",\"suite\":\"s\"}", with: "}"),
      // A bare word with a brace in it is not a value (a case must end where its braces balance).
      text.replacingOccurrences(of: "\"outcome\":", with: "\"x\":a{},\"outcome\":"),
      text.replacingOccurrences(of: "\"outcome\":", with: "\"x\":tr\"ue\",\"outcome\":"),
      "[" + text,
    ] {
      #expect(broken != text)
      for size in [3, 1 << 20] {
        #expect(throws: DecodingError.self, "\(broken.prefix(60))") { try Self.parse(Data(broken.utf8), pieces: size) }
      }
    }
  }
}
