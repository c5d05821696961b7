import Foundation

/// Reads what a code assertion returned, with promptfoo's shapes: a boolean; a number (a score, passing
/// when it reaches the assertion's threshold, or when above 0 without one); or a grading result
/// `{pass, score?, reason?, componentResults?}` (a Python dict alike). Anything else is an error, never
/// a verdict.
enum CodeReturn {
  static func outcome(_ value: JSONValue?, threshold: Double?, type: String) -> AssertionOutcome {
    guard let value, value != .null else {
      return .errored(
        "'\(type)' returned nothing; return a boolean, a number or {pass, score, reason}", kind: .malformedResponse)
    }
    switch value {
    case .bool(let pass):
      return AssertionOutcome(pass: pass, reason: "'\(type)' returned \(pass)")
    case .number, .bigInteger:
      let score = value.numberValue ?? 0
      let pass = threshold.map { score >= $0 } ?? (score > 0)
      let rule = threshold.map { "threshold \(JSONValue.format($0))" } ?? "0"
      return AssertionOutcome(
        pass: pass, score: clamp(score),
        reason:
          "'\(type)' returned score \(JSONValue.format(score)) \(pass ? (threshold == nil ? ">" : "≥") : (threshold == nil ? "≤" : "<")) \(rule)"
      )
    case .object(let object):
      guard case .bool(let pass)? = object["pass"] else {
        return .errored(
          "'\(type)' returned an object without a boolean 'pass': \(excerpt(value.canonicalJSON, limit: 120))",
          kind: .malformedResponse)
      }
      var score = pass ? 1.0 : 0.0
      if let s = object["score"], s != .null {
        guard let n = s.numberValue else {
          return .errored("'\(type)' returned a non-numeric 'score': \(s.canonicalJSON)", kind: .malformedResponse)
        }
        score = n
      }
      var reason = object["reason"]?.stringValue ?? "'\(type)' returned pass: \(pass)"
      if let parts = object["componentResults"]?.arrayValue, !parts.isEmpty {
        let passed = parts.filter { $0.objectValue?["pass"] == .bool(true) }.count
        reason += " (components: \(passed)/\(parts.count) passed)"
      }
      return AssertionOutcome(pass: pass, score: clamp(score), reason: reason)
    default:
      return .errored(
        "'\(type)' must return a boolean, a number or {pass, score, reason}; it returned \(value.typeName) "
          + excerpt(value.plainText),
        kind: .malformedResponse)
    }
  }

  private static func clamp(_ x: Double) -> Double { x.isFinite ? min(1, max(0, x)) : 0 }
}
