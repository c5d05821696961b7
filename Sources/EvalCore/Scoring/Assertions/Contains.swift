import Foundation

/// `contains` / `icontains`: the output contains the value (case-insensitively for `icontains`).
public struct Contains: Assertion {
  let needle: String
  let caseInsensitive: Bool

  /// Builds from a spec with a string `value`.
  public init(_ spec: AssertionSpec) throws {
    needle = try spec.stringValue()
    caseInsensitive = spec.isCaseInsensitive
  }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome {
    let pass = TextMatch.contains(input.output, needle, caseInsensitive: caseInsensitive)
    return AssertionOutcome(
      pass: pass, reason: pass ? "output contains \(excerpt(needle))" : "output does not contain \(excerpt(needle))")
  }
}

/// Substring matching shared by the contains family.
enum TextMatch {
  static func contains(_ haystack: String, _ needle: String, caseInsensitive: Bool) -> Bool {
    if caseInsensitive { return haystack.lowercased().contains(needle.lowercased()) }
    return haystack.contains(needle)
  }
}

/// The list value of `contains-any` / `contains-all` and their `i` forms.
struct NeedleList: Sendable {
  let needles: [String]
  let caseInsensitive: Bool

  init(_ spec: AssertionSpec) throws {
    needles = try spec.stringListValue()
    caseInsensitive = spec.isCaseInsensitive
  }

  /// The needles found in / missing from `text`.
  func partition(_ text: String) -> (found: [String], missing: [String]) {
    var found: [String] = []
    var missing: [String] = []
    for n in needles {
      if TextMatch.contains(text, n, caseInsensitive: caseInsensitive) { found.append(n) } else { missing.append(n) }
    }
    return (found, missing)
  }
}
