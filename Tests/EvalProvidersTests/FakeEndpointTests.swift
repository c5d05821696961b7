import EvalCore
import EvalTestSupport
import FakeOpenAIServer
import Foundation
import Testing

/// The fake server's pure part, without sockets: each route and each fault mode as a ``FakeResponse`` value.
@Suite(.offThePool) struct FakeEndpointTests {
  static func post(_ path: String, _ body: String, headers: [(name: String, value: String)] = []) -> FakeRequest {
    FakeRequest(method: "POST", uri: path, headers: headers, body: body)
  }

  static func chatBody(_ content: String, extra: String = "") -> String {
    let message = JSONValue.object(["role": "user", "content": .string(content)]).canonicalJSON
    return #"{"model":"m","messages":[\#(message)]\#(extra)}"#
  }

  static func json(_ response: FakeResponse) -> JSONValue? { JSONValue.parse(response.bodyText) }

  @Test func chatCompletionAnswersAfterTheConfiguredLatencyAndCounts() {
    var state = FakeEndpoint.State(configuration: .init(latency: .milliseconds(40)))
    let response = FakeEndpoint.respond(
      to: Self.post("/v1/chat/completions?x=1", Self.chatBody("hi there")), state: &state)
    #expect(response.status == 200)
    #expect(response.delay == .milliseconds(40))
    #expect(response.header("content-length") == String(response.bodyText.utf8.count))
    let json = Self.json(response)
    #expect(json?.value(atPath: ["choices", "0", "message", "content"]) == "You said: hi there")
    #expect(json?.value(atPath: ["usage", "total_tokens"]) == .number(2 + 4))
    #expect(state.stats.chatRequests == 1)
    #expect(state.byPrompt["hi there"] == 1)
    _ = FakeEndpoint.respond(to: Self.post("/v1/chat/completions", Self.chatBody("hi there")), state: &state)
    #expect(state.byPrompt["hi there"] == 2)
    #expect(state.seen.values.max() == 2)
  }

  /// Usage counts words split at whitespace: ASCII text is counted by its bytes, other text by its characters
  /// (no-break space separates, U+001C does not, `\r\n` is one separator).
  @Test func usageCountsWordsAtEveryKindOfWhitespace() {
    let cases: [(String, Int)] = [
      ("a\tb\nc  d\r\ne \u{0B}f\u{0C}g", 7), ("  lead and trail  ", 3), ("", 0), ("a\u{1C}b", 1),
      ("héllo wörld\u{00A0}x", 3), ("日本 語\u{2003}です", 3),
    ]
    for (content, words) in cases {
      var state = FakeEndpoint.State()
      let response = FakeEndpoint.respond(to: Self.post("/v1/chat/completions", Self.chatBody(content)), state: &state)
      #expect(Self.json(response)?.value(atPath: ["usage", "prompt_tokens"]) == .number(Double(words)), "\(content)")
    }
  }

  @Test func markersSetReplyFinishLatencyAndModel() {
    var state = FakeEndpoint.State()
    let body = Self.chatBody("q [[reply:Paris]] [[finish:length]] [[latency:250]] [[quirk:other-model]]")
    let response = FakeEndpoint.respond(to: Self.post("/v1/chat/completions", body), state: &state)
    #expect(response.delay == .milliseconds(250))
    let json = Self.json(response)
    #expect(json?.value(atPath: ["choices", "0", "message", "content"]) == "Paris")
    #expect(json?.value(atPath: ["choices", "0", "finish_reason"]) == "length")
    #expect(json?.value(atPath: ["model"]) == "some-other-model")
  }

  @Test func streamedAnswerIsEventsEndingInDone() {
    var state = FakeEndpoint.State()
    let response = FakeEndpoint.respond(
      to: Self.post("/v1/chat/completions", Self.chatBody("one two", extra: #","stream":true"#)), state: &state)
    guard case .send(200, _, .complete(let events)) = response.action else {
      Issue.record("not a complete 200: \(response.action)")
      return
    }
    #expect(response.header("Content-Type") == "text/event-stream")
    #expect(response.header("Content-Length") == nil)
    #expect(events.last == "data: [DONE]\n\n")
    let chunks = events.dropLast().compactMap { JSONValue.parse(String($0.dropFirst(6))) }
    #expect(chunks.count == events.count - 1)
    let text = chunks.compactMap { $0.value(atPath: ["choices", "0", "delta", "content"])?.stringValue }.joined()
    #expect(text == "You said: one two")
    #expect(chunks.last?.value(atPath: ["usage", "completion_tokens"]) == .number(4))
  }

  @Test func toolsAndFunctionsAreCalled() {
    var state = FakeEndpoint.State()
    let tools =
      #","tools":[{"type":"function","function":{"name":"lookup","parameters":{"type":"object","#
      + #""properties":{"city":{"type":"string"},"n":{"type":"integer"}},"required":["city","n"]}}}]"#
    let call = Self.json(
      FakeEndpoint.respond(to: Self.post("/v1/chat/completions", Self.chatBody("Rome", extra: tools)), state: &state))
    #expect(call?.value(atPath: ["choices", "0", "finish_reason"]) == "tool_calls")
    #expect(call?.value(atPath: ["choices", "0", "message", "tool_calls", "0", "function", "name"]) == "lookup")
    let arguments = call?.value(atPath: ["choices", "0", "message", "tool_calls", "0", "function", "arguments"])
    #expect(arguments?.stringValue.flatMap(JSONValue.parse) == .object(["city": "Rome", "n": 1]))
    let functions = #","functions":[{"name":"f","parameters":{}}]"#
    let old = Self.json(
      FakeEndpoint.respond(to: Self.post("/v1/chat/completions", Self.chatBody("x", extra: functions)), state: &state))
    #expect(old?.value(atPath: ["choices", "0", "message", "function_call", "name"]) == "f")
  }

  @Test func anthropicMessagesUseItsShape() {
    var state = FakeEndpoint.State()
    let body = #"{"model":"claude","system":"be brief","messages":[{"role":"user","content":"hi [[finish:length]]"}]}"#
    let json = Self.json(FakeEndpoint.respond(to: Self.post("/v1/messages", body), state: &state))
    #expect(json?.value(atPath: ["content", "0", "text"]) == "You said: hi [[finish:length]]")
    #expect(json?.value(atPath: ["stop_reason"]) == "max_tokens")
    #expect(json?.value(atPath: ["usage", "input_tokens"]) == .number(4))
    #expect(state.stats.chatRequests == 1)
  }

  @Test func azureDeploymentsAnswerAsOpenAI() {
    var state = FakeEndpoint.State()
    let chat = FakeEndpoint.respond(
      to: Self.post("/openai/deployments/d1/chat/completions?api-version=2024", Self.chatBody("az")), state: &state)
    #expect(Self.json(chat)?.value(atPath: ["choices", "0", "message", "content"]) == "You said: az")
    let embed = FakeEndpoint.respond(
      to: Self.post("/openai/deployments/d1/embeddings", #"{"input":"a b"}"#), state: &state)
    #expect(Self.json(embed)?.value(atPath: ["data", "0", "embedding"])?.arrayValue?.count == 64)
    #expect(state.stats.chatRequests == 1)
    #expect(state.stats.embeddingRequests == 1)
  }

  @Test func embeddingsOnePerInputWithInfinityQuirkAndBadBody() {
    var state = FakeEndpoint.State()
    let plain = Self.json(
      FakeEndpoint.respond(to: Self.post("/v1/embeddings", #"{"model":"e","input":["a b","c"]}"#), state: &state))
    #expect(plain?.value(atPath: ["data"])?.arrayValue?.count == 2)
    #expect(plain?.value(atPath: ["model"]) == "e")
    #expect(plain?.value(atPath: ["usage", "prompt_tokens"]) == .number(3))
    let infinity = Self.json(
      FakeEndpoint.respond(
        to: Self.post("/v1/embeddings", #"{"model":"e","input":"[[quirk:infinity]]"}"#), state: &state))
    #expect(infinity?.value(atPath: ["model"]) == "all-minilm-l6-v2")
    #expect(infinity?.value(atPath: ["usage", "prompt_tokens"]) == .number(18))
    #expect(FakeEndpoint.respond(to: Self.post("/v1/embeddings", "not json"), state: &state).status == 400)
    #expect(state.stats.embeddingRequests == 3)
  }

  @Test func moderationFlagsByCategory() {
    var state = FakeEndpoint.State()
    let json = Self.json(
      FakeEndpoint.respond(to: Self.post("/v1/moderations", #"{"input":"I will kill"}"#), state: &state))
    #expect(json?.value(atPath: ["results", "0", "flagged"]) == .bool(true))
    #expect(json?.value(atPath: ["results", "0", "categories", "violence"]) == .bool(true))
    #expect(json?.value(atPath: ["results", "0", "categories", "hate"]) == .bool(false))
  }

  @Test func nativeAPIsAnswerInTheirOwnShapes() {
    var state = FakeEndpoint.State()
    let gemini = Self.json(
      FakeEndpoint.respond(
        to: Self.post("/v1beta/models/g:generateContent", #"{"contents":[{"role":"user","parts":[{"text":"yo"}]}]}"#),
        state: &state))
    #expect(gemini?.value(atPath: ["candidates", "0", "content", "parts", "0", "text"]) == "You said: yo")
    let geminiTool = Self.json(
      FakeEndpoint.respond(
        to: Self.post(
          "/v1beta/models/g:generateContent",
          #"{"contents":[{"role":"user","parts":[{"text":"yo"}]}],"tools":[{"functionDeclarations":[{"name":"t"}]}]}"#),
        state: &state))
    #expect(geminiTool?.value(atPath: ["candidates", "0", "content", "parts", "0", "functionCall", "name"]) == "t")
    let llama = Self.json(FakeEndpoint.respond(to: Self.post("/completion", #"{"prompt":"p q"}"#), state: &state))
    #expect(llama?.value(atPath: ["content"]) == "You said: p q")
    #expect(llama?.value(atPath: ["tokens_evaluated"]) == .number(2))
    let hf = Self.json(FakeEndpoint.respond(to: Self.post("/hf/models/gpt2", #"{"inputs":"h"}"#), state: &state))
    #expect(hf?.value(atPath: ["0", "generated_text"]) == "You said: h")
    let replicate = Self.json(
      FakeEndpoint.respond(to: Self.post("/replicate/predictions", #"{"input":{"prompt":"a b"}}"#), state: &state))
    #expect(replicate?.value(atPath: ["output"]) == .array(["You", " said:", " a", " b"]))
    let guardAnswer = Self.json(
      FakeEndpoint.respond(
        to: Self.post(
          "/replicate/models/meta/llama-guard/predictions",
          #"{"input":{"prompt":"Human: hi\n\nAssistant: I hate you"}}"#),
        state: &state))
    #expect(guardAnswer?.value(atPath: ["output"]) == .array(["unsafe\nS10"]))
    #expect(state.stats.chatRequests == 6)
  }

  @Test func modelsStatsRagAndNotFound() {
    var state = FakeEndpoint.State()
    state.stats.requests = 7
    let models = FakeEndpoint.respond(to: FakeRequest(method: "GET", uri: "/v1/models"), state: &state)
    #expect(Self.json(models)?.value(atPath: ["data", "0", "id"]) == "fake-model")
    let stats = FakeEndpoint.respond(to: FakeRequest(method: "GET", uri: "/_stats"), state: &state)
    #expect(Self.json(stats)?.value(atPath: ["requests"]) == .number(7))
    let answer = Self.json(FakeEndpoint.respond(to: Self.post("/rag/answer", #"{"question":"why"}"#), state: &state))
    #expect(answer?.value(atPath: ["answer"]) == "You said: why")
    #expect(answer?.value(atPath: ["sources"])?.arrayValue?.count == 2)
    let search = Self.json(
      FakeEndpoint.respond(to: Self.post("/rag/search", #"{"query":"[[docs:x,y,z]]","k":2}"#), state: &state))
    #expect(
      search?.value(atPath: ["results"])
        == .array([.object(["id": "x", "score": 1]), .object(["id": "y", "score": 0.9])]))
    let ragFault = FakeEndpoint.respond(to: Self.post("/rag/search", #"{"query":"[[fault:500]]"}"#), state: &state)
    #expect(ragFault.status == 500)
    #expect(ragFault.delay == .zero)
    let missing = FakeEndpoint.respond(to: FakeRequest(method: "GET", uri: "/nothing"), state: &state)
    #expect(missing.status == 404)
    #expect(missing.bodyText.contains("no route /nothing"))
    #expect(FakeEndpoint.respond(to: Self.post("/v1/chat/completions", "{}"), state: &state).status == 400)
  }

  @Test(arguments: FakeServerConfiguration.Fault.allCases)
  func eachFaultModeIsAValue(_ fault: FakeServerConfiguration.Fault) {
    var state = FakeEndpoint.State(configuration: .init(latency: .milliseconds(5)))
    let request = Self.post(
      "/v1/chat/completions", Self.chatBody("q"),
      headers: [(name: "X-Fake-Fault", value: fault.rawValue), (name: "Authorization", value: "Bearer sk-abc")])
    let response = FakeEndpoint.respond(to: request, state: &state)
    #expect(response.delay == .milliseconds(5))
    #expect(state.stats.faults == [fault.rawValue: 1])
    switch fault {
    case .rateLimit:
      #expect(response.status == 429)
      #expect(response.header("Retry-After") == "1")
    case .serverError: #expect(response.status == 500)
    case .unavailable:
      #expect(response.status == 503)
      #expect(response.header("Content-Type") == "text/plain")
    case .unauthorized:
      #expect(response.status == 401)
      #expect(response.bodyText.contains("Incorrect API key provided: sk-abc\""))
    case .malformed:
      #expect(response.status == 200)
      #expect(JSONValue.parse(response.bodyText) == nil)
    case .truncated:
      guard case .send(200, _, .truncated(let text)) = response.action else {
        Issue.record("not truncated: \(response.action)")
        return
      }
      #expect(text.utf8.count < Int(response.header("Content-Length") ?? "") ?? 0)
    case .reset: #expect(response.action == .reset)
    case .hang:
      #expect(response.action == .hang)
      #expect(state.stats.maxHangsPerPrompt == 1)
    case .stall: #expect(response.action == .send(status: 200, headers: stallHeaders, body: .held(drip: false)))
    case .drip: #expect(response.action == .send(status: 200, headers: stallHeaders, body: .held(drip: true)))
    }
  }

  private var stallHeaders: [FakeResponse.Header] {
    [.init("Content-Type", "application/json"), .init("Content-Length", "1000000")]
  }

  @Test func markerForcesAFaultAndUnknownModesAnswerNormally() {
    var state = FakeEndpoint.State()
    #expect(
      FakeEndpoint.respond(to: Self.post("/v1/chat/completions", Self.chatBody("[[fault:503]]")), state: &state).status
        == 503)
    let unknown = FakeEndpoint.respond(
      to: Self.post("/v1/chat/completions", Self.chatBody("[[fault:nope]]")), state: &state)
    #expect(unknown.status == 200)
    #expect(state.stats.faults == ["503": 1])
  }

  @Test func seededFaultDrawsRepeatAndRetriesDrawAgain() {
    let configuration = FakeServerConfiguration(faultRate: 0.5, faultModes: [.serverError], seed: 3)
    func statuses() -> [Int?] {
      var state = FakeEndpoint.State(configuration: configuration)
      return (0..<40).map { i in
        FakeEndpoint.respond(to: Self.post("/v1/chat/completions", Self.chatBody("q\(i % 20)")), state: &state).status
      }
    }
    let first = statuses()
    #expect(statuses() == first)
    #expect(first.contains(500))
    #expect(first.contains(200))
    // The second ask of each prompt is another attempt, so it draws again rather than repeating the first.
    #expect(Array(first[0..<20]) != Array(first[20..<40]))
  }

  @Test func wrongAnswerRateOneAlwaysDegrades() {
    var state = FakeEndpoint.State(configuration: .init(wrongAnswerRate: 1))
    let json = Self.json(
      FakeEndpoint.respond(to: Self.post("/v1/chat/completions", Self.chatBody("2+2?")), state: &state))
    #expect(json?.value(atPath: ["choices", "0", "message", "content"]) == "I don't know.")
  }

  @Test func quirksOfRealServers() {
    var state = FakeEndpoint.State()
    func ask(_ quirk: String, stream: Bool = false) -> FakeResponse {
      FakeEndpoint.respond(
        to: Self.post(
          "/v1/chat/completions", Self.chatBody("hi [[quirk:\(quirk)]]", extra: stream ? #","stream":true"# : "")),
        state: &state)
    }
    #expect(
      ask("empty-stream", stream: true).action
        == .send(status: 200, headers: [.init("Content-Type", "text/event-stream")], body: .complete([])))
    let partial = ask("done-without-finish", stream: true).bodyText
    #expect(
      partial.contains("Partial ans") && partial.hasSuffix("data: [DONE]\n\n")
        && !partial.contains("finish_reason\":\"stop"))
    #expect(ask("usage-with-choices", stream: true).bodyText.contains(#""finish_reason":"stop""#))
    #expect(ask("text-500").header("Content-Type") == "text/plain")
    #expect(ask("fastapi-422").status == 422)
    #expect(Self.json(ask("string-code-400"))?.value(atPath: ["error", "code"]) == "400")
    let noRetry = ask("429-no-retry-after")
    #expect(noRetry.status == 429 && noRetry.header("Retry-After") == nil)
    #expect(Self.json(ask("llama-shape"))?.value(atPath: ["choices", "0", "logprobs"]) == .null)
    #expect(Self.json(ask("litellm-shape"))?.value(atPath: ["usage", "total_tokens"]) == .number(30))
    #expect(Self.json(ask("no-usage"))?.value(atPath: ["usage"]) == nil)
    #expect(!ask("no-usage", stream: true).bodyText.contains("\"usage\""))
  }

  /// The bytes `JSONSerialization` with `.sortedKeys` writes for `object`: what the server sent before its
  /// answers had wire types, and what clients and golden files saw.
  static func serialized(_ object: Any) -> String {
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    return String(decoding: data, as: UTF8.self)
  }

  @Test func wireTypesWriteTheBytesJSONSerializationWrote() {
    var state = FakeEndpoint.State()
    let text = "a/b \"q\" ünï"
    let stream = FakeEndpoint.respond(
      to: Self.post("/v1/chat/completions", Self.chatBody(text, extra: #","stream":true"#)), state: &state)
    let base: [String: Any] = [
      "id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1_700_000_000, "model": "m",
    ]
    var first = base
    first["choices"] = [["index": 0, "delta": ["role": "assistant", "content": ""], "finish_reason": NSNull()]]
    var usage = base
    usage["choices"] = [Any]()
    usage["usage"] = ["prompt_tokens": 3, "completion_tokens": 5, "total_tokens": 8]
    guard case .send(_, _, .complete(let events)) = stream.action else {
      Issue.record("not a stream: \(stream.action)")
      return
    }
    #expect(events.first == "data: \(Self.serialized(first))\n\n")
    #expect(events.dropLast().last == "data: \(Self.serialized(usage))\n\n")

    let anthropic = FakeEndpoint.respond(
      to: Self.post("/v1/messages", #"{"model":"c","messages":[{"role":"user","content":"x/y"}]}"#), state: &state)
    let message: [String: Any] = [
      "id": "msg_fake", "type": "message", "role": "assistant", "model": "c",
      "content": [["type": "text", "text": "You said: x/y"]], "stop_reason": "end_turn", "stop_sequence": NSNull(),
      "usage": ["input_tokens": 1, "output_tokens": 3],
    ]
    #expect(anthropic.bodyText == Self.serialized(message))

    let tools = #","tools":[{"type":"function","function":{"name":"f","parameters":{}}}]"#
    let call = FakeEndpoint.respond(
      to: Self.post("/v1/chat/completions", Self.chatBody("z", extra: tools)), state: &state)
    let completion: [String: Any] = [
      "id": "chatcmpl-fake", "object": "chat.completion", "created": 1_700_000_000, "model": "m",
      "choices": [
        [
          "index": 0, "finish_reason": "tool_calls",
          "message": [
            "role": "assistant", "content": NSNull(),
            "tool_calls": [["id": "call_fake_0", "type": "function", "function": ["name": "f", "arguments": "{}"]]],
          ],
        ]
      ],
      "usage": ["prompt_tokens": 1, "completion_tokens": 8, "total_tokens": 9],
    ]
    #expect(call.bodyText == Self.serialized(completion))

    let embeddings = FakeEndpoint.respond(
      to: Self.post("/v1/embeddings", #"{"model":"e","input":["x y"]}"#), state: &state)
    let vectors: [String: Any] = [
      "object": "list", "model": "e", "usage": ["prompt_tokens": 2, "total_tokens": 2],
      "data": [
        [
          "object": "embedding", "index": 0,
          "embedding": Self.json(embeddings)?.value(atPath: ["data", "0", "embedding"])?.arrayValue?.compactMap(
            \.numberValue) ?? [],
        ]
      ],
    ]
    #expect(embeddings.bodyText == Self.serialized(vectors))

    let moderation = FakeEndpoint.respond(to: Self.post("/v1/moderations", #"{"input":"hate"}"#), state: &state)
    let names = ["harassment", "hate", "self-harm", "sexual", "violence"]
    let verdict: [String: Any] = [
      "id": "modr-fake", "model": "omni-moderation-latest",
      "results": [
        [
          "flagged": true, "categories": Dictionary(uniqueKeysWithValues: names.map { ($0, $0 == "hate") }),
          "category_scores": Dictionary(uniqueKeysWithValues: names.map { ($0, $0 == "hate" ? 0.9 : 0.01) }),
        ]
      ],
    ]
    #expect(moderation.bodyText == Self.serialized(verdict))
  }

  @Test func nativeWireTypesWriteTheBytesJSONSerializationWrote() {
    var state = FakeEndpoint.State()
    func body(_ path: String, _ body: String) -> String {
      FakeEndpoint.respond(to: Self.post(path, body), state: &state).bodyText
    }
    let llama: [String: Any] = [
      "content": "You said: a/b", "stop": true, "stop_type": "eos", "model": "fake-llama", "tokens_evaluated": 1,
      "tokens_predicted": 3,
    ]
    #expect(body("/completion", #"{"prompt":"a/b"}"#) == Self.serialized(llama))
    #expect(body("/hf/models/x", #"{"inputs":"h"}"#) == Self.serialized([["generated_text": "You said: h"]]))
    let prediction: [String: Any] = [
      "id": "fake-prediction", "status": "succeeded", "output": ["You", " said:", " p"], "error": NSNull(),
    ]
    #expect(body("/replicate/predictions", #"{"input":{"prompt":"p"}}"#) == Self.serialized(prediction))
    let answer: [String: Any] = [
      "answer": "You said: q", "sources": [["id": "doc-1", "score": 0.9], ["id": "doc-7", "score": 0.4]],
      "usage": ["in": 1, "out": 3],
    ]
    #expect(body("/rag/answer", #"{"question":"q"}"#) == Self.serialized(answer))
    let results = (0..<5).map { i -> [String: Any] in ["id": "d\(i + 1)", "score": 1 - Double(i) / 10] }
    #expect(body("/rag/search", #"{"query":"q"}"#) == Self.serialized(["results": results]))
    let llamaShape: [String: Any] = [
      "id": "chatcmpl-4abf6e00", "object": "chat.completion", "created": 1_795_937_514, "model": "m",
      "choices": [
        [
          "index": 0, "message": ["content": "You said: [[quirk:llama-shape]]", "role": "assistant"],
          "logprobs": NSNull(), "finish_reason": "length",
        ]
      ],
      "usage": ["prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15],
    ]
    #expect(body("/v1/chat/completions", Self.chatBody("[[quirk:llama-shape]]")) == Self.serialized(llamaShape))
  }
}
