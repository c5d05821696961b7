import EvalCore
import EvalHistory
import EvalReports
import EvalRun
import Foundation

/// `evalgate baseline accept`'s writes: the baselines blessed from a run, stamped with this evalgate's version.
extension BaselineStore {
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
