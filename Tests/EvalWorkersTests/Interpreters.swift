import EvalWorkers
import Foundation

/// Which interpreters this machine has: tests that need one skip, naming it, when it is missing.
enum Interpreters {
  static let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
  static let hasNode = CodeWorkers.find("node", path: path) != nil
  static let hasPython = CodeWorkers.find("python3", path: path) != nil

  /// A fresh folder holding `files`.
  static func scratch(_ files: [String: String]) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-workers-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for (name, text) in files {
      try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    return dir
  }
}
