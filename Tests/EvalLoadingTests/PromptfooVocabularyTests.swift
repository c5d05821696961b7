import EvalCore
import EvalLoading
import Foundation
import Testing

/// promptfoo's vocabulary that needs no user code: derived metrics, stored outputs, prompt-level config,
/// fixed outputs, the non-OpenAI providers and the assertions that compare outputs, load as promptfoo
/// reads them or fail with a located error.
struct PromptfooVocabularyTests {
  static func load(_ files: [String: String]) throws -> Suite { try PromptfooFormsTests.load(files) }
  static func problems(_ files: [String: String]) -> String { PromptfooFormsTests.problems(files) }

  @Test func derivedMetricsAreParsedInOrderAndAMalformedOneIsLocated() throws {
    let suite = try Self.load([
      "suite.yaml": """
      prompts: [x]
      providers: [echo]
      derivedMetrics:
        - name: Double
          value: Consistency * 2
        - name: F1
          value: '2 * tp / (2 * tp + fp + fn)'
      """
    ])
    #expect(suite.derivedMetrics.map(\.name) == ["Double", "F1"])
    #expect(suite.derivedMetrics[0].expression.evaluate(["Consistency": 0.5]) == 1)
    let text = Self.problems([
      "suite.yaml": "prompts: [x]\nproviders: [echo]\nderivedMetrics:\n  - name: Bad\n    value: 'a * (b'\n"
    ])
    #expect(text.contains("suite.yaml:5:12: error: derived metric 'Bad': expected ')'"), "\(text)")
    let code = Self.problems([
      "suite.yaml":
        "prompts: [x]\nproviders: [echo]\nderivedMetrics:\n  - name: F\n    value: 'function(s) { return s.a }'\n"
    ])
    #expect(code.contains("suite.yaml:5:12: error: derived metric 'F' is a JavaScript function"), "\(code)")
  }

  @Test func storeOutputAsProviderOutputAndCSVCostLoad() throws {
    let suite = try Self.load([
      "suite.yaml": """
      prompts: ['{{message}}']
      providers: [echo]
      tests:
        - vars: { message: pick }
          options: { storeOutputAs: fruit }
        - vars: { message: 'why {{fruit}}' }
          providerOutput: { answer: 42 }
        - file://t.csv
      """,
      "t.csv": "message,__expected\nhi,cost(0.01)\n",
    ])
    #expect(Array(suite.tests)[0].storeOutputAs == "fruit")
    #expect(Array(suite.tests)[1].providerOutput == #"{"answer":42}"#)
    #expect(
      Array(suite.tests)[2].assertions.first?.type == "cost"
        && Array(suite.tests)[2].assertions.first?.threshold == 0.01)
  }

  @Test func aPromptsConfigIsMergedOverEachProvidersForItsCalls() throws {
    let suite = try Self.load([
      "suite.yaml": """
      prompts:
        - label: json
          raw: 'Solve {{p}}'
          config: { response_format: { type: json_object }, temperature: 0 }
        - label: plain
          raw: 'Solve {{p}}'
      providers:
        - id: openai:chat:gpt-4o-mini
          config: { temperature: 0.7, max_tokens: 100 }
      tests:
        - vars: { p: '1+1' }
      """
    ])
    #expect(suite.prompts[0].config["temperature"] == 0)
    // Two endpoints: the provider as configured, and with the first prompt's config over it.
    #expect(suite.callProviders.count == 2)
    let merged = suite.callProviders[1].config
    #expect(merged["temperature"] == 0 && merged["max_tokens"] == 100 && merged["response_format"] != nil)
    let cases = try Expansion(renderer: TemplateRenderer()).cases(for: suite)
    #expect(Set(cases.map(\.providerKey)).count == 2)
    #expect(cases.map(\.providerLabel) == ["openai:chat:gpt-4o-mini", "openai:chat:gpt-4o-mini"])
    #expect(cases[0].id != cases[1].id)
    let bad = Self.problems([
      "suite.yaml": "prompts:\n  - raw: x\n    config: { nonsense: 1 }\nproviders: [openai:chat:gpt-4o-mini]\n"
    ])
    #expect(
      bad.contains("suite.yaml:2:5: error: prompt 'x' 'config' for provider") && bad.contains("nonsense"), "\(bad)")
  }

  @Test func theNativeProvidersLoadAndTheToolsCallAssertionsNeedNoValue() throws {
    let suite = try Self.load([
      "suite.yaml": """
      prompts: ['Weather in {{city}}?']
      providers:
        - id: google:gemini-2.5-flash
          config: { temperature: 0, maxOutputTokens: 64 }
        - llama
        - huggingface:text-generation:mistralai/Mistral-7B-Instruct-v0.1
        - replicate:meta/llama-2-7b-chat:2d1985
        - id: openai:chat:gpt-4.1-mini
          config:
            functions: [{ name: get_weather, parameters: { type: object } }]
      tests:
        - vars: { city: Boston }
          assert:
            - type: is-valid-openai-function-call
            - type: moderation
            - type: max-score
      """
    ])
    #expect(suite.providers.map(\.kind) == ["google", "llama", "huggingface", "replicate", "openai"])
    // Moderation's provider is OpenAI's moderation endpoint unless the assertion names one.
    #expect(Array(suite.tests)[0].assertions[1].judge?.id == "openai:moderation:omni-moderation-latest")
    // Only the provider with `functions` gives the function-call assertion its value; the others are errors.
    let expansion = Expansion(renderer: TemplateRenderer())
    #expect(throws: DiagnosticList.self) { _ = try expansion.cases(for: suite) }
    var one = suite
    one.providers = [suite.providers[4]]
    let cases = try expansion.cases(for: one)
    #expect(cases.first?.plan.items.first?.spec.value?.arrayValue?.count == 1)
    #expect(cases.first?.comparisonGroup != nil)
    let hf = Self.problems(["suite.yaml": "prompts: [x]\nproviders: [huggingface:feature-extraction:bert]\n"])
    #expect(
      hf.contains("suite.yaml:2:13: error: provider 'huggingface:feature-extraction:bert' is not supported"), "\(hf)")
  }

  @Test func notPromptfooTypesAreRefusedSayingWhatToWrite() {
    let text = Self.problems([
      "suite.yaml": "prompts: [x]\nproviders: [echo]\ntests:\n  - assert: [{ type: json-schema-valid, value: {} }]\n"
    ])
    #expect(text.contains("'json-schema-valid' is not an assertion type of promptfoo either"), "\(text)")
    #expect(text.contains("'is-json' with the schema"), "\(text)")
  }

  @Test func listsOfObjectsAreOneValue() throws {
    let suite = try Self.load([
      "suite.yaml": """
      prompts: ['{{q}}']
      providers: [echo]
      tests:
        - vars:
            q: [a, b]
            _conversation: [{ input: hi, output: hello }]
            n: [{ a: 1 }, { a: 2 }]
      """
    ])
    let cases = try Expansion(renderer: TemplateRenderer()).cases(for: suite)
    #expect(cases.count == 2)
    #expect(cases.first?.vars["n"] == [["a": 1], ["a": 2]])
  }

  @Test func assertionTemplatesAreUsedByRefAndAnUnknownNameIsLocated() throws {
    let suite = try Self.load([
      "suite.yaml": """
      assertionTemplates:
        mentionsHealth: { type: icontains, value: mental health }
      prompts: [x]
      providers: [echo]
      defaultTest:
        assert: [{ $ref: '#/assertionTemplates/mentionsHealth' }]
      tests:
        - file://t.yaml
      """,
      "t.yaml": "- assert:\n    - $ref: '#/assertionTemplates/mentionsHealth'\n    - { type: contains, value: x }\n",
    ])
    #expect(suite.defaultTest?.assertions.map(\.type) == ["icontains"])
    #expect(Array(suite.tests)[0].assertions.map(\.type) == ["icontains", "contains"])
    #expect(Array(suite.tests)[0].assertions[0].value == "mental health")
    let text = Self.problems([
      "suite.yaml": """
      assertionTemplates: { a: { type: contains, value: x } }
      prompts: [x]
      providers: [echo]
      tests:
        - assert: [{ $ref: '#/assertionTemplates/b' }]
      """
    ])
    #expect(text.contains("suite.yaml:5:22: error: no assertion template is named 'b'"), "\(text)")
  }

  @Test func prefixAndSuffixSurroundThePrompt() throws {
    let suite = try Self.load([
      "suite.yaml": """
      prompts: ['Answer: {{q}}']
      providers: [echo]
      tests:
        - vars: { q: yaml }
          options: { prefix: '[sys] ', suffix: ' Be brief.' }
        - file://t.csv
      """,
      "t.csv": "q,__prefix,__suffix\ncsv,<<,>>\nplain,,\n",
    ])
    let cases = try Expansion(renderer: TemplateRenderer()).cases(for: suite)
    #expect(
      cases.map { $0.messages.last?.content ?? "" } == [
        "[sys] Answer: yaml Be brief.", "<<Answer: csv>>", "Answer: plain",
      ])
  }

  @Test func rubricPromptOnTheTestReachesItsLLMRubricAssertions() throws {
    let suite = try Self.load([
      "suite.yaml": """
      prompts: [x]
      providers: [echo]
      defaultTest:
        options: { provider: echo, rubricPrompt: 'Judge {{ output }} by {{ rubric }}' }
      tests:
        - assert:
            - { type: llm-rubric, value: polite }
            - { type: llm-rubric, value: short, rubricPrompt: 'Own {{ output }}' }
            - { type: contains, value: x }
      """
    ])
    let cases = try Expansion(renderer: TemplateRenderer()).cases(for: suite)
    let prompts = cases[0].plan.items.map(\.spec.rubricPrompt)
    #expect(prompts == ["Judge {{ output }} by {{ rubric }}", "Own {{ output }}", nil])
    let text = Self.problems([
      "suite.yaml":
        "prompts: [x]\nproviders: [echo]\ntests:\n  - assert: [{ type: contains, value: x, rubricPrompt: y }]\n"
    ])
    #expect(text.contains("'rubricPrompt' on 'llm-rubric' assertions only"), "\(text)")
  }
}
