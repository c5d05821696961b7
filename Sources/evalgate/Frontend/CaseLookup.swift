import EvalCore
import EvalReports
import EvalRun
import Foundation

/// Finds the cases `evalgate explain` names in a run's results or in a baseline.
enum CaseLookup {
  /// Where the cases came from.
  enum Source {
    /// A run's results.json (read from `path`).
    case run(RunReport, path: String)
    /// Baseline files (read from `path`): outcomes and scores only.
    case baseline([CaseRecord], path: String)
  }

  /// What a case is known by.
  struct Entry: Sendable, Hashable {
    var id: CaseID
    var testID: String?
    var title: String
    var provider: String

    init(_ c: CaseResult) {
      id = c.id
      testID = c.testID
      title = c.title
      provider = c.provider
    }

    init(_ r: CaseRecord) {
      id = r.id
      title = r.title
      provider = r.provider
    }

    /// `title (id)` for suggestions.
    var label: String { "'\(testID ?? title)' (\(id.rawValue), \(provider))" }
  }

  /// Reads a run's output folder or results.json, or a baseline file or folder.
  /// - Throws: ``Diagnostic`` naming the file.
  static func load(_ path: String) throws -> Source {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw Diagnostic(
        "no such file or directory: '\(path)'",
        notes: ["run the suites first (`evalgate run`), or name a run's output folder with --from"])
    }
    let results = isDirectory.boolValue ? path + "/results.json" : path
    if FileManager.default.fileExists(atPath: results) {
      let bytes = try BaselineStore.readFile(results)
      if Baselines.kind(of: bytes) == .results {
        return .run(try Baselines.results(bytes, path: results), path: results)
      }
    }
    return .baseline(try BaselineStore.load(path).cases, path: path)
  }

  /// The entries `query` names: an exact case id; else every case whose test id or title is `query`;
  /// else the one case whose id starts with `query` (4 characters or more).
  /// - Throws: ``Diagnostic`` located at `path` for no match (with the nearest cases) or an ambiguous prefix.
  static func select(_ query: String, in entries: [Entry], at path: String) throws -> [Entry] {
    var isDirectory: ObjCBool = false
    let isFile = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    let location = isFile ? SourceLocation(file: path, line: 1, column: 1) : nil
    if let exact = entries.first(where: { $0.id.rawValue == query }) { return [exact] }
    let named = entries.filter { $0.testID == query || $0.title == query }
    if !named.isEmpty { return named }
    if query.count >= 4 {
      let prefixed = entries.filter { $0.id.rawValue.hasPrefix(query) }
      if prefixed.count == 1 { return prefixed }
      if prefixed.count > 1 {
        throw Diagnostic(
          "case id prefix '\(query)' matches \(prefixed.count) cases: "
            + prefixed.prefix(5).map(\.label).joined(separator: ", "),
          at: location, notes: ["give more characters of the id"])
      }
    }
    let nearest = nearest(to: query, in: entries, count: 3)
    throw Diagnostic(
      "no case '\(query)' among the \(entries.count) case\(entries.count == 1 ? "" : "s") of "
        + (isFile ? "this file" : "'\(path)'"),
      at: location,
      notes: nearest.isEmpty ? [] : ["nearest: " + nearest.map(\.label).joined(separator: ", ")])
  }

  /// The `count` entries whose id, test id or title is closest to `query` (edit distance, then order).
  static func nearest(to query: String, in entries: [Entry], count: Int) -> [Entry] {
    let q = query.lowercased()
    let ranked = entries.enumerated().map { i, e in
      let names = [e.id.rawValue, e.title] + (e.testID.map { [$0] } ?? [])
      let distance =
        names.map { name -> Int in
          // A query that is a prefix of the id is measured against the id's start only.
          let name = name.lowercased()
          return EditDistance.levenshtein(q, name.count > q.count && name.hasPrefix(q) ? q : name)
        }.min() ?? Int.max
      return (distance, i, e)
    }
    var seen = Set<CaseID>()
    return ranked.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2).filter { seen.insert($0.id).inserted }
      .prefix(count).map { $0 }
  }
}
