import EvalCore
import EvalReports
import Foundation

/// One side of a comparison as given on the command line: a baseline file, a run's `results.json`, a run's
/// output folder (its `results.json`), or a folder of baseline files (every baseline `*.json` in it).
struct ComparisonInput {
  /// The cases, from every file.
  var cases: [CaseRecord]
  /// The suites they belong to.
  var suites: Set<String>
  /// Suites' own gates recorded in a run's `results.json`, by suite id.
  var suiteGates: [String: [String: VerdictPolicy.MetricOverride]] = [:]

  /// Reads `path`.
  /// - Throws: ``Diagnostic`` naming the file for anything unreadable.
  static func load(_ path: String) throws -> ComparisonInput {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw Diagnostic("no such file or directory: '\(path)'")
    }
    if isDirectory.boolValue {
      // A run's output folder: its results.json (the folder also holds other JSON reports).
      let results = path + "/results.json"
      if FileManager.default.fileExists(atPath: results) { return try load(results) }
      // A baselines folder: its baseline files. Other JSON objects beside them are passed over; a file
      // that is not JSON at all (a merge conflict left in a baseline) is read, so its error is reported.
      let files = try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".json") }.sorted()
        .filter { !isOtherJSON(path + "/" + $0) }
      guard !files.isEmpty else {
        throw Diagnostic(
          "'\(path)' holds neither a run's results.json nor baseline files (baselines/<suite>.json)")
      }
      var out = ComparisonInput(cases: [], suites: [])
      for file in files {
        let one = try load(path + "/" + file)
        out.cases += one.cases
        out.suites.formUnion(one.suites)
        out.suiteGates.merge(one.suiteGates) { a, _ in a }
      }
      return out
    }
    let bytes = try readFile(path)
    let top = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
    if top?["evalgateBaseline"] != nil {
      let baseline = try BaselineFile.parse(bytes, path: path)
      return ComparisonInput(cases: baseline.cases, suites: [baseline.suite])
    }
    guard top?["schemaVersion"] != nil, top?["cases"] != nil else {
      throw Diagnostic(
        "neither a baseline file nor a run's results.json", at: SourceLocation(file: path, line: 1, column: 1))
    }
    do {
      let report = try JSONReport.decode(bytes)
      return ComparisonInput(
        cases: report.records, suites: report.suiteIDs,
        suiteGates: Dictionary(report.suites.compactMap { s in s.verdictMetrics.map { (s.id, $0) } }) { a, _ in a })
    } catch {
      throw Diagnostic(
        "cannot read results (\(BaselineFile.describe(error)))", at: SourceLocation(file: path, line: 1, column: 1))
    }
  }

  /// Only the cases of `suites`.
  func restricted(to suites: Set<String>) -> ComparisonInput {
    ComparisonInput(
      cases: cases.filter { suites.contains($0.suite) }, suites: self.suites.intersection(suites),
      suiteGates: suiteGates.filter { suites.contains($0.key) })
  }

  /// Whether the file at `path` is valid JSON but not a baseline (no `evalgateBaseline` key).
  static func isOtherJSON(_ path: String) -> Bool {
    guard let bytes = try? readFile(path), let top = try? JSONSerialization.jsonObject(with: Data(bytes)) else {
      return false
    }
    return (top as? [String: Any])?["evalgateBaseline"] == nil
  }

  static func readFile(_ path: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw Diagnostic("cannot read '\(path)'")
    }
    return Array(data)
  }
}
