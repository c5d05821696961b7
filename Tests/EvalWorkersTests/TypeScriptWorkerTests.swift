import EvalCore
import EvalWorkers
import Foundation
import Testing

/// TypeScript code (`.ts`, `.mts`, `.cts`) in the node workers: loaded where node strips types (from 22.6,
/// with the flag the worker is started with before 22.18 and 23.6), else an error naming the file and both
/// versions. Each test runs with a node of the kind it needs from `PATH` (.ci/run has node 20 from Debian and
/// a newer one in its venv), and is skipped, saying so, where there is none.
struct TypeScriptWorkerTests {
  /// Every distinct `node` on `PATH`, with its version.
  static let nodes: [(path: String, version: NodeVersion)] = {
    var seen: Set<String> = []
    var out: [(String, NodeVersion)] = []
    for folder in Interpreters.path.split(separator: ":") {
      let candidate = "\(folder)/node"
      let real = URL(fileURLWithPath: candidate).resolvingSymlinksInPath().path
      guard FileManager.default.isExecutableFile(atPath: candidate), seen.insert(real).inserted,
        let version = NodeVersion.of(executable: candidate)
      else { continue }
      out.append((candidate, version))
    }
    return out
  }()
  static let newNode = nodes.first { $0.version.loadsTypeScript }
  static let oldNode = nodes.first { !$0.version.loadsTypeScript }

  /// Workers whose `PATH` finds `node` first.
  static func workers(with node: String) -> CodeWorkers {
    var parent = ProcessInfo.processInfo.environment
    parent["PATH"] = (node as NSString).deletingLastPathComponent + ":" + Interpreters.path
    return CodeWorkers(size: 1, parentEnvironment: parent)
  }

  static let files = [
    "prompt.ts": """
    type Vars = { topic: string };
    export default async function ({ vars }: { vars: Vars }): Promise<string> {
      return `Tell me about ${vars.topic}`;
    }
    """,
    "named.mts": "export const shout = (s: string): string => s.toUpperCase();\n",
    "common.cts": "module.exports = { twice: (n: number): number => n * 2 };\n",
  ]

  @Test(arguments: [
    ("v20.20.2", false, [String]()), ("v22.5.1", false, []), ("v22.6.0", true, ["--experimental-strip-types"]),
    ("v22.17.9", true, ["--experimental-strip-types"]), ("v22.18.0", true, []),
    ("v23.5.0", true, ["--experimental-strip-types"]), ("v23.6.0", true, []), ("v24.19.0", true, []),
  ])
  func versionsAndTheirTypeScriptFlags(text: String, loads: Bool, flags: [String]) throws {
    let version = try #require(NodeVersion(text))
    #expect(version.description == text)
    #expect(version.loadsTypeScript == loads)
    #expect(version.typeScriptFlags == flags)
  }

  @Test func versionTextThatIsNotAVersionIsNil() {
    #expect(NodeVersion("v22") == nil)
    #expect(NodeVersion("node: not found") == nil)
    #expect(NodeVersion("22.6.0\n") == NodeVersion(22, 6, 0))
  }

  @Test(.enabled(if: newNode != nil, "needs node >= 22.6 on PATH (.ci/run puts one in .build-ci-tools/bin)"))
  func aNodeThatStripsTypesRunsTypeScriptFiles() async throws {
    let node = try #require(Self.newNode)
    let dir = try Interpreters.scratch(Self.files)
    let workers = Self.workers(with: node.path)
    func call(_ file: String, _ fn: String?, _ args: [JSONValue]) -> CodeCall {
      CodeCall(
        language: .javascript, source: .file(path: dir.appendingPathComponent(file).path, function: fn),
        arguments: args)
    }
    #expect(
      try await workers.call(call("prompt.ts", nil, [["vars": ["topic": "types"]]])).get() == "Tell me about types")
    #expect(try await workers.call(call("named.mts", "shout", ["hey"])).get() == "HEY")
    #expect(try await workers.call(call("common.cts", "twice", [21])).get() == .number(42))
    await workers.shutdown()
  }

  @Test(.enabled(if: oldNode != nil, "needs a node older than 22.6 on PATH (Debian's node 20, which .ci/run installs)"))
  func anOlderNodeSaysWhichVersionTypeScriptNeeds() async throws {
    let node = try #require(Self.oldNode)
    let dir = try Interpreters.scratch(Self.files)
    let workers = Self.workers(with: node.path)
    let call = CodeCall(
      language: .javascript, source: .file(path: dir.appendingPathComponent("prompt.ts").path, function: nil),
      arguments: [["vars": ["topic": "types"]]])
    let message = await workers.call(call).failure?.message ?? ""
    #expect(message.contains("prompt.ts is TypeScript, which needs node >= 22.6"), "\(message)")
    #expect(message.contains("the node found is \(node.version)"), "\(message)")
    await workers.shutdown()
  }
}
