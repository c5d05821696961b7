import EvalCore
import Foundation

/// Gathers a run's audit record from the environment, git and the files the run read: who (CI actor or
/// local user), the commit, dirty flag and branch, the CI job URL, and SHA-256 of the config, every suite
/// file and results.json. Nothing secret: only the variables named here are read.
public struct AuditCollector: Sendable {
  /// The process environment.
  public var environment: [String: String]
  /// The folder git is asked about.
  public var directory: String

  /// A collector reading `environment` and the git work tree at `directory`.
  public init(environment: [String: String], directory: String = ".") {
    self.environment = environment
    self.directory = directory
  }

  /// What the work tree is at: the commit, whether tracked files differ from it, the branch.
  public struct Repository: Sendable, Equatable {
    /// The commit (from CI variables, else git).
    public var commit: String?
    /// Whether tracked files differ from the commit (`nil`: git could not say).
    public var dirty: Bool?
    /// The branch (from CI variables, else git; `nil` on a detached head).
    public var branch: String?

    /// A work tree at `commit` on `branch`, its tracked files changed when `dirty`.
    public init(commit: String?, dirty: Bool?, branch: String?) {
      self.commit = commit
      self.dirty = dirty
      self.branch = branch
    }
  }

  /// The work tree's state: CI variables, else git (one process, ``GitStatus``; in a large repository
  /// `git status` takes a while, so a run asks while its calls are in flight, on a thread of its own:
  /// ``repositoryInBackground()``).
  public func repository() -> Repository {
    let status = git(["status", "--porcelain=v2", "--branch", "--untracked-files=no"]).map(GitStatus.init)
    return Repository(
      commit: ciCommit ?? status?.commit, dirty: status?.dirty, branch: ciBranch ?? status?.branch)
  }

  /// ``repository()`` on a thread outside the concurrency pool (git is waited for by blocking).
  public func repositoryInBackground() async -> Repository {
    await withCheckedContinuation { continuation in
      DispatchQueue.global().async { continuation.resume(returning: repository()) }
    }
  }

  /// The audit record for a run that read `configFile` and `suiteFiles` and wrote `resultsFile` (whose SHA-256
  /// is `resultsSHA256` when the writer hashed it; the file is read otherwise), in the work tree `repository`
  /// (asked of git now when not given).
  public func collect(
    toolVersion: String, configFile: String?, suiteFiles: [String], resultsFile: String?,
    resultsSHA256: String? = nil, repository: Repository? = nil, now: Date = Date()
  ) -> AuditRecord {
    var suites: [String: String] = [:]
    for file in Set(suiteFiles) { if let digest = Self.digest(file) { suites[file] = digest } }
    let tree = repository ?? self.repository()
    return AuditRecord(
      actor: actor, recordedAt: now, gitCommit: tree.commit, gitDirty: tree.dirty, branch: tree.branch,
      ciJobURL: jobURL, toolVersion: toolVersion, configSHA256: configFile.flatMap(Self.digest),
      suiteSHA256: suites, resultsSHA256: resultsSHA256 ?? resultsFile.flatMap(Self.digest))
  }

  /// The CI actor, else the local user.
  public var actor: String? {
    first(
      "GITHUB_ACTOR", "GITLAB_USER_LOGIN", "BUILDKITE_BUILD_CREATOR", "BUILD_USER_ID", "USER", "USERNAME", "LOGNAME")
  }

  /// The commit CI variables name.
  var ciCommit: String? { first("GITHUB_SHA", "CI_COMMIT_SHA", "BUILDKITE_COMMIT", "GIT_COMMIT") }

  /// The branch CI variables name.
  var ciBranch: String? {
    first("GITHUB_HEAD_REF", "GITHUB_REF_NAME", "CI_COMMIT_REF_NAME", "BUILDKITE_BRANCH", "BRANCH_NAME")
  }

  /// The CI job's URL (GitHub Actions, GitLab, Buildkite, Jenkins).
  public var jobURL: String? {
    if let server = environment["GITHUB_SERVER_URL"], let repo = environment["GITHUB_REPOSITORY"],
      let run = environment["GITHUB_RUN_ID"]
    {
      return "\(server)/\(repo)/actions/runs/\(run)"
    }
    return first("CI_JOB_URL", "BUILDKITE_BUILD_URL", "BUILD_URL")
  }

  /// Hex SHA-256 of a file's bytes, `nil` when it cannot be read.
  public static func digest(_ path: String) -> String? {
    // Read half a megabyte at a time: a large run's results.json is hundreds of megabytes. Below evalgate's
    // `M_MMAP_THRESHOLD` (1 MB), each piece reuses the heap memory of the one before; a megabyte a piece was a
    // fresh mapping each time, a page fault every 4 KB.
    guard let file = FileHandle(forReadingAtPath: path) else { return nil }
    defer { try? file.close() }
    var digest = AuditChain.Digest()
    do {
      while let piece = try file.read(upToCount: 1 << 19), !piece.isEmpty { digest.update(piece) }
    } catch {
      return nil
    }
    return digest.hex()
  }

  private func first(_ names: String...) -> String? {
    names.lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
  }

  /// `git -C directory args…`'s trimmed output, `nil` when git is missing, fails or takes over 10 s.
  func git(_ args: [String]) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git", "-C", directory] + args
    var env = environment
    env["GIT_TERMINAL_PROMPT"] = "0"
    process.environment = env
    // Output to a file, not a pipe: a full pipe would block git while we wait for it to exit.
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-git-\(UUID().uuidString)")
    guard FileManager.default.createFile(atPath: out.path, contents: nil),
      let handle = try? FileHandle(forWritingTo: out)
    else { return nil }
    defer {
      try? handle.close()
      try? FileManager.default.removeItem(at: out)
    }
    process.standardOutput = handle
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let deadline = Date().addingTimeInterval(10)
    while process.isRunning, Date() < deadline { usleep(5_000) }
    if process.isRunning {
      process.terminate()
      return nil
    }
    guard process.terminationStatus == 0, let data = FileManager.default.contents(atPath: out.path) else { return nil }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }
}
