import EvalCore
import EvalWorkers
import Foundation
import Testing

/// Real `python3` workers, with promptfoo's python assertion shapes (the same dicts as JavaScript's
/// objects) and `get_assert` / named functions in files.
@Testing.Suite(
  .enabled(if: Interpreters.hasPython, "python3 is not installed: install Python 3 to run the python worker tests"))
struct PythonWorkerTests {
  static let context: JSONValue = ["vars": ["topic": "bananas"], "prompt": "Tell me about bananas"]

  func py(_ code: String) -> CodeCall {
    CodeCall(language: .python, source: .inline(code), arguments: ["Yellow bananas!", Self.context])
  }

  @Test func inlineExpressionsAndBodies() async throws {
    let workers = CodeWorkers(size: 1)
    #expect(try await workers.call(py("context['vars']['topic'] in output")).get() == .bool(true))
    #expect(try await workers.call(py("len(output)")).get() == .number(15))
    let body = """
      # Insert your scoring logic here...
      if output == 'Expected output':
          return {'pass': True, 'score': 0.5, 'reason': 'Looks good to me'}
      else:
          return {'pass': False, 'score': 0, 'reason': 'Did not contain expected output'}
      """
    #expect(
      try await workers.call(py(body)).get()
        == ["pass": false, "score": 0, "reason": "Did not contain expected output"])
    #expect(try await workers.call(py("return None")).get() == nil)
    await workers.shutdown()
  }

  @Test func fileFunctionsDefaultToGetAssert() async throws {
    let dir = try Interpreters.scratch([
      "assert.py": """
      import helper

      def get_assert(output, context):
          print("Prompt:", context["prompt"])  # must not disturb the protocol
          return {"pass": helper.has_banana(output), "score": 0.5, "reason": "Contains banana"}

      def with_config(output, context):
          return any(f in output.lower() for f in context.get("config", {}).get("fruitList", []))

      class Grader:
          @staticmethod
          def grade(output, context):
              return 0.25
      """,
      "helper.py": "def has_banana(s):\n    return 'banana' in s.lower()\n",
    ])
    let path = dir.appendingPathComponent("assert.py").path
    let workers = CodeWorkers(size: 1)
    func call(_ fn: String?, config: JSONValue = [:]) -> CodeCall {
      CodeCall(
        language: .python, source: .file(path: path, function: fn), defaultFunction: "get_assert",
        arguments: ["Yellow bananas!", ["vars": [:], "prompt": "p", "config": config]])
    }
    #expect(try await workers.call(call(nil)).get() == ["pass": true, "score": 0.5, "reason": "Contains banana"])
    #expect(try await workers.call(call("with_config", config: ["fruitList": ["guava"]])).get() == .bool(false))
    #expect(try await workers.call(call("with_config", config: ["fruitList": ["banana"]])).get() == .bool(true))
    #expect(try await workers.call(call("Grader.grade")).get() == .number(0.25))
    let missing = await workers.call(call("nope"))
    #expect(missing.failure?.message.contains("assert.py has no function 'nope'") == true, "\(missing)")
    await workers.shutdown()
  }

  @Test func exceptionsExitsAndHangsAreTypedErrors() async throws {
    let workers = CodeWorkers(size: 1, timeout: .seconds(2))
    let raised = await workers.call(py("return 1 / 0"))
    #expect(raised.failure?.kind == .process)
    #expect(raised.failure?.message.contains("ZeroDivisionError") == true, "\(raised)")
    let notJSON = await workers.call(py("return float('nan')"))
    #expect(notJSON.failure?.message.contains("ValueError") == true, "\(notJSON)")
    let stuck = await workers.call(py("while True:\n    pass"))
    #expect(stuck.failure?.kind == .timeout, "\(stuck)")
    let exited = await workers.call(py("import os\nos._exit(4)"))
    #expect(exited.failure?.message.contains("exited with status 4") == true, "\(exited)")
    #expect(try await workers.call(py("'still here'")).get() == "still here")
    await workers.shutdown()
  }

  @Test func noCredentialsReachTheWorker() async throws {
    var parent = ProcessInfo.processInfo.environment
    parent["ANTHROPIC_API_KEY"] = "sk-ant-never-leaks"
    let workers = CodeWorkers(size: 1, parentEnvironment: parent)
    let env = try #require(try await workers.call(py("dict(__import__('os').environ)")).get()?.objectValue)
    #expect(env["ANTHROPIC_API_KEY"] == nil)
    #expect(env["HOME"] != nil)
    await workers.shutdown()
  }
}
