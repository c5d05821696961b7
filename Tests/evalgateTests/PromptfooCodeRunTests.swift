import EvalCore
import FakeOpenAIServer
import Foundation
import Testing

/// promptfoo's features that run users' code beyond assertions, each run through the CLI end to end against
/// the fake server with a small config in a temp dir: code providers, prompt functions, vars from code,
/// `assertScoringFunction`, assertion-level `transform` and `contextTransform`, `transformResponse`.
@Suite(.enabled(if: CodeAssertionRunTests.hasInterpreters, "needs node and python3 on PATH (the code workers)"))
struct PromptfooCodeRunTests {
  /// The cases of a run's results.json.
  static func cases(_ dir: URL) throws -> [JSONValue] {
    let text = try String(contentsOf: dir.appendingPathComponent("reports/results.json"), encoding: .utf8)
    return try #require(JSONValue.parse(text)?.value(atPath: ["cases"])?.arrayValue)
  }

  static func outputs(_ c: JSONValue) -> [String] {
    (c.value(atPath: ["attempts"])?.arrayValue ?? []).compactMap { $0.value(atPath: ["output"])?.stringValue }
  }

  static func run(_ files: [String: String], server: FakeOpenAIServer? = nil) async throws -> (CLI.Result, URL) {
    let dir = try CLI.scratch(files)
    var env = ["OPENAI_API_KEY": "sk-test-not-for-workers"]
    if let server { env["OPENAI_BASE_URL"] = server.baseURL }
    let r = try await CLI.run(
      ["run", "promptfooconfig.yaml", "--no-baseline", "--no-cache", "--max-retries", "0"], in: dir, environment: env)
    return (r, dir)
  }

  @Test func pythonAndJavaScriptProvidersAnswerWithPromptfoosShapes() async throws {
    let (r, dir) = try await Self.run([
      "provider.py": """
      def call_api(prompt, options, context):
          return {
              "output": prompt.upper() + " " + options["config"]["suffix"] + " " + context["vars"]["topic"],
              "tokenUsage": {"total": 7, "prompt": 3, "completion": 4},
          }

      async def shout(prompt, options, context):
          return {"output": prompt + "!!!"}
      """,
      "provider.js": """
      class EchoBack {
        constructor(options) { this.label = options.id; this.config = options.config || {}; this.calls = 0; }
        id() { return this.label; }
        async callApi(prompt, context) {
          this.calls += 1;
          return { output: `${this.config.prefix}${prompt} (${context.vars.topic}, call ${this.calls})` };
        }
      }
      module.exports = EchoBack;
      """,
      "promptfooconfig.yaml": """
      prompts: ['tell me about {{topic}}']
      providers:
        - id: file://provider.py
          config: { suffix: from-python }
        - id: file://provider.py:shout
          label: shout
        - id: file://provider.js
          config: { prefix: 'js: ' }
      tests:
        - vars: { topic: bananas }
          assert:
            - type: icontains
              value: 'tell me about bananas'
      """,
    ])
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    let outputs = try Self.cases(dir).flatMap(Self.outputs).sorted()
    #expect(
      outputs == [
        "TELL ME ABOUT BANANAS from-python bananas", "js: tell me about bananas (bananas, call 1)",
        "tell me about bananas!!!",
      ], "\(outputs)")
    let tokens = try Self.cases(dir).flatMap { $0.value(atPath: ["attempts"])?.arrayValue ?? [] }.compactMap {
      $0.value(atPath: ["usage", "totalTokens"])?.numberValue
    }
    #expect(tokens == [7], "the Python provider's tokenUsage is kept: \(tokens)")
  }

  @Test func aProviderWhoseImportFailsIsOneLocatedErrorBeforeTheRun() async throws {
    let (r, _) = try await Self.run([
      "provider.py":
        "import evalgate_no_such_package\n\ndef call_api(prompt, options, context):\n    return {'output': ''}\n",
      "promptfooconfig.yaml": """
      prompts: ['hi {{x}}']
      providers:
        - id: file://provider.py
      tests:
        - vars: { x: a }
      """,
    ])
    #expect(r.status == 2, "\(r.stdout)\(r.stderr)")
    #expect(r.stderr.contains("promptfooconfig.yaml:3:"), "\(r.stderr)")
    #expect(r.stderr.contains("No module named 'evalgate_no_such_package'"), "\(r.stderr)")
  }

  /// A code provider gets the run's environment (keys included), as promptfoo's do; the javascript and python
  /// assertions of the same run still do not see it.
  @Test func aCodeProviderSeesTheEnvironmentItsAssertionsDoNot() async throws {
    let dir = try CLI.scratch([
      "provider.js": """
      module.exports = {
        callApi: async () => ({ output: `js:${process.env.OPENAI_API_KEY === 'sk-test-for-providers' ? 'has' : 'no'} key` }),
      };
      """,
      "provider.py": """
      import os

      def call_api(prompt, options, context):
          has = os.environ.get("OPENAI_API_KEY") == "sk-test-for-providers"
          return {"output": "py:" + ("has" if has else "no") + " key"}
      """,
      "promptfooconfig.yaml": """
      prompts: ['hello']
      providers: [file://provider.js, file://provider.py]
      tests:
        - assert:
            - type: contains
              value: ':has key'
            - type: javascript
              value: "!('OPENAI_API_KEY' in process.env)"
            - type: python
              value: "import os\\nreturn 'OPENAI_API_KEY' not in os.environ"
      """,
    ])
    let r = try await CLI.run(
      ["run", "promptfooconfig.yaml", "--no-baseline", "--no-cache"], in: dir,
      environment: ["OPENAI_API_KEY": "sk-test-for-providers"])
    #expect(r.status == 0, "\(r.stderr)\n\(r.stdout)")
    let outputs = try Self.cases(dir).flatMap(Self.outputs).sorted()
    #expect(outputs == ["js:has key", "py:has key"])
  }

  /// promptfoo's legacy Python prompt script (`file://prompt.py`, no function) runs with the context JSON as
  /// its argument; what it prints is the prompt.
  @Test func aPythonPromptScriptPrintsThePrompt() async throws {
    let (r, dir) = try await Self.run([
      "prompt.py": """
      import json
      import sys

      if __name__ == "__main__":
          context = json.loads(sys.argv[1])
          print(f"Describe {context['vars']['topic']} for {context['provider']['id']}")
      """,
      "promptfooconfig.yaml": """
      prompts: [file://prompt.py]
      providers: [echo]
      tests:
        - vars: { topic: tides }
      """,
    ])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(try Self.cases(dir).flatMap(Self.outputs) == ["Describe tides for echo"])
  }

  /// A prompt function's returned `config` (promptfoo merges it over the provider's for that call) changes
  /// nothing for `echo`, so it runs there; for any other provider it is a located error, never ignored.
  @Test func aPromptFunctionsReturnedConfigRunsOnlyWhereItChangesNothing() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    defer { Task { await server.stop() } }
    let prompt = """
      module.exports.withConfig = async ({ vars }) => ({ prompt: `About ${vars.topic}`, config: { temperature: 0.9 } });
      """
    for (provider, runs) in [("echo", true), ("openai:gpt-4.1-mini", false)] {
      let (r, dir) = try await Self.run(
        [
          "prompt.js": prompt,
          "promptfooconfig.yaml": """
          prompts: [file://prompt.js:withConfig]
          providers: [\(provider)]
          tests:
            - vars: { topic: tides }
          """,
        ], server: server)
      if runs {
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try Self.cases(dir).flatMap(Self.outputs) == ["About tides"])
      } else {
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("promptfooconfig.yaml:1:11: error: prompt function"), "\(r.stderr)")
        #expect(r.stderr.contains("returned a 'config'"), "\(r.stderr)")
      }
    }
  }

  @Test func promptFunctionsReturnTextOrChats() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    let (r, dir) = try await Self.run(
      [
        "prompt_chat.js": """
        module.exports = async function ({ vars, provider }) {
          return [
            { role: 'system', content: `You are a pirate on ${provider.label}.` },
            { role: 'user', content: `Tell me about ${vars.topic} [[reply:js ${vars.topic}]]` },
          ];
        };
        """,
        "prompt_multiple.js": """
        module.exports.prompt2 = ({ vars }) => `Wolf noises about ${vars.topic} [[reply:wolf ${vars.topic}]]`;
        """,
        "prompt_python.py": """
        def prompt1(context):
            return f"Insult {context['vars']['topic']} [[reply:py {context['vars']['topic']}]]"
        """,
        "promptfooconfig.yaml": """
        prompts:
          - file://prompt_chat.js
          - id: file://prompt_multiple.js:prompt2
            label: wolf
          - file://prompt_python.py:prompt1
        providers:
          - id: openai:chat:gpt-4o-mini
            label: fake
        tests:
          - vars: { topic: kiwis }
        """,
      ], server: server)
    await server.stop()
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    let outputs = try Self.cases(dir).flatMap(Self.outputs).sorted()
    #expect(outputs == ["js kiwis", "py kiwis", "wolf kiwis"], "\(outputs)")
  }

  @Test func varsComputedByCodeReachThePrompt() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    let (r, dir) = try await Self.run(
      [
        "load_prompt.py": """
        PROMPTS = {"support": "reply:be kind", "sales": "reply:sell"}

        def get_var(var_name, prompt, other_vars):
            return {"output": PROMPTS[other_vars["role"]] + " (" + var_name + ")"}
        """,
        "load_prompt.js": """
        module.exports = (varName, prompt, otherVars) => ({ output: otherVars.role.toUpperCase() });
        """,
        "promptfooconfig.yaml": """
        prompts: ['[[{{system_prompt}}]] {{shout}}']
        providers: [openai:chat:gpt-4o-mini]
        defaultTest:
          vars: { shout: file://load_prompt.js }
        tests:
          - vars: { role: support, system_prompt: file://load_prompt.py }
          - vars: { role: sales, system_prompt: file://load_prompt.py }
        """,
      ], server: server)
    await server.stop()
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    let cases = try Self.cases(dir)
    let outputs = cases.flatMap(Self.outputs).sorted()
    #expect(outputs == ["be kind (system_prompt)", "sell (system_prompt)"], "\(outputs)")
    let vars = cases.compactMap { $0.value(atPath: ["vars", "shout"])?.stringValue }.sorted()
    #expect(vars == ["SALES", "SUPPORT"], "\(vars)")
  }

  @Test func assertScoringFunctionDecidesFromNamedScores() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    let (r, dir) = try await Self.run(
      [
        "scoring.js": """
        module.exports.minimum = (namedScores, context) => {
          const min = Math.min(...Object.values(namedScores));
          return { pass: min >= (context.threshold ?? 0.7), score: min, reason: 'min ' + min };
        };
        """,
        "scoring.py": """
        def always_pass(named_scores, context):
            return {"pass": named_scores["banana"] == 0, "score": 1.0, "reason": "banana ignored"}
        """,
        "promptfooconfig.yaml": """
        prompts: ['say [[reply:{{answer}}]]']
        providers: [openai:chat:gpt-4o-mini]
        defaultTest:
          assertScoringFunction: file://scoring.js:minimum
        tests:
          - description: one metric fails, the minimum fails the test although the weighted mean passes
            vars: { answer: apples and pears }
            threshold: 0.4
            assert:
              - { type: contains, value: apples, metric: apple }
              - { type: contains, value: pears, metric: pear }
              - { type: contains, value: bananas, metric: banana, weight: 0.1 }
          - description: python overrides a failing assertion
            vars: { answer: apples }
            assertScoringFunction: file://scoring.py:always_pass
            assert:
              - { type: contains, value: bananas, metric: banana }
        """,
      ], server: server)
    await server.stop()
    #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
    let outcomes = Dictionary(
      try Self.cases(dir).map {
        ($0.value(atPath: ["title"])?.stringValue ?? "", $0.value(atPath: ["outcome"])?.stringValue ?? "")
      }, uniquingKeysWith: { a, _ in a })
    #expect(
      outcomes["one metric fails, the minimum fails the test although the weighted mean passes"] == "failed",
      "\(outcomes)")
    #expect(outcomes["python overrides a failing assertion"] == "passed", "\(outcomes)")
  }

  @Test func assertionTransformAndContextTransformRewriteWhatOneAssertionSees() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    let (r, dir) = try await Self.run(
      [
        "promptfooconfig.yaml": """
        prompts: ['q [[reply:{{answer}}]]']
        providers: [openai:chat:gpt-4o-mini]
        tests:
          - vars: { answer: '{"name":"get_weather","city":"Paris"}' }
            assert:
              - type: equals
                value: get_weather
                transform: JSON.parse(output).name
              - type: equals
                value: Paris
                transform: file://city.py:get_transform
              - type: is-json
          - vars: { answer: 'CONTEXT: the sky is blue ANSWER: blue' }
            assert:
              - type: context-recall
                value: the sky is blue
                threshold: 0.5
                contextTransform: 'output.split("CONTEXT:")[1].split("ANSWER:")[0].trim()'
                provider: openai:chat:gpt-4o-mini
        """,
        "city.py": """
        import json

        def get_transform(output, context):
            return json.loads(output)["city"]
        """,
      ], server: server)
    await server.stop()
    let cases = try Self.cases(dir)
    #expect(cases.count == 2, "\(r.stdout)\(r.stderr)")
    let first = try #require(cases.first { Self.outputs($0).first?.contains("get_weather") == true })
    #expect(first.value(atPath: ["outcome"]) == "passed", "\(first.canonicalJSON)")
    // The judge saw the context the transform cut out of the output.
    let judged = server.stats.chatRequests
    #expect(judged >= 3, "the context-recall judge was called")
    let second = try #require(cases.first { Self.outputs($0).first?.contains("CONTEXT") == true })
    #expect(!second.canonicalJSON.contains("the case has no context"), "\(second.canonicalJSON)")
  }

  @Test func transformResponseReadsTheHTTPProvidersBody() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    let (r, dir) = try await Self.run(
      [
        "transform.js": """
        module.exports = (json, text, context) => ({ output: json.choices[0].message.content + ' / ' + context.vars.topic });
        """,
        "promptfooconfig.yaml": """
        prompts: ['tweet about {{topic}} [[reply:{{topic}} rock]]']
        providers:
          - id: \(server.baseURL)/chat/completions
            label: inline
            config:
              body: { model: gpt-4o-mini, messages: [{ role: user, content: '{{prompt}}' }] }
              transformResponse: 'json.choices[0].message.content.toUpperCase()'
          - id: \(server.baseURL)/chat/completions
            label: file
            config:
              body: { model: gpt-4o-mini, messages: [{ role: user, content: '{{prompt}}' }] }
              transformResponse: file://transform.js
        tests:
          - vars: { topic: bananas }
        """,
      ], server: server)
    await server.stop()
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    let outputs = try Self.cases(dir).flatMap(Self.outputs).sorted()
    #expect(outputs == ["BANANAS ROCK", "bananas rock / bananas"], "\(outputs)")
  }

  @Test func testsGeneratedByCodeRun() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    let (r, dir) = try await Self.run(
      [
        "test_cases.py": """
        def generate_simple_tests():
            return [
                {"vars": {"text": t}, "assert": [{"type": "contains", "value": t.upper()}], "description": "py " + t}
                for t in ["hola", "bonjour"]
            ]

        class TestGenerator:
            @staticmethod
            def generate_systematic_tests():
                return [{"vars": {"text": "hallo"}, "assert": [{"type": "equals", "value": "HALLO"}]}]
        """,
        "tests.js": """
        module.exports.cases = async () => [{ vars: { text: 'ciao' }, description: 'js ciao' }];
        """,
        "promptfooconfig.yaml": """
        prompts: ['translate [[reply:{{text | upper}}]]']
        providers: [openai:chat:gpt-4o-mini]
        tests:
          - file://test_cases.py:generate_simple_tests
          - file://test_cases.py:TestGenerator.generate_systematic_tests
          - file://tests.js:cases
        """,
      ], server: server)
    await server.stop()
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    let cases = try Self.cases(dir)
    let outputs = cases.flatMap(Self.outputs).sorted()
    #expect(outputs == ["BONJOUR", "CIAO", "HALLO", "HOLA"], "\(outputs)")
    #expect(cases.allSatisfy { $0.value(atPath: ["outcome"]) == "passed" }, "\(cases.map(\.canonicalJSON))")
  }

  @Test func aTestGeneratorThatFailsIsALocatedError() async throws {
    let dir = try CLI.scratch([
      "test_cases.py": "def generate():\n    raise ValueError('no data today')\n",
      "promptfooconfig.yaml": """
      prompts: ['hi {{x}}']
      providers: [echo]
      tests:
        - file://test_cases.py:generate
      """,
    ])
    let r = try await CLI.run(["list", "promptfooconfig.yaml"], in: dir)
    #expect(r.status == 2, "\(r.stdout)\(r.stderr)")
    #expect(r.stderr.contains("promptfooconfig.yaml:4:"), "\(r.stderr)")
    #expect(r.stderr.contains("ValueError: no data today"), "\(r.stderr)")
  }

  @Test func execPromptsRunTheProgramWithTheContextAsJSON() async throws {
    let dir = try CLI.scratch([
      "prompt-generator.sh": """
      #!/bin/sh
      printf 'You help %s (key: %s). Context: %s' "$(echo "$1" | sed 's/.*"name":"\\([^"]*\\)".*/\\1/')" "${OPENAI_API_KEY:-none}" "$1"
      """,
      "promptfooconfig.yaml": """
      prompts:
        - label: Shell Basic
          raw: exec:./prompt-generator.sh
      providers: [echo]
      tests:
        - vars: { name: Alice }
        - vars: { name: Bob }
      """,
    ])
    try FileManager.default.setAttributes(
      [.posixPermissions: 0o755], ofItemAtPath: dir.appendingPathComponent("prompt-generator.sh").path)
    let r = try await CLI.run(
      ["run", "promptfooconfig.yaml", "--no-baseline", "--no-cache"], in: dir,
      environment: ["OPENAI_API_KEY": "sk-not-for-prompt-scripts"])
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    let outputs = try Self.cases(dir).flatMap(Self.outputs).sorted()
    #expect(outputs.count == 2, "\(outputs)")
    // The script gets the context, and no credentials.
    #expect(outputs.first?.hasPrefix("You help Alice (key: none). Context: {") == true, "\(outputs)")
    #expect(outputs.first?.contains(#""provider":{"id":"echo""#) == true, "\(outputs)")
    #expect(outputs.last?.hasPrefix("You help Bob (key: none).") == true, "\(outputs)")
  }

  @Test func transformVarsRewritesTheVarsBeforeThePromptIsRendered() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    let (r, dir) = try await Self.run(
      [
        "vars.py": """
        def get_transform(vars, context):
            return {"greeting": "hi " + vars["name"] + " via " + context["prompt"]["label"]}
        """,
        "promptfooconfig.yaml": """
        prompts:
          - id: 'say [[reply:{{greeting}}]]'
            label: greet
        providers: [openai:chat:gpt-4o-mini]
        defaultTest:
          options:
            transformVars: '({ greeting: vars.name.toUpperCase() + "!" })'
        tests:
          - vars: { name: ada, greeting: unused }
          - vars: { name: bob }
            options:
              transformVars: file://vars.py
        """,
      ], server: server)
    await server.stop()
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    let outputs = try Self.cases(dir).flatMap(Self.outputs).sorted()
    #expect(outputs == ["ADA!", "hi bob via greet"], "\(outputs)")
  }

  @Test func extensionHooksRunAtTheirFourPoints() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    let (r, dir) = try await Self.run(
      [
        "hooks.js": """
        const fs = require('fs');
        const path = require('path');
        const log = (s) => fs.appendFileSync(path.join(__dirname, 'hooks.log'), s + '\\n');
        module.exports.extensionHook = async (name, context) => {
          if (name === 'beforeAll') {
            log(`beforeAll ${context.suite.tests.length} ${context.suite.description}`);
            context.suite.tests.push({ vars: { word: 'three' } });
            context.suite.defaultTest.assert.push({ type: 'contains', value: 'X' });
            return context;
          }
          if (name === 'beforeEach') {
            context.test.vars.word = context.test.vars.word + 'X';
            return context;
          }
          if (name === 'afterEach') {
            log(`afterEach ${context.test.vars.word} ${context.result.success} ${context.result.response.output}`);
          }
          if (name === 'afterAll') log(`afterAll ${context.results.length}`);
        };
        """,
        "promptfooconfig.yaml": """
        description: hooked
        prompts: ['say [[reply:{{word}}]]']
        providers: [openai:chat:gpt-4o-mini]
        extensions:
          - file://hooks.js:extensionHook
        tests:
          - vars: { word: one }
          - vars: { word: two }
        """,
      ], server: server)
    await server.stop()
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    let outputs = try Self.cases(dir).flatMap(Self.outputs).sorted()
    #expect(outputs == ["oneX", "threeX", "twoX"], "\(outputs)")
    let log = try String(contentsOf: dir.appendingPathComponent("hooks.log"), encoding: .utf8)
    let lines = log.split(separator: "\n").map(String.init)
    #expect(lines.first == "beforeAll 2 hooked", "\(lines)")
    #expect(
      lines.filter { $0.hasPrefix("afterEach") }.sorted()
        == ["afterEach oneX true oneX", "afterEach threeX true threeX", "afterEach twoX true twoX"], "\(lines)")
    #expect(lines.last == "afterAll 3", "\(lines)")
  }

  @Test func codeSeesAToolCallingAnswerAsItsCalls() async throws {
    let calls =
      #"[{"id":"call_1","type":"function","function":{"name":"get_current_weather","arguments":"{\"location\":\"Boston, MA\"}" } }]"#
    let (r, dir) = try await Self.run([
      "promptfooconfig.yaml": """
      prompts: ['What is the weather like in {{city}}?']
      providers:
        - id: scripted
          config: { default: '\(calls)', finishReason: tool_calls }
      tests:
        - vars: { city: Boston }
          assert:
            - type: javascript
              value: output[0].function.name === 'get_current_weather'
            - type: python
              value: "__import__('json').loads(output[0]['function']['arguments'])['location'] == 'Boston, MA'"
            - type: equals
              value: get_current_weather
              transform: output[0].function.name
            - type: is-json
      """
    ])
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    let cases = try Self.cases(dir)
    #expect(cases.count == 1 && cases[0].value(atPath: ["outcome"]) == "passed", "\(cases.map(\.canonicalJSON))")
  }

  @Test func nunjucksFiltersWrittenInCodeRenderPromptsAndValues() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    let (r, dir) = try await Self.run(
      [
        "filters/shout.js": "module.exports = (s, mark) => s.toUpperCase() + (mark || '!');\n",
        "filters/rev.py": "def rev(s):\n    return s[::-1]\n",
        "word.py": "def get_var(name, prompt, other_vars):\n    return {'output': 'xyz'}\n",
        "promptfooconfig.yaml": """
        prompts: ['say [[reply:{{ word | shout("?") }} {{ word | rev }}]]']
        providers: [openai:chat:gpt-4o-mini]
        nunjucksFilters:
          shout: file://filters/shout.js
          rev: file://filters/rev.py:rev
        tests:
          - vars: { word: abc }
            assert:
              - type: equals
                value: '{{ word | shout }}'
                transform: output.split(' ')[0].replace('?', '!')
          - description: a var from code, so the prompt renders when the run resolves it, filters and all
            vars: { word: file://word.py }
        """,
      ], server: server)
    await server.stop()
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    let outputs = try Self.cases(dir).flatMap(Self.outputs).sorted()
    #expect(outputs == ["ABC? cba", "XYZ? zyx"], "\(outputs)")
  }
}
