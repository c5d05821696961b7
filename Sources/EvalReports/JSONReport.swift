import EvalCore
import Foundation

/// `results.json` (the whole run, versioned, pretty, sorted keys) and `results.jsonl` lines (one compact
/// case result per line), both documented in docs/results-format.md.
public enum JSONReport {
  /// The pretty `results.json` bytes.
  public static func render(_ report: RunReport) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    return Array(try encoder.encode(report)) + [0x0A]
  }

  /// One compact line for `results.jsonl`, newline included.
  public static func line(_ result: CaseResult) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return Array(try encoder.encode(result)) + [0x0A]
  }

  /// Reads a `results.json` back.
  public static func decode(_ bytes: [UInt8]) throws -> RunReport {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return try decoder.decode(RunReport.self, from: Data(bytes))
  }
}
