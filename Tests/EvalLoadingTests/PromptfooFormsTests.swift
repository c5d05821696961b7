import EvalCore
import EvalLoading
import Foundation
import Testing

/// promptfoo's prompt, test and provider forms load as promptfoo reads them, or fail with a located error:
/// never silently as something else.
struct PromptfooFormsTests {
  static func load(_ files: [String: String], suite: String = "suite.yaml") throws -> Suite {
    let dir = try SuiteLoaderTests.write(files)
    return try SuiteLoader(project: ProjectConfig()).load(file: dir.appendingPathComponent(suite).path).suite
  }

  /// The text of every problem a load reports.
  static func problems(_ files: [String: String], suite: String = "suite.yaml") -> String {
    do {
      _ = try load(files, suite: suite)
      return ""
    } catch let d as Diagnostic {
      return d.description
    } catch let list as DiagnosticList {
      return list.description
    } catch {
      return "\(error)"
    }
  }

  static func text(_ body: PromptTemplate.Body) -> String? {
    if case .text(let t) = body { return t }
    return nil
  }

  // MARK: silently wrong before

  @Test func messageContentFromAFileIsTheFilesText() throws {
    let suite = try Self.load([
      "suite.yaml": """
      prompts:
        - messages:
            - { role: system, content: "file://system.j2" }
            - { role: user, content: "{{ q }}" }
      providers: [echo]
      """,
      "system.j2": "You are {{ persona }}.",
    ])
    guard case .messages(let messages) = suite.prompts[0].body else {
      Issue.record("not a chat prompt")
      return
    }
    #expect(messages[0].content == "You are {{ persona }}.")
  }

  @Test func jsonChatPromptContentFromAFileIsInlined() throws {
    let suite = try Self.load([
      "suite.yaml": "prompts: [file://chat.json]\nproviders: [echo]\n",
      "chat.json": #"[{"role": "system", "content": "file://system.txt"}, {"role": "user", "content": "{{ q }}"}]"#,
      "system.txt": "Be brief.",
    ])
    let text = try #require(Self.text(suite.prompts[0].body))
    #expect(text.contains("Be brief.") && !text.contains("file://"))
  }

  @Test func responseFormatToolsAndFunctionsFromFilesAreParsed() throws {
    let suite = try Self.load([
      "suite.yaml": """
      prompts: [hi]
      providers:
        - id: openai:chat:m
          config:
            response_format: file://schema.json
            tools: file://tools.yaml
      """,
      "schema.json": #"{"type": "json_object"}"#,
      "tools.yaml": "- type: function\n  function: { name: f }\n",
    ])
    #expect(suite.providers[0].config["response_format"] == .object(["type": "json_object"]))
    #expect(suite.providers[0].config["tools"]?.arrayValue?.count == 1)
  }

  @Test func aBarePathWithAPromptExtensionIsAFile() throws {
    let suite = try Self.load([
      "suite.yaml": "prompts: [prompts.txt, 'Tell me about x.txt files']\nproviders: [echo]\n",
      "prompts.txt": "Summarize {{ doc }}",
    ])
    #expect(suite.prompts.map { Self.text($0.body) } == ["Summarize {{ doc }}", "Tell me about x.txt files"])
  }

  @Test func aCSVPromptFileIsOnePromptPerRow() throws {
    let suite = try Self.load([
      "suite.yaml": "prompts: file://prompts.csv\nproviders: [echo]\n",
      "prompts.csv": "prompt,label\n\"Act as a guide for {{place}}\",guide\n\"Write, briefly, about {{place}}\",\n",
    ])
    #expect(suite.prompts.count == 2)
    #expect(suite.prompts.map(\.label) == ["guide", "prompts.csv#2"])
    #expect(Self.text(suite.prompts[1].body) == "Write, briefly, about {{place}}")
    #expect(suite.prompts[1].location.line == 3)
  }

  /// promptfoo reads prompt CSV files with csv-parse's `trim`: blanks around a field, quoted or not, are
  /// dropped (its config-custom-prompt-function example has a blank after a closing quote); a quoted field's
  /// inside is kept.
  @Test func aCSVPromptFileIsTrimmedAroundItsFields() throws {
    let suite = try Self.load([
      "suite.yaml": "prompts: file://prompts.csv\nproviders: [echo]\n",
      "prompts.csv": "prompt,label\n\"About {{t}}\",\"Tech\" \n  Plain {{t}} ,\tP\t\n \"  kept  \" , K\n",
    ])
    #expect(suite.prompts.map(\.label) == ["Tech", "P", "K"])
    #expect(suite.prompts.map { Self.text($0.body) } == ["About {{t}}", "Plain {{t}}", "  kept  "])
  }

  @Test(arguments: [
    "file://missing.py", "file://check.rb", "webhook:http://127.0.0.1:9/check", "perplexity",
  ])
  func csvExpectedWithAnUnsupportedPrefixIsALocatedError(value: String) {
    let text = Self.problems([
      "suite.yaml": "prompts: [x]\nproviders: [echo]\ntests: file://t.csv\n",
      "t.csv": "q,__expected\na,\"\(value)\"\n",
    ])
    #expect(text.contains("t.csv:2:1: error: "), "\(value): \(text)")
  }

  /// `javascript:` and `python:` in `__expected` are the code assertions (run by the workers), never an
  /// `equals` against the text.
  @Test func csvExpectedCodeIsACodeAssertion() throws {
    let suite = try Self.load([
      "suite.yaml": "prompts: [x]\nproviders: [echo]\ntests: file://t.csv\n",
      "t.csv": "q,__expected1,__expected2,__expected3,__expected4\n"
        + "a,javascript:output.length > 3,python:len(output) > 3,fn:output.length > 3,file://checks/check.py:grade\n",
      "checks/check.py": "def grade(output, context):\n    return True\n",
    ])
    let assertions = try #require(Array(suite.tests).first?.assertions)
    #expect(assertions.map(\.type) == ["javascript", "python", "javascript", "python"])
    #expect(assertions[2].value == .string("output.length > 3"))
    // The file is found against the CSV's folder, as the workers need an absolute path.
    let reference = try #require(assertions[3].value?.stringValue)
    #expect(reference.hasPrefix("file:///") && reference.hasSuffix("/checks/check.py:grade"), "\(reference)")
  }

  @Test func postprocessIsTransformsOlderName() throws {
    let suite = try Self.load([
      "suite.yaml": "prompts: [x]\nproviders: [echo]\ntests:\n  - options: { postprocess: output.trim() }\n"
    ])
    #expect(Array(suite.tests)[0].transform?.source == .inline("output.trim()"))
    let text = Self.problems([
      "suite.yaml": "prompts: [x]\nproviders: [echo]\ntests:\n  - options: { transform: a, postprocess: b }\n"
    ])
    #expect(text.contains("suite.yaml:4:43: error: use 'transform' or 'postprocess'"), "\(text)")
  }

  @Test func csvGradeIsLLMRubricAndConfigSetsAThreshold() throws {
    let suite = try Self.load([
      "suite.yaml": "prompts: [x]\nproviders: [echo]\ntests: file://t.csv\n",
      "t.csv": "q,__expected1,__expected2,__config:__expected2:threshold\na,grade:is polite,similar:hello,0.7\n",
    ])
    #expect(Array(suite.tests)[0].assertions.map(\.type) == ["llm-rubric", "similar"])
    #expect(Array(suite.tests)[0].assertions[1].threshold == 0.7)
  }

  // MARK: prompt forms

  @Test func promptGlobsIdFileWithLabelAndTheLegacyMapping() throws {
    let suite = try Self.load([
      "suite.yaml": """
      prompts:
        - file://p/*.txt
        - id: file://q.md
          label: markdown
        - id: 'Plain text as id'
          label: plain
      providers: [echo]
      """,
      "p/a.txt": "A {{x}}", "p/b.txt": "B {{x}}", "q.md": "# Q {{x}}",
    ])
    #expect(suite.prompts.map(\.label) == ["a.txt", "b.txt", "markdown", "plain"])
    #expect(Self.text(suite.prompts[3].body) == "Plain text as id")
    let legacy = try Self.load([
      "suite.yaml": "prompts:\n  p/a.txt: first\nproviders: [echo]\n", "p/a.txt": "A {{x}}",
    ])
    #expect(legacy.prompts.map(\.label) == ["first"])
  }

  @Test func promptFunctionsAndExecPromptsLoadToBeComputedByTheRun() throws {
    let suite = try Self.load([
      "suite.yaml": "prompts:\n  - file://make.py:build\n  - exec:./gen.sh\nproviders: [echo]\n",
      "make.py": "def build(context):\n    return 'hi'\n",
    ])
    guard case .function(let f) = suite.prompts[0].body, case .file(let path, let name) = f.source else {
      Issue.record("not a prompt function: \(suite.prompts[0].body)")
      return
    }
    #expect(path.hasSuffix("/make.py") && path.hasPrefix("/") && name == "build" && f.language == .python)
    guard case .command(let line, let directory) = suite.prompts[1].body else {
      Issue.record("not an exec prompt: \(suite.prompts[1].body)")
      return
    }
    #expect(line == "./gen.sh" && directory.hasPrefix("/"))
    #expect(suite.prompts.map(\.label) == ["make.py:build", "exec:./gen.sh"])
  }

  @Test func promptFunctionsInOtherLanguagesAreRefusedByName() {
    let text = Self.problems([
      "suite.yaml": "prompts:\n  - file://make.rb\nproviders: [echo]\n", "make.rb": "puts 'hi'\n",
    ])
    #expect(
      text.contains("suite.yaml:2:5: error: prompt function 'make.rb' runs code evalgate does not run"), "\(text)")
  }

  /// promptfoo's legacy Python prompt (`file://x.py` with no function): the script is run with the context as
  /// JSON in its last argument, and what it prints is the prompt.
  @Test func aPythonPromptWithoutAFunctionIsTheScriptRun() throws {
    let suite = try Self.load([
      "suite.yaml": "prompts:\n  - file://make.py\nproviders: [echo]\n",
      "make.py": "import json, sys\nprint('hi ' + json.loads(sys.argv[1])['vars']['x'])\n",
    ])
    guard case .command(let line, let directory) = suite.prompts[0].body else {
      Issue.record("not a command: \(suite.prompts[0].body)")
      return
    }
    #expect(line.hasPrefix("python3 '/") && line.hasSuffix("/make.py'"), "\(line)")
    #expect(directory.hasPrefix("/"))
    #expect(suite.prompts[0].label == "make.py")
  }

  /// TypeScript prompt functions (`.ts`, `.mts`, `.cts`) are JavaScript's: node runs them where it strips types.
  @Test func typeScriptPromptFunctionsLoadAsJavaScript() throws {
    let suite = try Self.load([
      "suite.yaml": "prompts:\n  - file://make.ts\n  - file://more.mts:build\nproviders: [echo]\n",
      "make.ts": "export default (): string => 'hi';\n", "more.mts": "export const build = (): string => 'hi';\n",
    ])
    let functions: [(String, String?, CodeLanguage)] = suite.prompts.compactMap {
      guard case .function(let f) = $0.body, case .file(let path, let name) = f.source else { return nil }
      return ((path as NSString).lastPathComponent, name, f.language)
    }
    #expect(functions.map(\.0) == ["make.ts", "more.mts"])
    #expect(functions.map(\.1) == [nil, "build"])
    #expect(functions.allSatisfy { $0.2 == .javascript })
  }

  // MARK: tests and vars

  @Test func testGlobsVarFilesDefaultTestFileAndFilters() throws {
    let suite = try Self.load([
      "suite.yaml": """
      prompts:
        - { id: a, label: Alpha, raw: "A {{topic}} {{doc.title}}" }
        - { id: b, label: Beta, raw: "B {{topic}} {{doc.title}}" }
      providers:
        - { id: echo, label: one }
        - { id: echo, label: two, prompts: [Alpha] }
      defaultTest: file://shared/default.yaml
      tests:
        - file://tests/*.yaml
        - vars: { topic: t3, doc: file://doc.json }
          prompts: [b]
          providers: [one]
      """,
      "shared/default.yaml": "vars:\n  doc: file://../doc.yaml\nassert:\n  - type: contains\n    value: A\n",
      "doc.yaml": "title: from yaml\n",
      "doc.json": #"{"title": "from json"}"#,
      "tests/1.yaml": "- vars: { topic: t1 }\n",
      "tests/2.yaml": "- vars: { topic: t2 }\n",
    ])
    #expect(suite.tests.map { $0.vars["topic"] } == ["t1", "t2", "t3"])
    #expect(suite.defaultTest?.vars["doc"] == .object(["title": "from yaml"]))
    #expect(Array(suite.tests)[2].vars["doc"] == .object(["title": "from json"]))
    #expect(suite.providers[1].prompts == ["Alpha"])
    let cases = try Expansion(renderer: TemplateRenderer()).cases(for: suite)
    // t1, t2: 2 prompts × provider one + Alpha × provider two; t3: Beta × one.
    #expect(cases.count == 7)
    #expect(cases.filter { $0.vars["topic"] == "t3" }.map(\.promptLabel) == ["Beta"])
    #expect(cases.allSatisfy { $0.providerLabel == "one" || $0.promptLabel == "Alpha" })
  }

  @Test func aFilterNamingNoPromptIsALocatedError() {
    let text = Self.problems([
      "suite.yaml": "prompts: [{id: a, label: Alpha, raw: x}]\nproviders: [echo]\ntests:\n  - prompts: [Alpah]\n"
    ])
    #expect(text.contains("suite.yaml:4:5: error: no prompt is labelled 'Alpah'; did you mean 'Alpha'?"), "\(text)")
  }

  @Test func scenariosRunEveryTestOncePerConfigEntry() throws {
    let suite = try Self.load([
      "suite.yaml": """
      prompts: ["{{guard}} {{q}}"]
      providers: [echo]
      scenarios:
        - description: guarded
          config:
            - vars: { guard: "G1" }
            - vars: { guard: "G2" }
          tests:
            - description: first
              vars: { q: one }
            - vars: { q: two, guard: own }
      """
    ])
    #expect(suite.tests.count == 4)
    #expect(suite.tests.map { $0.vars["guard"] } == ["G1", "own", "G2", "own"])
    #expect(Array(suite.tests)[0].description == "guarded: first")
  }

  @Test func codeVarsAreKeptForTheRunAndTestGeneratorsNeedWorkers() throws {
    let text = Self.problems([
      "suite.yaml": """
      prompts: [x]
      providers: [echo]
      tests:
        - file://gen.py:make_tests
        - vars: { v: file://load.rb }
      """,
      "gen.py": "def make_tests():\n    return []\n", "load.rb": "puts 1\n",
    ])
    // A loader given no way to run code (a library user's) refuses generators where they are named.
    #expect(
      text.contains("suite.yaml:4:5: error: tests generated by 'file://gen.py:make_tests' need the code workers"),
      "\(text)")
    #expect(text.contains("suite.yaml:5:16: error: var from 'load.rb' runs code evalgate does not run"), "\(text)")
    let suite = try Self.load([
      "suite.yaml": "prompts: ['{{v}}']\nproviders: [echo]\ntests:\n  - vars: { v: file://load.py, w: plain }\n",
      "load.py": "def get_var(name, prompt, other_vars):\n    return {'output': 'x'}\n",
    ])
    let vars = Array(suite.tests)[0].codeVars
    #expect(vars.keys.sorted() == ["v"])
    #expect(vars["v"]?.language == .python && vars["v"]?.source.text.hasSuffix("/load.py") == true)
  }

  @Test func gEvalWithAListOfCriteriaPassesOnTheirMeanScore() throws {
    let suite = try Self.load([
      "suite.yaml": """
      prompts: [x]
      providers: [echo]
      tests:
        - assert: [{ type: g-eval, value: [Coherence, Fluency], provider: openai:chat:judge }]
      """
    ])
    let set = Array(suite.tests)[0].assertions[0]
    #expect(set.type == "assert-set" && set.threshold == 0.7)
    #expect(set.children.map(\.value) == ["Coherence", "Fluency"])
    #expect(set.children.allSatisfy { $0.type == "g-eval" && $0.judge?.id == "openai:chat:judge" })
  }

  // MARK: providers and keys

  @Test func vendorIdsMapOntoOpenAICompatibleEndpoints() throws {
    let suite = try Self.load([
      "suite.yaml": """
      prompts: [x]
      providers:
        - openrouter:mistralai/mistral-nemo
        - id: ollama:chat:llama3.2:1b
        - id: azure:chat:my-deployment
          config: { apiHost: example.openai.azure.com }
        - file://provider.yaml
      """,
      "provider.yaml": "id: groq:llama-3.3-70b\nlabel: fast\n",
    ])
    #expect(
      suite.providers.map(\.id) == [
        "openai:chat:mistralai/mistral-nemo", "openai:chat:llama3.2:1b", "openai:chat:my-deployment",
        "openai:chat:llama-3.3-70b",
      ])
    #expect(
      suite.providers.map(\.label) == [
        "openrouter:mistralai/mistral-nemo", "ollama:chat:llama3.2:1b", "azure:chat:my-deployment", "fast",
      ])
    #expect(suite.providers[0].config["apiKeyEnvar"] == "OPENROUTER_API_KEY")
    #expect(suite.providers[1].config["apiKeyOptional"] == .bool(true))
    let azure = try #require(suite.providers[2].config["apiBaseUrl"]?.stringValue)
    #expect(azure.contains("https://example.openai.azure.com") && azure.hasSuffix("/openai/deployments/my-deployment"))
    let url = try TemplateRenderer(environment: ["OPENROUTER_BASE_URL": "http://127.0.0.1:9/v1"]).render(
      suite.providers[0].config["apiBaseUrl"]?.stringValue ?? "", vars: [:])
    #expect(url == "http://127.0.0.1:9/v1")
    #expect(
      try TemplateRenderer().render(suite.providers[0].config["apiBaseUrl"]?.stringValue ?? "", vars: [:])
        == "https://openrouter.ai/api/v1")
  }

  @Test func everyProblemOfAFileIsReportedInFileOrder() {
    let text = Self.problems([
      "suite.yaml": """
      extensions: [file://hooks.py:hook]
      prompts: [x]
      providers: [bedrock:anthropic.claude-v2]
      tests:
        - assert: [{ type: ruby, value: "output.length > 1" }]
      derivedMetrics: [{ name: bad, value: 'a *' }]
      """
    ])
    let lines = text.split(separator: "\n").map(String.init)
    #expect(lines.count == 4, "\(text)")
    // An extension's file is checked where it is named (hooks.py is not there).
    #expect(lines.first?.contains("suite.yaml:1:14: error: cannot find 'hooks.py'") == true, "\(text)")
    #expect(lines.dropFirst().first?.contains("suite.yaml:3:13: error: provider 'bedrock") == true, "\(text)")
    #expect(text.contains("'ruby' assertions run code"))
    #expect(text.contains("derived metric 'bad'"))
  }

  @Test func ignoredKeysAreWarningsAndPromptfooConfigTakesItsFoldersName() throws {
    let suite = try Self.load(
      ["billing/promptfooconfig.yaml": "sharing: true\nprompts: [x]\nproviders: [echo]\n"],
      suite: "billing/promptfooconfig.yaml")
    #expect(suite.id == "billing")
    #expect(suite.warnings.count == 1 && suite.warnings[0].contains("promptfooconfig.yaml:1:1: 'sharing' is ignored"))
  }
}
