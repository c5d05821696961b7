import EvalCore
import EvalReports
import Foundation

/// The baselines on disk: every command that reads a baseline goes through here (blessing writes them, in
/// the executable), and the pure work (parsing, restricting, the bless diff, rendering) is ``Baselines``'.
public struct BaselineStore: Sendable {
  /// A baseline file, a baselines folder, a run's `results.json` or a run's output folder.
  public var path: String
  /// Whether the path was named (`--baseline`) rather than the default folder found.
  public var named: Bool

  /// A store at `path`; `named` when a flag named it.
  public init(path: String, named: Bool) {
    self.path = path
    self.named = named
  }

  /// The baselines to compare with: `flag` (`--baseline PATH`), else `baselines/` when it exists; `nil`
  /// when `disabled` (`--no-baseline`) or there is nothing to compare with.
  public static func resolve(flag: String?, disabled: Bool) -> BaselineStore? {
    guard !disabled else { return nil }
    if let flag { return BaselineStore(path: flag, named: true) }
    guard FileManager.default.fileExists(atPath: Baselines.defaultFolder) else { return nil }
    return BaselineStore(path: Baselines.defaultFolder, named: false)
  }

  /// Reads the baselines at ``path``.
  /// - Throws: ``Diagnostic`` naming the file for anything unreadable.
  public func load() throws -> Baselines { try Self.load(path) }

  /// The file a baseline case came from, for messages: its suite's file when ``path`` is a folder (or
  /// the default), else ``path`` itself.
  public func file(of record: CaseRecord) -> String {
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
  public static func load(_ path: String) throws -> Baselines {
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
  public static func readResults(_ path: String) throws -> RunReport {
    try Baselines.results(readFile(path), path: path)
  }

  /// The bytes of the file at `path`.
  /// - Throws: ``Diagnostic`` when it cannot be read.
  public static func readFile(_ path: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else { throw Diagnostic("cannot read '\(path)'") }
    return Array(data)
  }
}
