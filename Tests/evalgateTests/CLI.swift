import Foundation
import Testing

/// Runs the built `evalgate` binary as a user would, capturing exit status and output.
enum CLI {
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static var binary: URL {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
      "evalgate")
    if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
    return packageRoot.appendingPathComponent(".build/debug/evalgate")
  }

  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// Runs `evalgate args…` in `directory`; kills it after `timeout` (a hang guard, long because a loaded CI
  /// machine runs a 20,000-case debug run for minutes).
  @discardableResult
  static func run(
    _ args: [String], in directory: URL, environment: [String: String] = [:], timeout: Duration = .seconds(600),
    whileRunning: ((Process) async throws -> Void)? = nil
  ) async throws -> Result {
    let out = directory.appendingPathComponent(".stdout-\(UUID().uuidString)")
    let err = directory.appendingPathComponent(".stderr-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    defer {
      try? FileManager.default.removeItem(at: out)
      try? FileManager.default.removeItem(at: err)
    }
    let process = Process()
    process.executableURL = binary
    process.arguments = args
    process.currentDirectoryURL = directory
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    env.merge(environment) { _, new in new }
    process.environment = env
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    if let whileRunning { try await whileRunning(process) }
    let deadline = ContinuousClock.now + timeout
    while process.isRunning {
      if ContinuousClock.now > deadline {
        process.terminate()
        Issue.record("evalgate \(args) did not finish within \(timeout)")
        break
      }
      try await Task.sleep(for: .milliseconds(20))
    }
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus,
      stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
      stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
  }

  /// Waits until `file` holds at least `lines` lines (a run's results.jsonl growing), or two minutes: an event
  /// to act on, instead of a sleep that a loaded machine can outrun or undershoot.
  static func waitForLines(_ file: URL, atLeast lines: Int, deadline: Duration = .seconds(120)) async throws {
    let end = ContinuousClock.now + deadline
    while ContinuousClock.now < end {
      if let data = FileManager.default.contents(atPath: file.path), data.count(where: { $0 == 10 }) >= lines {
        return
      }
      try await Task.sleep(for: .milliseconds(10))
    }
    Issue.record("\(file.lastPathComponent) never reached \(lines) lines")
  }

  /// A fresh temporary folder, optionally with files.
  static func scratch(_ files: [String: String] = [:]) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for (name, text) in files {
      let url = dir.appendingPathComponent(name)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try text.write(to: url, atomically: true, encoding: .utf8)
    }
    return dir
  }

  static func exists(_ dir: URL, _ name: String) -> Bool {
    FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path)
  }
}
