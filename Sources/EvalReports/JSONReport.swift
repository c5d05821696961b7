import EvalCore
import Foundation

/// `results.json` (the whole run, versioned, compact, sorted keys) and `results.jsonl` lines (one compact
/// case result per line), both documented in docs/results-format.md.
public enum JSONReport {
  /// The `results.json` bytes.
  /// - Parameter encodedCases: case lines already encoded while the run went (from ``line(_:)``, keyed by
  ///   case id); cases not in it are encoded here. The bytes are the same either way.
  public static func render(_ report: RunReport, encodedCases: [CaseID: [UInt8]] = [:]) throws -> [UInt8] {
    var out: [UInt8] = []
    try write(report, encodedCases: encodedCases) { out.append(contentsOf: $0) }
    return out
  }

  /// Streams `results.json` to `sink` in pieces, so a large run is never held twice in memory.
  public static func write(
    _ report: RunReport, encodedCases: [CaseID: [UInt8]] = [:], to sink: (UnsafeRawBufferPointer) throws -> Void
  ) throws {
    try write(report, encoded: { encodedCases[$0] }, to: sink)
  }

  /// `results.json` in chunks, each case's line from `encoded` when it has one (read back from where the run
  /// kept it), encoded here otherwise.
  public static func write(
    _ report: RunReport, encoded: (CaseID) -> [UInt8]?, whole: (CaseResult) -> CaseResult = { $0 },
    to sink: (UnsafeRawBufferPointer) throws -> Void
  ) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = UTCTimestamp.encodingStrategy(milliseconds: false)
    var header = report
    header.cases = []
    let head = Array(try encoder.encode(header))
    // With sorted compact keys the empty list appears once, at the top level (quotes inside strings are escaped).
    guard let at = head.firstRange(of: Array(#""cases":[]"#.utf8)) else {
      throw EncodingError.invalidValue(report, .init(codingPath: [], debugDescription: "no cases key in the header"))
    }
    // Gathered into chunks of about 256 kB: a write per case would be thousands of system calls.
    var buffer: [UInt8] = []
    buffer.reserveCapacity(1 << 18)
    func emit(_ bytes: some Collection<UInt8>) throws {
      buffer.append(contentsOf: bytes)
      if buffer.count >= 1 << 18 {
        try buffer.withUnsafeBytes(sink)
        buffer.removeAll(keepingCapacity: true)
      }
    }
    try emit(head[..<at.lowerBound])
    try emit(#""cases":["#.utf8)
    for (i, c) in report.cases.enumerated() {
      if i > 0 { try emit(CollectionOfOne(0x2C)) }
      let line = try encoded(c.id) ?? line(whole(c))
      try emit(line.last == 0x0A ? line.dropLast() : line[...])
    }
    try emit(CollectionOfOne(0x5D))
    try emit(head[at.upperBound...])
    try emit(CollectionOfOne(0x0A))
    try buffer.withUnsafeBytes(sink)
  }

  /// One compact line for `results.jsonl`, newline included.
  public static func line(_ result: CaseResult) throws -> [UInt8] {
    CaseResultJSON.encode(result) + [0x0A]
  }

  /// Reads a `results.json` back.
  public static func decode(_ bytes: [UInt8]) throws -> RunReport {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = UTCTimestamp.decodingStrategy
    return try decoder.decode(RunReport.self, from: Data(bytes))
  }
}
