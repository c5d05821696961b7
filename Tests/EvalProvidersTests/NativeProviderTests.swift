import EvalCore
import EvalProviders
import EvalTestSupport
import FakeOpenAIServer
import Foundation
import Testing

/// The providers that are not OpenAI-compatible, each over real HTTP against the fake server's stand-in for
/// its API, built through the factory from the environment variables promptfoo names.
@Suite(.offThePool) struct NativeProviderTests {
  static func root(_ server: FakeOpenAIServer) -> String { String(server.baseURL.dropLast(3)) }
  static let here = SourceLocation(file: "suite.yaml", line: 1)

  static func ask(_ text: String, system: String? = nil) -> CompletionRequest {
    var messages = [ChatMessage(role: "user", content: text)]
    if let system { messages.insert(ChatMessage(role: "system", content: system), at: 0) }
    return CompletionRequest(messages: messages)
  }

  @Test func geminiAnswersTextWithUsageThroughGenerateContent() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    defer { Task { await server.stop() } }
    let env = ["GOOGLE_API_BASE_URL": Self.root(server), "GOOGLE_API_KEY": "g-key"]
    let factory = ProviderFactory(environment: env, concurrency: 2)
    defer { Task { await factory.shutdown() } }
    let provider = try factory.make(
      ProviderSpec(id: "google:gemini-2.5-flash", config: ["temperature": 0], location: Self.here))
    let answer = try await provider.complete(Self.ask("hello gemini", system: "be brief"))
    #expect(answer.text == "You said: hello gemini")
    #expect(answer.finishReason == "stop")
    #expect(answer.usage?.promptTokens == 2)  // the contents: "hello gemini"
    #expect(answer.model == "fake-gemini")
    #expect(server.stats.chatRequests == 1)
  }

  @Test func geminiSendsANativePromptAsItIsAndReturnsFunctionCallsAsParts() async throws {
    let native =
      #"[{"role":"user","parts":[{"text":"refund CMD-1"}]},{"role":"model","parts":[{"text":"ok"}]},"#
      + #"{"role":"user","parts":[{"text":"cancel it"}]}]"#
    let body = try #require(
      JSONValue.parse(
        GeminiProvider.requestBody(
          [ChatMessage(role: "user", content: native)],
          config: ["tools": ["function_declarations": [["name": "reverse"]]], "maxOutputTokens": 64])))
    #expect(body.value(atPath: ["contents"])?.arrayValue?.count == 3)
    #expect(body.value(atPath: ["contents"])?.arrayValue?[1].value(atPath: ["role"]) == "model")
    #expect(body.value(atPath: ["tools"])?.arrayValue?.count == 1)
    #expect(body.value(atPath: ["generationConfig", "maxOutputTokens"]) == 64)

    let server = FakeOpenAIServer()
    try await server.start()
    defer { Task { await server.stop() } }
    let factory = ProviderFactory(
      environment: ["GOOGLE_API_BASE_URL": Self.root(server), "GEMINI_API_KEY": "g-key"], concurrency: 2)
    defer { Task { await factory.shutdown() } }
    let provider = try factory.make(
      ProviderSpec(
        id: "google:gemini-2.5-flash",
        config: [
          "tools": [
            "function_declarations": [
              [
                "name": "get_order",
                "parameters": [
                  "type": "object", "required": ["order_id"], "properties": ["order_id": ["type": "string"]],
                ],
              ]
            ]
          ]
        ],
        location: Self.here))
    let answer = try await provider.complete(Self.ask(native))
    let parts = try #require(JSONValue.parse(answer.text)?.arrayValue)
    #expect(parts.first?.value(atPath: ["functionCall", "name"]) == "get_order")
    #expect(parts.first?.value(atPath: ["functionCall", "args", "order_id"]) == "cancel it")
  }

  @Test func geminiNeedsAKeyForGooglesHost() throws {
    let factory = ProviderFactory(environment: [:], concurrency: 1)
    defer { Task { await factory.shutdown() } }
    #expect(throws: Diagnostic.self) {
      _ = try factory.make(ProviderSpec(id: "google:gemini-2.5-flash", location: Self.here))
    }
  }

  @Test func llamaCppCompletionAnswersWithTokenCounts() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    defer { Task { await server.stop() } }
    let factory = ProviderFactory(environment: ["LLAMA_BASE_URL": Self.root(server)], concurrency: 2)
    defer { Task { await factory.shutdown() } }
    // The config's `baseUrl` names a server that is not there: the environment variable wins.
    let provider = try factory.make(
      ProviderSpec(id: "llama", config: ["baseUrl": "http://127.0.0.1:9", "n_predict": 32], location: Self.here))
    let answer = try await provider.complete(Self.ask("tweet about cats"))
    #expect(answer.text == "You said: tweet about cats")
    #expect(answer.usage?.promptTokens == 3)
    #expect(answer.usage?.completionTokens == 5)
  }

  @Test func huggingFaceTextGenerationReadsGeneratedText() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    defer { Task { await server.stop() } }
    let factory = ProviderFactory(
      environment: ["HUGGINGFACE_BASE_URL": Self.root(server) + "/hf", "HF_TOKEN": "hf-secret"], concurrency: 2)
    defer { Task { await factory.shutdown() } }
    let provider = try factory.make(
      ProviderSpec(
        id: "huggingface:text-generation:mistralai/Mistral-7B-Instruct-v0.1", config: ["max_new_tokens": 128],
        location: Self.here))
    #expect(try await provider.complete(Self.ask("<s>[INST]hi[/INST]")).text == "You said: <s>[INST]hi[/INST]")
  }

  @Test func replicatePredictionJoinsTheOutputPieces() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    defer { Task { await server.stop() } }
    let factory = ProviderFactory(
      environment: ["REPLICATE_BASE_URL": Self.root(server) + "/replicate", "REPLICATE_API_TOKEN": "r8-secret"],
      concurrency: 2)
    defer { Task { await factory.shutdown() } }
    for id in ["replicate:mistralai/mixtral-8x7b-instruct-v0.1", "replicate:meta/llama-2-7b-chat:2d19859030ff"] {
      let provider = try factory.make(ProviderSpec(id: id, config: ["temperature": 0.01], location: Self.here))
      #expect(try await provider.complete(Self.ask("hello world")).text == "You said: hello world")
    }
    #expect(server.stats.chatRequests == 2)
  }

  @Test func openAIModerationReturnsTheFlaggedCategories() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    defer { Task { await server.stop() } }
    let factory = ProviderFactory(
      environment: ["OPENAI_BASE_URL": server.baseURL, "OPENAI_API_KEY": "sk"], concurrency: 2)
    defer { Task { await factory.shutdown() } }
    let provider = try factory.make(ProviderSpec(id: "openai:moderation:omni-moderation-latest", location: Self.here))
    let flagged = try #require(JSONValue.parse(try await provider.complete(Self.ask("I will kill you")).text))
    #expect(flagged.value(atPath: ["categories", "violence"]) == .bool(true))
    let clean = try #require(JSONValue.parse(try await provider.complete(Self.ask("bananas are nice")).text))
    #expect(clean.value(atPath: ["flagged"]) == .bool(false))
  }

  @Test func functionCallsOfTheLegacyAPIAreTheOutput() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    defer { Task { await server.stop() } }
    let factory = ProviderFactory(
      environment: ["OPENAI_BASE_URL": server.baseURL, "OPENAI_API_KEY": "sk"], concurrency: 2)
    defer { Task { await factory.shutdown() } }
    let functions: JSONValue = [
      [
        "name": "get_current_weather",
        "parameters": ["type": "object", "required": ["location"], "properties": ["location": ["type": "string"]]],
      ]
    ]
    let provider = try factory.make(
      ProviderSpec(id: "openai:chat:gpt-4.1-mini", config: ["functions": functions], location: Self.here))
    let answer = try await provider.complete(Self.ask("Weather in Boston?"))
    let call = try #require(JSONValue.parse(answer.text))
    #expect(call.value(atPath: ["name"]) == "get_current_weather")
    #expect(answer.finishReason == "function_call")
  }

  @Test func vertexCallsItsProjectsModelWithABearerToken() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    defer { Task { await server.stop() } }
    let env = ["VERTEX_BASE_URL": Self.root(server), "VERTEX_PROJECT_ID": "my-project", "VERTEX_API_KEY": "ya29.token"]
    let factory = ProviderFactory(environment: env, concurrency: 2)
    defer { Task { await factory.shutdown() } }
    let provider = try factory.make(ProviderSpec(id: "vertex:gemini-2.5-pro", location: Self.here))
    #expect(try await provider.complete(Self.ask("hello vertex")).text == "You said: hello vertex")
    // Without a project there is no URL to call.
    let bare = ProviderFactory(environment: ["VERTEX_BASE_URL": Self.root(server)], concurrency: 1)
    defer { Task { await bare.shutdown() } }
    #expect(throws: Diagnostic.self) {
      _ = try bare.make(ProviderSpec(id: "vertex:gemini-2.5-pro", location: Self.here))
    }
  }
}
