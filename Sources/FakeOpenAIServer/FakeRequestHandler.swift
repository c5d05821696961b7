import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// Handles one connection's requests for ``FakeOpenAIServer``.
final class FakeRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPServerRequestPart
  typealias OutboundOut = HTTPServerResponsePart

  private let state: NIOLockedValueBox<FakeOpenAIServer.State>
  private var head: HTTPRequestHead?
  private var body = ByteBuffer()
  private var counted = false

  init(state: NIOLockedValueBox<FakeOpenAIServer.State>) {
    self.state = state
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    switch unwrapInboundIn(data) {
    case .head(let h):
      head = h
      body.clear()
    case .body(var chunk):
      body.writeBuffer(&chunk)
    case .end:
      guard let head else { return }
      self.head = nil
      handle(head, body: body.readString(length: body.readableBytes) ?? "", context: context)
    }
  }

  func channelInactive(context: ChannelHandlerContext) {
    finish()
    context.fireChannelInactive()
  }

  private func begin() {
    counted = true
    state.withLockedValue { s in
      s.stats.requests += 1
      s.stats.inFlight += 1
      s.stats.maxInFlight = max(s.stats.maxInFlight, s.stats.inFlight)
    }
  }

  private func finish() {
    guard counted else { return }
    counted = false
    state.withLockedValue { $0.stats.inFlight -= 1 }
  }

  private func handle(_ head: HTTPRequestHead, body: String, context: ChannelHandlerContext) {
    begin()
    let path = head.uri.split(separator: "?").first.map(String.init) ?? head.uri
    // The APIs that are not OpenAI's (Gemini, llama.cpp, Hugging Face, Replicate), each counted as a chat.
    if head.method == .POST, let (status, answer) = FakeNativeReplies.answer(path: path, body: body) {
      state.withLockedValue { $0.stats.chatRequests += 1 }
      respond(context, status: HTTPResponseStatus(statusCode: status), body: answer)
      return
    }
    // Azure OpenAI: `/openai/deployments/<deployment>/…`, answered as the OpenAI routes.
    if head.method == .POST, path.hasPrefix("/openai/deployments/") {
      if path.hasSuffix("/chat/completions") {
        state.withLockedValue { $0.stats.chatRequests += 1 }
        chat(head, body: body, dialect: .openAI, context: context)
        return
      }
      if path.hasSuffix("/embeddings") {
        state.withLockedValue { $0.stats.embeddingRequests += 1 }
        embeddings(body, context: context)
        return
      }
    }
    switch (head.method, path) {
    case (.GET, "/_stats"):
      let stats = state.withLockedValue { $0.stats }
      let data = (try? JSONEncoder().encode(stats)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
      respond(context, status: .ok, body: data)
    case (.GET, "/v1/models"):
      respond(
        context, status: .ok,
        body: #"{"object":"list","data":[{"id":"fake-model","object":"model","owned_by":"evalgate"}]}"#)
    case (.POST, "/v1/moderations"):
      state.withLockedValue { $0.stats.chatRequests += 1 }
      let request = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
      respond(context, status: .ok, body: FakeNativeReplies.moderation(request["input"] as? String ?? ""))
    case (.POST, "/v1/embeddings"):
      state.withLockedValue { $0.stats.embeddingRequests += 1 }
      embeddings(body, context: context)
    case (.POST, "/v1/chat/completions"):
      state.withLockedValue { $0.stats.chatRequests += 1 }
      chat(head, body: body, dialect: .openAI, context: context)
    case (.POST, "/rag/answer"):
      // A stand-in for a team's own RAG service: {question} in, {answer, sources, usage} out.
      guard let (_, question) = ragRequest(body, text: "question", head: head, context: context) else { return }
      let answer = FakeReplies.reply(to: [(role: "user", content: question)])
      respond(
        context, status: .ok,
        body: json([
          "answer": answer, "sources": [["id": "doc-1", "score": 0.9], ["id": "doc-7", "score": 0.4]],
          "usage": ["in": FakeReplies.tokens(question), "out": FakeReplies.tokens(answer)],
        ]))
    case (.POST, "/rag/search"):
      // A stand-in retriever: {query, k} in, {results: [{id, score}]} out, best first. `[[docs:a,b,c]]` in
      // the query chooses the documents (default d1…d5).
      guard let (request, query) = ragRequest(body, text: "query", head: head, context: context) else { return }
      let docs =
        FakeReplies.marker("docs", in: query).map { $0.split(separator: ",").map(String.init) }
        ?? (1...5).map { "d\($0)" }
      let k = request["k"] as? Int ?? docs.count
      let results = docs.prefix(k).enumerated().map { i, id -> [String: Any] in ["id": id, "score": 1 - Double(i) / 10]
      }
      respond(context, status: .ok, body: json(["results": results]))
    case (.POST, "/v1/messages"):
      state.withLockedValue { $0.stats.chatRequests += 1 }
      chat(head, body: body, dialect: .anthropic, context: context)
    default:
      respond(
        context, status: .notFound, body: #"{"error":{"message":"no route \#(path)","type":"invalid_request_error"}}"#)
    }
  }

  /// Which API shape a chat request uses.
  enum Dialect {
    /// `/v1/chat/completions`.
    case openAI
    /// Anthropic's `/v1/messages`: `system` at the top level, `content` blocks, `stop_reason`, `usage`.
    case anthropic
  }

  private func chat(_ head: HTTPRequestHead, body: String, dialect: Dialect, context: ChannelHandlerContext) {
    guard let request = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
      let rawMessages = request["messages"] as? [[String: Any]]
    else {
      respond(
        context, status: .badRequest,
        body: #"{"error":{"message":"body must be JSON with 'messages'","type":"invalid_request_error"}}"#)
      return
    }
    var messages = rawMessages.map { (role: $0["role"] as? String ?? "", content: $0["content"] as? String ?? "") }
    if let system = request["system"] as? String { messages.insert((role: "system", content: system), at: 0) }
    let prompt = messages.map(\.content).joined(separator: "\n")
    let model = request["model"] as? String ?? "fake-model"
    let stream = request["stream"] as? Bool ?? false

    let (configuration, attempt) = state.withLockedValue { s -> (FakeServerConfiguration, Int) in
      let n = s.seen[body, default: 0]
      s.seen[body] = n + 1
      s.byPrompt[messages.last(where: { $0.role == "user" })?.content ?? "", default: 0] += 1
      return (s.configuration, n)
    }
    var fault: FakeServerConfiguration.Fault?
    if let forced = head.headers.first(name: "x-fake-fault") ?? FakeReplies.marker("fault", in: prompt) {
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
    if let fault {
      state.withLockedValue { s in
        s.stats.faults[fault.rawValue, default: 0] += 1
        if fault == .hang {
          s.hangsByPrompt[prompt, default: 0] += 1
          s.stats.maxHangsPerPrompt = max(s.stats.maxHangsPerPrompt, s.hangsByPrompt[prompt, default: 0])
        }
      }
    }

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
    let openAIBody = { (usage: Bool) -> String in
      FakeJSON.completion(
        reply: reply, model: answeredModel, finishReason: finish,
        promptTokens: usage ? FakeReplies.tokens(prompt) : nil,
        completionTokens: usage ? FakeReplies.tokens(reply) : nil)
    }
    let anthropicBody = { () -> String in
      let stop = ["stop": "end_turn", "length": "max_tokens", "tool_calls": "tool_use"][finish] ?? finish
      return self.json([
        "id": "msg_fake", "type": "message", "role": "assistant", "model": model,
        "content": [["type": "text", "text": reply]], "stop_reason": stop, "stop_sequence": NSNull(),
        "usage": ["input_tokens": FakeReplies.tokens(prompt), "output_tokens": FakeReplies.tokens(reply)],
      ])
    }
    // A request offering tools is answered with a call of the first one.
    let toolCall =
      dialect == .openAI && !stream
      ? FakeToolCalls.message(for: request, lastUser: messages.last(where: { $0.role == "user" })?.content ?? "")
      : nil
    let toolBody = toolCall.map { call in
      self.json([
        "id": "chatcmpl-fake", "object": "chat.completion", "created": 1_700_000_000, "model": answeredModel,
        "choices": [["index": 0, "message": call.message, "finish_reason": call.finish]],
        "usage": [
          "prompt_tokens": FakeReplies.tokens(prompt), "completion_tokens": 8,
          "total_tokens": FakeReplies.tokens(prompt) + 8,
        ],
      ])
    }
    // A plain answer is rendered before the latency starts, so it leaves at the latency on the dot.
    let plain: String? =
      fault != nil || quirk != nil
      ? nil : dialect == .anthropic ? anthropicBody() : toolBody ?? (stream ? nil : openAIBody(true))
    let respondNow = { [self] in
      if let plain {
        respond(context, status: .ok, body: plain)
      } else if let fault {
        inject(fault, head: head, context: context)
      } else if let quirk, quirkResponse(quirk, stream: stream, reply: reply, model: model, context: context) {
        return
      } else if dialect == .anthropic {
        respond(context, status: .ok, body: anthropicBody())
      } else if stream {
        streamReply(
          reply, model: answeredModel, finishReason: finish, promptTokens: FakeReplies.tokens(prompt), context: context,
          usage: quirk != "no-usage")
      } else {
        respond(context, status: .ok, body: openAIBody(quirk != "no-usage"))
      }
    }
    if latency > .zero {
      let (s, atto) = latency.components
      let nanos = s * 1_000_000_000 + atto / 1_000_000_000
      context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(nanos)) { respondNow() }
    } else {
      respondNow()
    }
  }

  private func inject(_ fault: FakeServerConfiguration.Fault, head: HTTPRequestHead, context: ChannelHandlerContext) {
    switch fault {
    case .unauthorized:
      // Real servers echo the key they were given, without the scheme ("Incorrect API key provided: sk-…").
      var presented = head.headers.first(name: "authorization") ?? head.headers.first(name: "x-api-key") ?? "(none)"
      if let space = presented.firstIndex(of: " ") { presented = String(presented[presented.index(after: space)...]) }
      let message = "Incorrect API key provided: \(presented)".replacingOccurrences(of: "\"", with: "'")
      respond(
        context, status: .unauthorized, body: #"{"error":{"message":"\#(message)","type":"invalid_request_error"}}"#)
    case .rateLimit:
      respond(
        context, status: .tooManyRequests,
        body: #"{"error":{"message":"Rate limit reached, retry after 1s","type":"rate_limit_exceeded"}}"#,
        extra: [("Retry-After", "1")])
    case .serverError:
      respond(
        context, status: .internalServerError,
        body: #"{"error":{"message":"The server had an error","type":"server_error"}}"#)
    case .unavailable:
      respond(context, status: .serviceUnavailable, body: "Service Unavailable", contentType: "text/plain")
    case .malformed:
      respond(context, status: .ok, body: #"{"id":"chatcmpl-fake","choices":[{"message":"#)
    case .truncated:
      var headers = HTTPHeaders()
      headers.add(name: "Content-Type", value: "application/json")
      headers.add(name: "Content-Length", value: "400")
      context.write(
        wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
      context.writeAndFlush(
        wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: #"{"id":"chatcmpl-fake","choices":[{"#)))), promise: nil)
      finish()
      context.close(promise: nil)
    case .reset:
      finish()
      let channel = context.channel
      if let provider = channel as? any SocketOptionProvider {
        provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
      } else {
        channel.close(promise: nil)
      }
    case .hang:
      break
    case .stall, .drip:
      var headers = HTTPHeaders()
      headers.add(name: "Content-Type", value: "application/json")
      headers.add(name: "Content-Length", value: "1000000")
      context.writeAndFlush(
        wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
      if fault == .drip { drip(context) }
    }
  }

  /// Sends one space a second until the channel closes.
  private func drip(_ context: ChannelHandlerContext) {
    context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(1)) { [self] in
      guard context.channel.isActive else { return }
      context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: " ")))), promise: nil)
      drip(context)
    }
  }

  /// A RAG route's JSON request and its `text` field; `nil` once answered with the fault that a
  /// `[[fault:…]]` marker in the text asks for.
  private func ragRequest(
    _ body: String, text key: String, head: HTTPRequestHead, context: ChannelHandlerContext
  ) -> ([String: Any], String)? {
    let request = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
    let text = request[key] as? String ?? ""
    if let forced = FakeReplies.marker("fault", in: text), let fault = FakeServerConfiguration.Fault(rawValue: forced) {
      inject(fault, head: head, context: context)
      return nil
    }
    return (request, text)
  }

  /// Answers with a quirk of a real server; `false` for a quirk that only changes the normal answer.
  private func quirkResponse(
    _ quirk: String, stream: Bool, reply: String, model: String, context: ChannelHandlerContext
  ) -> Bool {
    func sse(_ events: [String], end: Bool = true) {
      var headers = HTTPHeaders()
      headers.add(name: "Content-Type", value: "text/event-stream")
      context.write(
        wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
      for e in events { context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: e)))), promise: nil) }
      context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
      finish()
    }
    let chunk = { (delta: [String: Any], finish: Any) -> String in
      "data: "
        + self.json([
          "id": "chatcmpl-fake", "object": "chat.completion.chunk", "model": model,
          "choices": [["index": 0, "delta": delta, "finish_reason": finish]],
        ]) + "\n\n"
    }
    switch quirk {
    case "empty-stream" where stream:  // llama-cpp on context overflow: 200, no events, no [DONE]
      sse([])
    case "done-without-finish" where stream:  // an interrupted llama-cpp stream
      sse([chunk(["role": "assistant", "content": "Partial ans"], NSNull()), "data: [DONE]\n\n"])
    case "usage-with-choices" where stream:  // LiteLLM: the usage chunk still has a choice
      let usage = json([
        "id": "chatcmpl-fake", "object": "chat.completion.chunk", "model": model,
        "choices": [["index": 0, "delta": [String: Any](), "finish_reason": "stop"]],
        "usage": [
          "prompt_tokens": 7, "completion_tokens": FakeReplies.tokens(reply),
          "total_tokens": 7 + FakeReplies.tokens(reply),
        ],
      ])
      sse([chunk(["role": "assistant", "content": reply], NSNull()), "data: \(usage)\n\n", "data: [DONE]\n\n"])
    case "text-500":  // plain-text error bodies (llama-cpp malformed JSON, LiteLLM missing key)
      respond(context, status: .internalServerError, body: "Internal Server Error", contentType: "text/plain")
    case "fastapi-422":  // Infinity / FastAPI validation errors
      respond(
        context, status: .unprocessableEntity,
        body: #"{"detail":[{"type":"missing","loc":["body","input"],"msg":"Field required","input":null}]}"#)
    case "string-code-400":  // LiteLLM: error.code is a stringified status
      respond(
        context, status: .badRequest,
        body:
          #"{"error":{"message":"Invalid model name passed in model=nope","type":"invalid_request_error","param":null,"code":"400"}}"#
      )
    case "429-no-retry-after":  // LiteLLM: a 429 with no Retry-After header, its status as a string code
      respond(
        context, status: .tooManyRequests,
        body:
          #"{"error":{"message":"litellm.RateLimitError: this is a mock rate limit error\n\nLiteLLM: model group 'mock-429' failed with the error above. No fallback was attempted.","type":"throttling_error","param":null,"code":"429"}}"#
      )
    case "llama-shape" where !stream:  // llama-cpp: logprobs null, no system_fingerprint/refusal, extra fields
      respond(
        context, status: .ok,
        body: json([
          "id": "chatcmpl-4abf6e00", "object": "chat.completion", "created": 1_795_937_514, "model": model,
          "choices": [
            [
              "index": 0, "message": ["content": reply, "role": "assistant"], "logprobs": NSNull(),
              "finish_reason": "length",
            ]
          ],
          "usage": ["prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15],
        ]))
    case "litellm-shape" where !stream:  // LiteLLM: no logprobs key at all, keys in another order
      respond(
        context, status: .ok,
        body: json([
          "id": "chatcmpl-317c1c7d", "created": 1_795_936_978, "model": model, "object": "chat.completion",
          "choices": [["finish_reason": "stop", "index": 0, "message": ["content": reply, "role": "assistant"]]],
          "usage": ["completion_tokens": 20, "prompt_tokens": 10, "total_tokens": 30],
        ]))
    default:
      return false
    }
    return true
  }

  private func streamReply(
    _ reply: String, model: String, finishReason: String, promptTokens: Int, context: ChannelHandlerContext,
    usage includeUsage: Bool = true
  ) {
    var headers = HTTPHeaders()
    headers.add(name: "Content-Type", value: "text/event-stream")
    headers.add(name: "Cache-Control", value: "no-cache")
    context.write(
      wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
    func event(_ object: [String: Any]) {
      context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "data: \(json(object))\n\n")))), promise: nil)
    }
    let base: [String: Any] = [
      "id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1_700_000_000, "model": model,
    ]
    var first = base
    first["choices"] = [["index": 0, "delta": ["role": "assistant", "content": ""], "finish_reason": NSNull()]]
    event(first)
    var words = reply.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
    for i in words.indices.dropLast() { words[i] += " " }
    for piece in words where !piece.isEmpty {
      var chunk = base
      chunk["choices"] = [["index": 0, "delta": ["content": piece], "finish_reason": NSNull()]]
      event(chunk)
    }
    var last = base
    last["choices"] = [["index": 0, "delta": [String: Any](), "finish_reason": finishReason]]
    event(last)
    if includeUsage {
      var usage = base
      usage["choices"] = [Any]()
      usage["usage"] = [
        "prompt_tokens": promptTokens, "completion_tokens": FakeReplies.tokens(reply),
        "total_tokens": promptTokens + FakeReplies.tokens(reply),
      ]
      event(usage)
    }
    context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "data: [DONE]\n\n")))), promise: nil)
    context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    finish()
  }

  private func embeddings(_ body: String, context: ChannelHandlerContext) {
    guard let request = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
      respond(context, status: .badRequest, body: #"{"error":{"message":"body must be JSON"}}"#)
      return
    }
    let inputs = (request["input"] as? [String]) ?? [(request["input"] as? String) ?? ""]
    let data: [[String: Any]] = inputs.enumerated().map { i, text in
      ["object": "embedding", "index": i, "embedding": FakeReplies.embedding(text)]
    }
    // `[[quirk:infinity]]` in an input: answered as Infinity does, by its one model whatever was asked, with
    // an `id` of its own and `usage` counting characters.
    if inputs.contains(where: { FakeReplies.marker("quirk", in: $0) == "infinity" }) {
      let characters = inputs.reduce(0) { $0 + $1.count }
      respond(
        context, status: .ok,
        body: json([
          "object": "list", "data": data, "model": "all-minilm-l6-v2", "id": "infinity-0c6f7e2a",
          "created": 1_795_937_266, "usage": ["prompt_tokens": characters, "total_tokens": characters],
        ]))
      return
    }
    let tokens = inputs.reduce(0) { $0 + FakeReplies.tokens($1) }
    respond(
      context, status: .ok,
      body: json([
        "object": "list", "data": data, "model": request["model"] ?? "fake-embed",
        "usage": ["prompt_tokens": tokens, "total_tokens": tokens],
      ]))
  }

  private func json(_ object: Any) -> String {
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
    return String(decoding: data, as: UTF8.self)
  }

  private func respond(
    _ context: ChannelHandlerContext, status: HTTPResponseStatus, body: String,
    contentType: String = "application/json",
    extra: [(String, String)] = []
  ) {
    var headers = HTTPHeaders()
    headers.add(name: "Content-Type", value: contentType)
    headers.add(name: "Content-Length", value: String(body.utf8.count))
    for (name, value) in extra { headers.add(name: name, value: value) }
    context.write(
      wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
    context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
    context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    finish()
  }
}
