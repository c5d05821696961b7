import EvalCore
import EvalHistory
import EvalReports
import EvalRun
import Foundation

/// The baselines on disk: every command that reads or writes a baseline goes through here, and the
/// pure work (parsing, restricting, the bless diff, rendering) is ``Baselines``'.
struct BaselineStore {
  /// A baseline file, a baselines folder, a run's `results.json` or a run's output folder.
  var path: String
  /// Whether the path was named (`--baseline`) rather than the default folder found.
  var named: Bool

  /// The baselines to compare with: `flag` (`--baseline PATH`), else `baselines/` when it exists; `nil`
  /// when `disabled` (`--no-baseline`) or there is nothing to compare with.
  static func resolve(flag: String?, disabled: Bool) -> BaselineStore? {
    guard !disabled else { return nil }
    if let flag { return BaselineStore(path: flag, named: true) }
    guard FileManager.default.fileExists(atPath: Baselines.defaultFolder) else { return nil }
    return BaselineStore(path: Baselines.defaultFolder, named: false)
  }

  /// Reads the baselines at ``path``.
  /// - Throws: ``Diagnostic`` naming the file for anything unreadable.
  func load() throws -> Baselines { try Self.load(path) }

  /// The file a baseline case came from, for messages: its suite's file when ``path`` is a folder (or
  /// the default), else ``path`` itself.
  func file(of record: CaseRecord) -> String {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
      return path
    }
    let file = path + "/" + Baselines.fileName(for: record.suite)
    return FileManager.default.fileExists(atPath: file) ? file : path
  }

  /// Reads one side of a comparison: a baseline file, a run's `results.json`, a run's output folder (its
  /// `results.json`), or a folder of baseline files (every baseline `*.json` in it).
  /// - Throws: ``Diagnostic`` naming the file for anything unreadable.
  static func load(_ path: String) throws -> Baselines {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw Diagnostic("no such file or directory: '\(path)'")
    }
    guard isDirectory.boolValue else { return try Baselines.parse(readFile(path), path: path) }
    // A run's output folder: its results.json (the folder also holds other JSON reports).
    let results = path + "/results.json"
    if FileManager.default.fileExists(atPath: results) { return try load(results) }
    // A baselines folder: its baseline files. Other JSON objects beside them are passed over; a file
    // that is not JSON at all (a merge conflict left in a baseline) is read, so its error is reported.
    var parts: [Baselines] = []
    for name in try FileManager.default.contentsOfDirectory(atPath: path).sorted() where name.hasSuffix(".json") {
      let file = path + "/" + name
      let bytes = try readFile(file)
      if Baselines.kind(of: bytes) == .otherJSON { continue }
      parts.append(try Baselines.parse(bytes, path: file))
    }
    guard !parts.isEmpty else {
      throw Diagnostic("'\(path)' holds neither a run's results.json nor baseline files (baselines/<suite>.json)")
    }
    return Baselines(merging: parts)
  }

  /// Reads a run's `results.json`.
  /// - Throws: ``Diagnostic`` naming the file when it cannot be read or decoded.
  static func readResults(_ path: String) throws -> RunReport {
    try Baselines.results(readFile(path), path: path)
  }

  /// The bytes of the file at `path`.
  /// - Throws: ``Diagnostic`` when it cannot be read.
  static func readFile(_ path: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else { throw Diagnostic("cannot read '\(path)'") }
    return Array(data)
  }

  /// Blesses `report` (read from `resultsPath`) into the baselines folder `dir`: each chosen suite's file
  /// written atomically unless only timings changed, in which case it is not touched at all.
  /// - Parameter config: The project config, hashed into the headers when it exists.
  /// - Returns: Each suite's blessing with its file's path.
  /// - Throws: ``Diagnostic`` for a suite the report lacks; file-system errors.
  static func bless(
    _ report: RunReport, resultsPath: String, suites: [String], into dir: String, config: String
  ) throws -> [(path: String, blessing: Baselines.Blessing)] {
    let iso = ISO8601DateFormatter()
    let provenance = Baselines.Provenance(
      tool: "evalgate \(EvalgateCommand.version)", createdAt: iso.string(from: Date()),
      source: "\(resultsPath) (run started \(iso.string(from: report.startedAt)))", configHash: sha256(ofFile: config))
    let blessings = try Baselines.bless(
      report, suites: suites, resultsPath: resultsPath, provenance: provenance, suiteHash: sha256(ofFile:),
      existing: { suite in
        let path = dir + "/" + Baselines.fileName(for: suite)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try BaselineFile.parse(try readFile(path), path: path)
      })
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return try blessings.map { blessing in
      let path = dir + "/" + blessing.fileName
      if let bytes = blessing.bytes { try AtomicFile.write(bytes, to: path) }
      return (path, blessing)
    }
  }

  /// SHA-256 of a file's bytes, in lowercase hex; `nil` when it cannot be read.
  static func sha256(ofFile path: String) -> String? {
    AuditCollector.digest(path)
  }
}
