import Foundation

/// Where a run first needs an interpreter: the first code assertion or transform of each language, so a
/// missing `node` or `python3` is reported at the line that needs it before any call is made.
public struct CodeUse: Sendable, Hashable {
  /// The language.
  public var language: CodeLanguage
  /// What needs it, for the message: `'javascript' assertion`, `transform`.
  public var what: String
  /// Where it is written.
  public var location: SourceLocation

  /// The first use of each language in `cases`, in language order.
  public static func firstUses(in cases: [EvalCase]) -> [CodeUse] {
    var found: [CodeLanguage: CodeUse] = [:]
    func visit(_ items: [ScoringPlan.Item]) {
      for item in items {
        switch item.kind {
        case .set(let children): visit(children)
        case .single:
          if let language = CodeLanguage(rawValue: item.spec.type), found[language] == nil {
            found[language] = CodeUse(
              language: language, what: "'\(item.spec.displayType)' assertion", location: item.spec.location)
          }
        }
      }
    }
    for c in cases {
      if let t = c.transform, found[t.language] == nil {
        found[t.language] = CodeUse(language: t.language, what: "transform", location: t.location)
      }
      visit(c.plan.items)
      if found.count == CodeLanguage.allCases.count { break }
    }
    return CodeLanguage.allCases.compactMap { found[$0] }
  }
}
