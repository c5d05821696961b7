import Foundation

/// The fake server's behaviour as a pure function: a request and the server's state in, the response (and the
/// state's new counters) out. No sockets and no clock: latency and faults are values in the ``FakeResponse``
/// that the NIO handler carries out.
///
/// Routes: OpenAI's `/v1/chat/completions` (also streamed, and tool calls), `/v1/embeddings`,
/// `/v1/moderations` and `/v1/models`; Azure's `/openai/deployments/<name>/…`; Anthropic's `/v1/messages`;
/// Gemini's `…:generateContent`, llama.cpp's `/completion`, Hugging Face's `/hf/models/…` and Replicate's
/// predictions (``FakeNativeReplies``); `/rag/answer` and `/rag/search`; and `GET /_stats`.
public enum FakeEndpoint {
  /// The server's answer to `request`; updates the counters and the per-request tallies in `state`.
  /// (The handler counts `requests` and the requests in flight, which belong to connections.)
  public static func respond(to request: FakeRequest, state: inout State) -> FakeResponse {
    let (method, path, body) = (request.method, request.path, request.body)
    // The APIs that are not OpenAI's (Gemini, llama.cpp, Hugging Face, Replicate), each counted as a chat.
    if method == "POST", let (status, answer) = FakeNativeReplies.answer(path: path, body: body) {
      state.stats.chatRequests += 1
      return .text(status, answer)
    }
    // Azure OpenAI: `/openai/deployments/<deployment>/…`, answered as the OpenAI routes.
    if method == "POST", path.hasPrefix("/openai/deployments/") {
      if path.hasSuffix("/chat/completions") {
        state.stats.chatRequests += 1
        return chat(request, dialect: .openAI, state: &state)
      }
      if path.hasSuffix("/embeddings") {
        state.stats.embeddingRequests += 1
        return embeddings(body)
      }
    }
    switch (method, path) {
    case ("GET", "/_stats"):
      let data = (try? JSONEncoder().encode(state.stats)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
      return .text(200, data)
    case ("GET", "/v1/models"):
      return .text(200, #"{"object":"list","data":[{"id":"fake-model","object":"model","owned_by":"evalgate"}]}"#)
    case ("POST", "/v1/moderations"):
      state.stats.chatRequests += 1
      let object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
      return .text(200, FakeNativeReplies.moderation(object["input"] as? String ?? ""))
    case ("POST", "/v1/embeddings"):
      state.stats.embeddingRequests += 1
      return embeddings(body)
    case ("POST", "/v1/chat/completions"):
      state.stats.chatRequests += 1
      return chat(request, dialect: .openAI, state: &state)
    case ("POST", "/rag/answer"):
      // A stand-in for a team's own RAG service: {question} in, {answer, sources, usage} out.
      let (_, question, fault) = rag(request, text: "question")
      if let fault { return fault }
      let answer = FakeReplies.reply(to: [(role: "user", content: question)])
      let value = FakeNativeWire.RAGAnswer(
        answer: answer, sources: [.init(id: "doc-1", score: 0.9), .init(id: "doc-7", score: 0.4)],
        usage: .init(in: FakeReplies.tokens(question), out: FakeReplies.tokens(answer)))
      return .text(200, FakeWire.json(value))
    case ("POST", "/rag/search"):
      // A stand-in retriever: {query, k} in, {results: [{id, score}]} out, best first. `[[docs:a,b,c]]` in
      // the query chooses the documents (default d1…d5).
      let (object, query, fault) = rag(request, text: "query")
      if let fault { return fault }
      let docs =
        FakeReplies.marker("docs", in: query).map { $0.split(separator: ",").map(String.init) }
        ?? (1...5).map { "d\($0)" }
      let k = object["k"] as? Int ?? docs.count
      let results = docs.prefix(k).enumerated().map { i, id in
        FakeNativeWire.ScoredDocument(id: id, score: 1 - Double(i) / 10)
      }
      return .text(200, FakeWire.json(FakeNativeWire.RAGResults(results: results)))
    case ("POST", "/v1/messages"):
      state.stats.chatRequests += 1
      return chat(request, dialect: .anthropic, state: &state)
    default:
      return .text(404, #"{"error":{"message":"no route \#(path)","type":"invalid_request_error"}}"#)
    }
  }

  /// Which API shape a chat request uses.
  enum Dialect {
    /// `/v1/chat/completions`.
    case openAI
    /// Anthropic's `/v1/messages`: `system` at the top level, `content` blocks, `stop_reason`, `usage`.
    case anthropic
  }

  /// A chat request's answer: the fault it draws or forces, a quirk, a tool call, a stream or the plain
  /// completion, after the configured (or `[[latency:…]]`) delay.
  static func chat(_ request: FakeRequest, dialect: Dialect, state: inout State) -> FakeResponse {
    let body = request.body
    guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
      let rawMessages = object["messages"] as? [[String: Any]]
    else {
      return .text(400, #"{"error":{"message":"body must be JSON with 'messages'","type":"invalid_request_error"}}"#)
    }
    var messages = rawMessages.map { (role: $0["role"] as? String ?? "", content: $0["content"] as? String ?? "") }
    if let system = object["system"] as? String { messages.insert((role: "system", content: system), at: 0) }
    let prompt = messages.map(\.content).joined(separator: "\n")
    let lastUser = messages.last(where: { $0.role == "user" })?.content ?? ""
    let model = object["model"] as? String ?? "fake-model"
    let stream = object["stream"] as? Bool ?? false

    let attempt = state.seen[body, default: 0]
    state.seen[body] = attempt + 1
    state.byPrompt[lastUser, default: 0] += 1
    let configuration = state.configuration
    var fault: FakeServerConfiguration.Fault?
    if let forced = request.headers["x-fake-fault"] ?? FakeReplies.marker("fault", in: prompt) {
      fault = FakeServerConfiguration.Fault(rawValue: forced)
    } else if configuration.faultRate > 0, !configuration.faultModes.isEmpty {
      let u = FakeReplies.draw(seed: configuration.seed, body: body, attempt: attempt)
      if u < configuration.faultRate {
        let pick = Int(u / configuration.faultRate * Double(configuration.faultModes.count))
        fault = configuration.faultModes[min(pick, configuration.faultModes.count - 1)]
      }
    }
    var latency = configuration.latency
    if let ms = FakeReplies.marker("latency", in: prompt).flatMap(Int.init) { latency = .milliseconds(ms) }
    var response = chatAnswer(
      object, messages: messages, fault: fault, stream: stream, model: model, dialect: dialect, request: request,
      configuration: configuration)
    response.delay = latency
    if let fault {
      state.stats.faults[fault.rawValue, default: 0] += 1
      if fault == .hang {
        state.hangsByPrompt[prompt, default: 0] += 1
        state.stats.maxHangsPerPrompt = max(state.stats.maxHangsPerPrompt, state.hangsByPrompt[prompt, default: 0])
      }
    }
    return response
  }

  /// The answer of a parsed chat request, before its delay.
  private static func chatAnswer(
    _ object: [String: Any], messages: [(role: String, content: String)], fault: FakeServerConfiguration.Fault?,
    stream: Bool, model: String, dialect: Dialect, request: FakeRequest, configuration: FakeServerConfiguration
  ) -> FakeResponse {
    if let fault { return FakeFaults.response(fault, request: request) }
    let prompt = messages.map(\.content).joined(separator: "\n")
    var reply = FakeReplies.reply(to: messages)
    if configuration.wrongAnswerRate > 0,
      FakeReplies.draw(seed: configuration.seed ^ 0x5EED, body: prompt, attempt: 0) < configuration.wrongAnswerRate
    {
      reply = "I don't know."
    }
    let finish = FakeReplies.marker("finish", in: prompt) ?? "stop"
    // `[[quirk:…]]`: behaviours real servers show (docs/compatibility.md), each on request.
    let quirk = FakeReplies.marker("quirk", in: prompt)
    let answeredModel = quirk == "other-model" ? "some-other-model" : model
    if dialect == .anthropic {
      if let quirk, let answer = FakeStreams.quirk(quirk, stream: stream, reply: reply, model: model) { return answer }
      let stop = ["stop": "end_turn", "length": "max_tokens", "tool_calls": "tool_use"][finish] ?? finish
      let message = FakeWire.AnthropicMessage(
        model: model, content: [.init(text: reply)], stopReason: stop,
        usage: .init(inputTokens: FakeReplies.tokens(prompt), outputTokens: FakeReplies.tokens(reply)))
      return .text(200, FakeWire.json(message))
    }
    if let quirk {
      if let answer = FakeStreams.quirk(quirk, stream: stream, reply: reply, model: model) { return answer }
    } else if !stream,
      let call = FakeToolCalls.message(
        for: object, lastUser: messages.last(where: { $0.role == "user" })?.content ?? "")
    {
      // A request offering tools is answered with a call of the first one.
      let completion = FakeWire.CallCompletion(
        model: answeredModel, choices: [.init(message: call.message, finishReason: call.finish)],
        usage: .init(prompt: FakeReplies.tokens(prompt), completion: 8))
      return .text(200, FakeWire.json(completion))
    }
    let usage = quirk != "no-usage"
    if stream {
      return .events(
        FakeStreams.events(
          reply: reply, model: answeredModel, finishReason: finish, promptTokens: FakeReplies.tokens(prompt),
          usage: usage),
        extra: [.init("Cache-Control", "no-cache")])
    }
    return .text(
      200,
      FakeJSON.completion(
        reply: reply, model: answeredModel, finishReason: finish,
        promptTokens: usage ? FakeReplies.tokens(prompt) : nil,
        completionTokens: usage ? FakeReplies.tokens(reply) : nil
      ))
  }

  /// A RAG route's JSON request and its `text` field, or the fault a `[[fault:…]]` marker in the text asks for
  /// (sent at once).
  private static func rag(_ request: FakeRequest, text key: String) -> ([String: Any], String, FakeResponse?) {
    let object = (try? JSONSerialization.jsonObject(with: Data(request.body.utf8))) as? [String: Any] ?? [:]
    let text = object[key] as? String ?? ""
    if let forced = FakeReplies.marker("fault", in: text), let fault = FakeServerConfiguration.Fault(rawValue: forced) {
      return (object, text, FakeFaults.response(fault, request: request))
    }
    return (object, text, nil)
  }

  /// `/v1/embeddings`: a 64-dimensional vector per input (``FakeReplies/embedding(_:)``).
  static func embeddings(_ body: String) -> FakeResponse {
    guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
      return .text(400, #"{"error":{"message":"body must be JSON"}}"#)
    }
    let inputs = (object["input"] as? [String]) ?? [(object["input"] as? String) ?? ""]
    let data = inputs.enumerated().map { i, text in FakeWire.Embedding(index: i, embedding: FakeReplies.embedding(text))
    }
    // `[[quirk:infinity]]` in an input: answered as Infinity does, by its one model whatever was asked, with
    // an `id` of its own and `usage` counting characters.
    if inputs.contains(where: { FakeReplies.marker("quirk", in: $0) == "infinity" }) {
      let characters = inputs.reduce(0) { $0 + $1.count }
      let answer = FakeWire.Embeddings(
        data: data, model: "all-minilm-l6-v2", id: "infinity-0c6f7e2a", created: 1_795_937_266,
        usage: .init(promptTokens: characters, totalTokens: characters))
      return .text(200, FakeWire.json(answer))
    }
    let tokens = inputs.reduce(0) { $0 + FakeReplies.tokens($1) }
    let answer = FakeWire.Embeddings(
      data: data, model: object["model"] as? String ?? "fake-embed",
      usage: .init(promptTokens: tokens, totalTokens: tokens))
    return .text(200, FakeWire.json(answer))
  }
}
