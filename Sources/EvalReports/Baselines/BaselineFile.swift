import EvalCore
import Foundation

/// The bytes of a baseline file and back. Deterministic and diff-friendly: sorted keys, the header one
/// field a line, then one case a line in id order, latencies rounded to 0.1 ms, so a re-bless touches
/// only the lines of cases that changed.
public enum BaselineFile {
  /// The file's bytes.
  public static func render(_ baseline: Baseline) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var header = baseline
    header.cases = []
    // The header as sorted compact JSON, split to one member a line.
    let object = try JSONSerialization.jsonObject(with: try encoder.encode(header)) as? [String: Any] ?? [:]
    var out = "{\n"
    for key in object.keys.sorted() where key != "cases" {
      let value = try JSONSerialization.data(
        withJSONObject: object[key] ?? NSNull(), options: [.fragmentsAllowed, .withoutEscapingSlashes])
      out += "  \(JSONValue.quote(key)): \(String(decoding: value, as: UTF8.self)),\n"
    }
    out += "  \"cases\": ["
    for (i, c) in baseline.cases.enumerated() {
      out += i == 0 ? "\n    " : ",\n    "
      out += String(decoding: try encoder.encode(rounded(c)), as: UTF8.self)
    }
    out += baseline.cases.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
    return Array(out.utf8)
  }

  /// Reads a baseline file.
  /// - Throws: ``Diagnostic`` naming the file when it is not a baseline.
  public static func parse(_ bytes: [UInt8], path: String) throws -> Baseline {
    do {
      return try JSONDecoder().decode(Baseline.self, from: Data(bytes))
    } catch {
      throw Diagnostic(
        "not an evalgate baseline (\(describe(error)))", at: SourceLocation(file: path, line: 1, column: 1))
    }
  }

  /// A decoding error as one line: what is wrong and at which key.
  public static func describe(_ error: any Error) -> String {
    func path(_ keys: [any CodingKey]) -> String {
      keys.isEmpty
        ? "" : " at '" + keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".") + "'"
    }
    switch error as? DecodingError {
    case .keyNotFound(let key, let context)?: return "missing '\(key.stringValue)'\(path(context.codingPath))"
    case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?:
      return "\(context.debugDescription)\(path(context.codingPath))"
    case .dataCorrupted(let context)?: return "not valid JSON\(path(context.codingPath))"
    default: return "\(error)"
    }
  }

  /// The record with latencies rounded to 0.1 ms (finer digits are noise and churn the diff).
  static func rounded(_ c: CaseRecord) -> CaseRecord {
    var c = c
    for i in c.samples.indices {
      c.samples[i].latencyMs = c.samples[i].latencyMs.map { ($0 * 10).rounded() / 10 }
    }
    return c
  }
}
