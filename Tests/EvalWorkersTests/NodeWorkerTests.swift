import EvalCore
import EvalWorkers
import Foundation
import Testing

/// Real `node` workers: promptfoo's argument and return shapes, inline code and files, and workers that
/// misbehave (throw, print, loop forever, exit) without hanging or taking the run down.
@Testing.Suite(
  .enabled(if: Interpreters.hasNode, "node is not installed: install Node.js to run the javascript worker tests"))
struct NodeWorkerTests {
  static let context: JSONValue = ["vars": ["topic": "bananas"], "prompt": "Tell me about bananas"]

  func js(_ code: String) -> CodeCall {
    CodeCall(language: .javascript, source: .inline(code), arguments: ["Yellow bananas!", Self.context])
  }

  @Test func inlineExpressionsAndBodiesSeeOutputAndContext() async throws {
    let workers = CodeWorkers(size: 1)
    #expect(try await workers.call(js("output.includes(context.vars.topic)")).get() == .bool(true))
    #expect(try await workers.call(js("output.length;")).get() == .number(15))
    #expect(try await workers.call(js("return context.prompt.split(' ').length")).get() == .number(4))
    let body = """
      const words = output.split(' ');
      if (words.length > 1) {
        return { pass: true, score: 0.5, reason: 'two words' };
      }
      return false;
      """
    #expect(
      try await workers.call(js(body)).get() == ["pass": true, "score": 0.5, "reason": "two words"])
    #expect(try await workers.call(js("return;")).get() == nil)
    #expect(try await workers.call(js("Promise.resolve(0.25)")).get() == .number(0.25))
    await workers.shutdown()
  }

  @Test func fileFunctionsByExportAndByName() async throws {
    let dir = try Interpreters.scratch([
      "assert.js": """
      module.exports = (output, context) => {
        console.log('Prompt:', context.prompt);  // printed output must not disturb the protocol
        process.stdout.write('more noise\\n');
        return { pass: output.toLowerCase().includes('bananas'), score: 0.75, reason: 'Contains banana' };
      };
      """,
      "named.js": "module.exports = { upper: (output) => output.toUpperCase(), n: 3 };",
      "esm.mjs": "export default function (output, context) { return context.config.min <= output.length; }",
    ])
    let workers = CodeWorkers(size: 1)
    let file = { (name: String, fn: String?) in
      CodeCall(
        language: .javascript, source: .file(path: dir.appendingPathComponent(name).path, function: fn),
        arguments: ["Yellow bananas!", ["vars": [:], "prompt": "p", "config": ["min": 3]]])
    }
    #expect(
      try await workers.call(file("assert.js", nil)).get() == [
        "pass": true, "score": 0.75, "reason": "Contains banana",
      ])
    #expect(try await workers.call(file("named.js", "upper")).get() == "YELLOW BANANAS!")
    #expect(try await workers.call(file("esm.mjs", nil)).get() == .bool(true))
    let missing = await workers.call(file("named.js", "lower"))
    #expect(missing.failure?.message.contains("named.js has no function 'lower'") == true, "\(missing)")
    await workers.shutdown()
  }

  @Test func aThrowIsATypedErrorAndTheWorkerStays() async throws {
    let workers = CodeWorkers(size: 1)
    let result = await workers.call(js("return output.nope.deeper"))
    #expect(result.failure?.kind == .process)
    #expect(result.failure?.message.contains("TypeError") == true, "\(result)")
    let syntax = await workers.call(js("return {"))
    #expect(syntax.failure?.message.contains("SyntaxError") == true, "\(syntax)")
    #expect(try await workers.call(js("1 + 1")).get() == .number(2))
    #expect(await workers.running(.javascript) == 1)
    await workers.shutdown()
  }

  @Test func aCallThatNeverReturnsTimesOutAndTheWorkerIsReplaced() async throws {
    let workers = CodeWorkers(size: 1, timeout: .seconds(2))
    let stuck = await workers.call(js("while (true) {}"))
    #expect(stuck.failure?.kind == .timeout, "\(stuck)")
    #expect(stuck.failure?.message.contains("did not answer within 2 s") == true)
    #expect(try await workers.call(js("'alive'")).get() == "alive")
    await workers.shutdown()
  }

  @Test func aWorkerThatExitsFailsItsCallAndIsRestarted() async throws {
    let workers = CodeWorkers(size: 1)
    let died = await workers.call(js("console.error('bye from the worker'); process.exit(3)"))
    #expect(died.failure?.kind == .process, "\(died)")
    #expect(died.failure?.message.contains("exited with status 3") == true, "\(died)")
    #expect(died.failure?.message.contains("bye from the worker") == true, "\(died)")
    #expect(try await workers.call(js("'again'")).get() == "again")
    await workers.shutdown()
  }

  @Test func valuesThatAreNotJSONAreErrors() async throws {
    let workers = CodeWorkers(size: 1)
    let result = await workers.call(js("BigInt(1)"))
    #expect(result.failure?.message.contains("not JSON") == true || result.failure?.message.contains("BigInt") == true)
    await workers.shutdown()
  }

  @Test func workersSeeOnlyPathHomeLangAndTheSuitesVariables() async throws {
    var parent = ProcessInfo.processInfo.environment
    parent["OPENAI_API_KEY"] = "sk-test-never-leaks"
    parent["AWS_SECRET_ACCESS_KEY"] = "nope"
    let workers = CodeWorkers(size: 1, parentEnvironment: parent, environment: ["SUITE_FLAG": "on"])
    let env = try #require(try await workers.call(js("process.env")).get()?.objectValue)
    #expect(env["OPENAI_API_KEY"] == nil)
    #expect(env["AWS_SECRET_ACCESS_KEY"] == nil)
    #expect(env["SUITE_FLAG"] == "on")
    #expect(env["PATH"] != nil && env["HOME"] != nil)
    #expect(
      Set(env.keys).isSubset(of: ["PATH", "HOME", "LANG", "SUITE_FLAG", "PYTHONDONTWRITEBYTECODE", "PYTHONIOENCODING"]))
    await workers.shutdown()
  }

  @Test func manyConcurrentCallsShareABoundedPool() async throws {
    let workers = CodeWorkers(size: 2)
    let pids = await withTaskGroup(of: Int?.self) { group in
      for i in 0..<200 {
        group.addTask {
          let call = CodeCall(
            language: .javascript, source: .inline("[process.pid, output]"), arguments: [.string("\(i)"), [:]])
          let value = try? await workers.call(call).get()
          #expect(value?.arrayValue?.last == .string("\(i)"))
          return value?.arrayValue?.first?.numberValue.map(Int.init)
        }
      }
      var seen: Set<Int> = []
      for await pid in group { if let pid { seen.insert(pid) } }
      return seen
    }
    #expect(pids.count >= 1 && pids.count <= 2, "\(pids)")
    #expect(await workers.running(.javascript) <= 2)
    await workers.shutdown()
  }

  @Test func aMissingInterpreterIsAConfigurationError() async throws {
    var parent = ProcessInfo.processInfo.environment
    parent["PATH"] = "/nonexistent"
    let workers = CodeWorkers(size: 1, parentEnvironment: parent)
    #expect(workers.interpreter(for: .javascript) == nil)
    let result = await workers.call(js("1"))
    #expect(result.failure?.kind == .configuration)
    #expect(result.failure?.message == "node was not found on PATH")
  }
}

extension Result {
  /// The error, when there is one.
  var failure: Failure? {
    if case .failure(let e) = self { return e }
    return nil
  }
}
