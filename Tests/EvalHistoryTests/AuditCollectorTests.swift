import EvalCore
import Foundation
import Testing

@testable import EvalHistory

/// The audit record's inputs: git's view of the work tree (asked once, possibly while the run goes on), CI
/// variables before git, and the files' digests.
struct AuditCollectorTests {
  /// Runs git in `dir`; its trimmed output.
  @discardableResult
  static func git(_ dir: String, _ args: String...) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git", "-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com"] + args
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw CocoaError(.executableLoad) }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// A repository with one commit on branch `trunk`.
  static func repository() throws -> String {
    let dir = try HistoryTestSupport.scratch()
    do {
      try git(dir, "init", "-q", "-b", "trunk")
    } catch {
      try Test.cancel("git is not on PATH (or too old for `init -b`): the audit's git facts are not tested")
    }
    try "a\n".write(toFile: dir + "/suite.yaml", atomically: true, encoding: .utf8)
    try git(dir, "add", "suite.yaml")
    try git(dir, "commit", "-q", "-m", "first")
    return dir
  }

  @Test func gitSaysTheCommitTheBranchAndWhetherTrackedFilesChanged() async throws {
    let dir = try Self.repository()
    let collector = AuditCollector(
      environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? ""], directory: dir)
    let clean = collector.repository()
    #expect(clean.commit == (try Self.git(dir, "rev-parse", "HEAD")))
    #expect(clean.dirty == false)
    #expect(clean.branch == "trunk")
    try "b\n".write(toFile: dir + "/suite.yaml", atomically: true, encoding: .utf8)
    let dirty = await collector.repositoryInBackground()
    #expect(dirty == AuditCollector.Repository(commit: clean.commit, dirty: true, branch: "trunk"))
  }

  @Test func aDetachedHeadAStagedChangeAnUntrackedFileAndNoCommitYet() throws {
    let dir = try Self.repository()
    let collector = AuditCollector(
      environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? ""], directory: dir)
    try "new\n".write(toFile: dir + "/untracked.txt", atomically: true, encoding: .utf8)
    #expect(collector.repository().dirty == false, "an untracked file is not a change to the commit")
    try "b\n".write(toFile: dir + "/suite.yaml", atomically: true, encoding: .utf8)
    try Self.git(dir, "add", "suite.yaml")
    #expect(collector.repository().dirty == true, "a staged change is one")
    try Self.git(dir, "commit", "-q", "-m", "second")
    let commit = try Self.git(dir, "rev-parse", "HEAD")
    try Self.git(dir, "checkout", "-q", "--detach")
    #expect(collector.repository() == AuditCollector.Repository(commit: commit, dirty: false, branch: nil))

    let empty = try HistoryTestSupport.scratch()
    try Self.git(empty, "init", "-q", "-b", "trunk")
    let unborn = AuditCollector(
      environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? ""], directory: empty
    ).repository()
    #expect(unborn == AuditCollector.Repository(commit: nil, dirty: false, branch: "trunk"))
  }

  @Test(
    arguments: [
      (
        "# branch.oid 1a2b\n# branch.head main\n# branch.upstream origin/main\n# branch.ab +0 -0", "1a2b", "main", false
      ),
      ("# branch.oid (initial)\n# branch.head trunk", nil, "trunk", false),
      ("# branch.oid 1a2b\n# branch.head (detached)\n1 .M N... 100644 100644 100644 a b suite.yaml", "1a2b", nil, true),
      (
        "# branch.oid 1a2b\n# branch.head main\n2 R. N... 100644 100644 100644 a b R100 new.yaml\told.yaml", "1a2b",
        "main", true
      ),
      (
        "# branch.oid 1a2b\n# branch.head main\nu UU N... 100644 100644 100644 100644 a b c x.yaml", "1a2b", "main",
        true
      ),
    ] as [(String, String?, String?, Bool)])
  func porcelainV2SaysTheCommitTheBranchAndAnyChange(text: String, commit: String?, branch: String?, dirty: Bool) {
    #expect(GitStatus(porcelainV2: text) == GitStatus(commit: commit, branch: branch, dirty: dirty))
  }

  @Test func ciVariablesComeBeforeGit() throws {
    let dir = try Self.repository()
    let collector = AuditCollector(
      environment: [
        "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "", "GITHUB_SHA": "abc123", "GITHUB_HEAD_REF": "feature",
      ], directory: dir)
    let tree = collector.repository()
    #expect(tree.commit == "abc123")
    #expect(tree.branch == "feature")
  }

  @Test func aRecordTakesTheWorkTreeItWasGivenAndDigestsTheFiles() throws {
    let dir = try HistoryTestSupport.scratch()  // not a repository: git would say nothing
    try "abc".write(toFile: dir + "/results.json", atomically: true, encoding: .utf8)
    let given = AuditCollector.Repository(commit: "c0ffee", dirty: false, branch: "main")
    let audit = AuditCollector(environment: ["USER": "ana"], directory: dir).collect(
      toolVersion: "1.0", configFile: nil, suiteFiles: [], resultsFile: dir + "/results.json", repository: given)
    #expect(audit.gitCommit == "c0ffee" && audit.gitDirty == false && audit.branch == "main")
    #expect(audit.actor == "ana")
    #expect(audit.resultsSHA256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    let asked = AuditCollector(environment: [:], directory: dir).collect(
      toolVersion: "1.0", configFile: nil, suiteFiles: [], resultsFile: nil)
    #expect(asked.gitCommit == nil && asked.gitDirty == nil)
    // A digest the writer made as it wrote is taken as it is: the file is not read again.
    let hashed = AuditCollector(environment: [:], directory: dir).collect(
      toolVersion: "1.0", configFile: nil, suiteFiles: [], resultsFile: dir + "/missing.json",
      resultsSHA256: "00ff", repository: given)
    #expect(hashed.resultsSHA256 == "00ff")
  }
}
