import EvalCore
import EvalWorkers
import Foundation
import Testing

/// Code providers call endpoints with the user's keys, as promptfoo's do: their calls run in workers of their
/// own, started with the parent's environment, while assertions and transforms keep running in workers that
/// see only `PATH`, `HOME`, `LANG` and the suite's variables.
@Testing.Suite(
  .enabled(if: Interpreters.hasNode && Interpreters.hasPython, "needs node and python3 on PATH (the code workers)"))
struct ProviderWorkerTests {
  @Test(arguments: [CodeLanguage.javascript, .python])
  func aProviderWorkerSeesTheKeysAnAssertionWorkerDoesNot(language: CodeLanguage) async throws {
    let dir = try Interpreters.scratch([
      "provider.js": """
      module.exports = { callApi: async () => ({ output: process.env.PROVIDER_TEST_KEY || 'none' }) };
      """,
      "provider.py": """
      import os

      def call_api(prompt, options, context):
          return {"output": os.environ.get("PROVIDER_TEST_KEY", "none")}
      """,
    ])
    var parent = ProcessInfo.processInfo.environment
    parent["PROVIDER_TEST_KEY"] = "seen-by-providers"
    let workers = CodeWorkers(size: 1, parentEnvironment: parent, environment: ["SUITE_FLAG": "on"])
    let file = dir.appendingPathComponent(language == .javascript ? "provider.js" : "provider.py").path
    var provider = CodeCall(
      language: language, source: .file(path: file, function: nil),
      defaultFunction: language == .python ? "call_api" : nil, arguments: ["p", [:], [:]])
    if language == .javascript { provider.method = "callApi" }
    provider.withCredentials = true
    #expect(try await workers.call(provider).get()?.value(atPath: ["output"]) == "seen-by-providers")
    let read =
      language == .javascript
      ? "[process.env.PROVIDER_TEST_KEY || 'none', process.env.SUITE_FLAG]"
      : "import os\nreturn [os.environ.get('PROVIDER_TEST_KEY', 'none'), os.environ.get('SUITE_FLAG')]"
    let assertion = CodeCall(language: language, source: .inline(read), arguments: ["output", [:]])
    #expect(try await workers.call(assertion).get() == ["none", "on"])
    // Two pools: the provider's worker is not the one the assertion ran in.
    #expect(await workers.running(language) == 1)
    #expect(await workers.runningProviders(language) == 1)
    await workers.shutdown()
  }
}
