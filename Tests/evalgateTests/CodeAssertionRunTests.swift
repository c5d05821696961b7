import EvalCore
import FakeOpenAIServer
import Foundation
import Testing

/// `javascript` and `python` assertions and output transforms, run through the CLI end to end against
/// the fake server, with configs and code files written in the spirit of promptfoo's examples
/// (javascript-assert-external, python-assert, python-assert-external, config-transform-file).
struct CodeAssertionRunTests {
  static func onPath(_ name: String) -> Bool {
    (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
      FileManager.default.isExecutableFile(atPath: "\($0)/\(name)")
    }
  }
  static let hasNode = onPath("node")
  static let hasPython = onPath("python3")
  static let hasInterpreters = hasNode && hasPython

  /// promptfoo's examples/javascript-assert-external/assert.js, as a user would bring it.
  static let assertJS = """
    module.exports = (output, context) => {
      console.log('Prompt:', context.prompt);
      console.log('Vars', context.vars.topic);
      return {
        pass: true,
        score: 0.75,
        reason: 'Looks good to me',
        componentResults: [
          { pass: output.toLowerCase().includes('bananas'), score: 0.5, reason: 'Contains banana' },
          { pass: output.toLowerCase().includes('yellow'), score: 0.5, reason: 'Contains yellow' },
        ],
      };
    };
    """

  /// promptfoo's examples/python-assert-external (assert.py and assert_with_config.py).
  static let assertPy = """
    def get_assert(output, context):
        print("Prompt:", context["prompt"])
        print("Vars", context["vars"]["topic"])
        return {"pass": "bananas" in output.lower(), "score": 0.5, "reason": "Contains banana"}
    """
  static let assertWithConfigPy = """
    def get_assert(output, context):
        test_configuration = context.get("config", {})
        for fruit in test_configuration.get("fruitList", []):
            if fruit in output.lower():
                return True
        return False
    """

  static func provider(_ server: FakeOpenAIServer) -> String {
    "{ id: 'openai:chat:gpt-4o-mini', config: { apiBaseUrl: '\(server.baseURL)' } }"
  }

  func project(_ server: FakeOpenAIServer) throws -> URL {
    let provider = Self.provider(server)
    return try CLI.scratch([
      "suites/js-external/assert.js": Self.assertJS,
      "suites/js-external/js-external.yaml": """
      prompts:
        - 'Tell me about {{topic}} in three words [[reply:{{answer}}]]'
      providers: [\(provider)]
      defaultTest:
        assert:
          - type: javascript
            value: file://assert.js
      tests:
        - vars: { topic: yellow fruits, answer: Bananas are yellow }
        - vars: { topic: fruits high in potassium, answer: Bananas and potatoes }
          assert:
            - type: javascript
              value: output.toLowerCase().includes('bananas')
            - type: not-javascript
              value: output.includes('pineapple')
            - type: javascript
              value: |
                const words = output.split(' ');
                return words.length >= 3 ? 1 : 0;
              threshold: 0.5
        - description: no credentials reach the worker
          vars: { topic: keys, answer: none }
          assert:
            - type: javascript
              value: "!('OPENAI_API_KEY' in process.env) && !('EVALGATE_TEST_SECRET' in process.env)"
      """,
      "suites/python-inline.yaml": """
      prompts: ['Write a tweet about {{topic}} [[reply:{{answer}}]]']
      providers: [\(provider)]
      tests:
        - vars: { topic: bananas, answer: I love bananas }
          assert:
            - type: python
              value: "context['vars']['topic'] in output"
        - vars: { topic: potatoes, answer: Expected output }
          assert:
            - type: python
              value: |
                # Insert your scoring logic here...
                if output == 'Expected output':
                    return {
                      'pass': True,
                      'score': 0.5,
                      'reason': 'Looks good to me',
                    }
                else:
                    return {
                      'pass': False,
                      'score': 0,
                      'reason': 'Did not contain expected output',
                    }
      """,
      "suites/python-external/assert.py": Self.assertPy,
      "suites/python-external/assert_with_config.py": Self.assertWithConfigPy,
      "suites/python-external/python-external.yaml": """
      prompts: ['Tell me about {{topic}} in three words [[reply:{{answer}}]]']
      providers: [\(provider)]
      tests:
        - vars: { topic: yellow fruits, answer: Bananas lemons mangoes }
          assert:
            - type: python
              value: file://assert.py:get_assert
        - vars: { topic: fruits high in potassium, answer: Bananas avocados spinach }
          assert:
            - type: python
              value: file://assert.py
        - vars: { topic: south american fruits, answer: Passion fruit and guava }
          assert:
            - type: python
              value: file://assert_with_config.py
              config:
                fruitList: [passion fruit, pineapple, guava]
            - type: not-python
              value: file://assert_with_config.py
              config:
                fruitList: [banana]
      """,
      "suites/transform/transform.js": """
      module.exports = (output, context) => {
        // context.vars, context.prompt
        return output.toUpperCase() + ' #' + context.vars.topic;
      };
      """,
      "suites/transform/transform.py": """
      def custom_func_name(output, context):
          return {"text": output.strip(), "topic": context["vars"]["topic"]}
      """,
      "suites/transform/transform.yaml": """
      description: 'Transform with external function'
      prompts: ['Write a tweet about {{topic}} [[reply:  {{topic}} are great  ]]']
      providers: [\(provider)]
      defaultTest:
        options:
          transform: file://transform.js
      tests:
        - vars: { topic: bananas }
          assert:
            - type: equals
              value: '  BANANAS ARE GREAT   #bananas'
        - vars: { topic: kiwis }
          options:
            transform: file://transform.py:custom_func_name
          assert:
            - type: is-json
            - type: javascript
              value: JSON.parse(output).text === 'kiwis are great'
        - vars: { topic: plums }
          options:
            transform: output.trim().length
          assert:
            - type: equals
              value: '15'
      """,
    ])
  }

  @Test(.enabled(if: hasInterpreters, "needs node and python3 on PATH (the javascript and python workers)"))
  func promptfooStyleCodeAssertionsAndTransformsRunEndToEnd() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    let dir = try project(server)
    let r = try await CLI.run(
      ["run", "--no-baseline", "--no-cache"], in: dir,
      environment: ["OPENAI_API_KEY": "sk-test-not-for-workers", "EVALGATE_TEST_SECRET": "s3cr3t"])
    await server.stop()
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    let json = try #require(
      JSONValue.parse(try String(contentsOf: dir.appendingPathComponent("reports/results.json"), encoding: .utf8)))
    let cases = try #require(json.value(atPath: ["cases"])?.arrayValue)
    #expect(cases.count == 11)
    for c in cases {
      #expect(c.value(atPath: ["outcome"]) == "passed", "\(c.canonicalJSON)")
    }
    // The grading result's reason (with its components) is what the report shows.
    let reasons = cases.flatMap { c in
      (c.value(atPath: ["attempts"])?.arrayValue ?? []).flatMap { a in
        (a.value(atPath: ["assertions"])?.arrayValue ?? []).compactMap { $0.value(atPath: ["reason"])?.stringValue }
      }
    }
    #expect(reasons.contains("Looks good to me (components: 2/2 passed)"), "\(reasons)")
    #expect(reasons.contains("Contains banana"))
    // Transformed outputs are the outputs recorded.
    let outputs = cases.compactMap { $0.value(atPath: ["attempts"])?.arrayValue?.first?.value(atPath: ["output"]) }
    #expect(outputs.contains("  BANANAS ARE GREAT   #bananas"), "\(outputs)")
    // What user code printed never reaches evalgate's own output or the protocol.
    #expect(!r.stdout.contains("Prompt:"))
  }

  @Test(.enabled(if: hasInterpreters, "needs node and python3 on PATH (the javascript and python workers)"))
  func codeThatThrowsOrHangsErrorsTheCaseAndTheRunEnds() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    let dir = try CLI.scratch([
      "suites/bad.yaml": """
      prompts: ['{{ q }}']
      providers: [\(Self.provider(server))]
      tests:
        - id: throws
          vars: { q: a }
          assert: [{ type: javascript, value: "output.nope.deeper" }]
        - id: negated-throw
          vars: { q: b }
          assert: [{ type: not-python, value: "1 / 0" }]
        - id: wrong-shape
          vars: { q: c }
          assert: [{ type: javascript, value: "'yes'" }]
        - id: hangs
          vars: { q: d }
          assert: [{ type: python, value: "while True:\\n    pass" }]
        - id: fine
          vars: { q: e }
          assert: [{ type: javascript, value: "output.startsWith('You said')" }]
      """
    ])
    let r = try await CLI.run(["run", "--no-baseline", "--no-cache", "--timeout", "3s"], in: dir)
    await server.stop()
    #expect(r.status != 0 && r.status != 2, "\(r.stdout)\(r.stderr)")
    let json = try #require(
      JSONValue.parse(try String(contentsOf: dir.appendingPathComponent("reports/results.json"), encoding: .utf8)))
    let cases = try #require(json.value(atPath: ["cases"])?.arrayValue)
    func outcome(_ id: String) -> (String?, String?) {
      let c = cases.first { $0.value(atPath: ["testID"])?.stringValue == id }
      let reason = c?.value(atPath: ["attempts"])?.arrayValue?.first?.value(atPath: ["assertions"])?.arrayValue?
        .first?.value(atPath: ["reason"])?.stringValue
      return (c?.value(atPath: ["outcome"])?.stringValue, reason)
    }
    #expect(
      outcome("throws").0 == "errored" && outcome("throws").1?.contains("TypeError") == true, "\(outcome("throws"))")
    #expect(
      outcome("negated-throw").0 == "errored" && outcome("negated-throw").1?.contains("ZeroDivisionError") == true)
    #expect(outcome("wrong-shape").0 == "errored", "\(outcome("wrong-shape"))")
    #expect(outcome("hangs").0 == "errored" && outcome("hangs").1?.contains("did not answer within 3 s") == true)
    #expect(outcome("fine").0 == "passed")
  }

  @Test func aMissingInterpreterIsALocatedErrorNamingTheAssertion() async throws {
    let dir = try CLI.scratch([
      "suites/needs-node.yaml": """
      prompts: ['{{ q }}']
      providers: [echo]
      tests:
        - vars: { q: a }
          assert:
            - type: contains
              value: a
            - type: javascript
              value: output.length > 0
      """
    ])
    let r = try await CLI.run(["run", "--no-baseline"], in: dir, environment: ["PATH": "/nonexistent"])
    #expect(r.status == 2, "\(r.stdout)\(r.stderr)")
    #expect(
      r.stderr.contains(
        "suites/needs-node.yaml:8:9: error: 'javascript' assertion needs 'node', which is not on PATH"),
      "\(r.stderr)")
    #expect(!CLI.exists(dir, "reports"), "a usage error writes nothing")
  }

  @Test(.enabled(if: hasInterpreters, "needs node and python3 on PATH (the javascript and python workers)"))
  func aCodeFileThatIsMissingOrOutsideTheProjectIsALocatedError() async throws {
    let dir = try CLI.scratch([
      "suites/missing.yaml": """
      prompts: ['{{ q }}']
      providers: [echo]
      tests:
        - vars: { q: a }
          assert:
            - type: python
              value: file://nowhere.py:get_assert
      """
    ])
    let r = try await CLI.run(["run", "--no-baseline"], in: dir)
    #expect(r.status == 2)
    #expect(r.stderr.contains("suites/missing.yaml:7:16: error: cannot find 'nowhere.py'"), "\(r.stderr)")
  }

  /// A TypeScript prompt function runs where the node on PATH strips types (>= 22.6); elsewhere it is a
  /// located error naming the file and the node needed, never the file's text sent as the prompt.
  @Test func typeScriptPromptFunctionsRunWhereNodeStripsTypesNeverSentAsText() async throws {
    let dir = try CLI.scratch([
      "suites/prompt-fn.yaml": """
      prompts:
        - file://prompt_chat.ts
      providers: [echo]
      tests:
        - vars: { topic: bananas }
      """,
      "suites/prompt_chat.ts": "export default ({ vars }: any) => [{ role: 'user', content: vars.topic }];",
    ])
    let r = try await CLI.run(["run", "--no-baseline"], in: dir)
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    if PromptfooCorpusTests.Requirement.nodeTypeScript.isMet(path: path) {
      #expect(r.status == 0, "\(r.stderr)")
      #expect(try PromptfooCodeRunTests.cases(dir).flatMap(PromptfooCodeRunTests.outputs) == ["bananas"])
    } else {
      #expect(r.status == 2)
      #expect(r.stderr.contains("suites/prompt-fn.yaml:2:5: error: prompt function"), "\(r.stderr)")
      #expect(r.stderr.contains("prompt_chat.ts is TypeScript, which needs node >= 22.6"), "\(r.stderr)")
    }
  }
}
