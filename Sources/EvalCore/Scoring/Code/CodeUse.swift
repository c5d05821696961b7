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

  /// The first use of each language in `cases` and `providers` (code providers, `transformResponse`), in
  /// language order.
  public static func firstUses(in cases: some Sequence<EvalCase>, providers: [ProviderSpec] = []) -> [CodeUse] {
    var finder = Finder()
    finder.visit(providers)
    for c in cases {
      finder.visit(c)
      if finder.isComplete { break }
    }
    return finder.uses
  }

  /// Finds first uses one case at a time, as a pass over the cases goes.
  public struct Finder: Sendable {
    private var found: [CodeLanguage: CodeUse] = [:]

    /// None found yet.
    public init() {}

    /// The first use of each language found so far, in language order.
    public var uses: [CodeUse] { CodeLanguage.allCases.compactMap { found[$0] } }

    /// Whether every language has been found (nothing more to look for).
    public var isComplete: Bool { found.count == CodeLanguage.allCases.count }

    private mutating func note(_ t: TransformSpec?, _ what: String) {
      if let t, found[t.language] == nil {
        found[t.language] = CodeUse(language: t.language, what: what, location: t.location)
      }
    }

    /// Adds what `other` found for the languages not found here yet.
    public mutating func merge(_ other: Finder) {
      found.merge(other.found) { mine, _ in mine }
    }

    /// Looks at the code providers and `transformResponse`s.
    public mutating func visit(_ providers: [ProviderSpec]) {
      for p in providers where p.providerKind == .file {
        if case .file(let path, _) = CodeSource.parse(p.id) {
          let language = CodeLanguage.of(file: path)
          if found[language] == nil {
            found[language] = CodeUse(language: language, what: "provider '\(p.label)'", location: p.location)
          }
        }
      }
      for p in providers { note(p.responseTransform, "'transformResponse'") }
    }

    /// Looks at one case.
    public mutating func visit(_ c: EvalCase) {
      guard !isComplete else { return }
      note(c.transform, "transform")
      note(c.scoringFunction, "'assertScoringFunction'")
      if let d = c.deferred {
        note(d.transformVars, "'transformVars'")
        for hook in d.hooks { note(hook, "extension") }
        for (name, f) in d.filters.sorted(by: { $0.key < $1.key }) { note(f, "filter '\(name)'") }
        if case .function(let f) = d.body { note(f, "prompt function") }
        for (name, v) in d.codeVars.sorted(by: { $0.key < $1.key }) { note(v, "var '\(name)'") }
      }
      visit(c.plan.items)
    }

    private mutating func visit(_ items: [ScoringPlan.Item]) {
      for item in items {
        note(item.spec.transform, "assertion 'transform'")
        note(item.spec.contextTransform, "'contextTransform'")
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
  }
}
