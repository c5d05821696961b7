import Foundation

/// Chat answers that are not the plain completion: the streamed events of an answer, and the behaviours of
/// real servers asked for with `[[quirk:…]]` (docs/compatibility.md).
enum FakeStreams {
  /// The server-sent events of a streamed answer: a role chunk, one chunk per word, the finish chunk, the
  /// usage chunk (unless `usage` is false) and `[DONE]`.
  static func events(reply: String, model: String, finishReason: String, promptTokens: Int, usage: Bool) -> [String] {
    func event(_ choices: [FakeWire.Chunk.Choice], usage: FakeWire.Usage? = nil) -> String {
      let chunk = FakeWire.Chunk(created: 1_700_000_000, model: model, choices: choices, usage: usage)
      return "data: \(FakeWire.json(chunk))\n\n"
    }
    var out = [event([.init(delta: .init(role: "assistant", content: ""))])]
    var words = reply.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
    for i in words.indices.dropLast() { words[i] += " " }
    for piece in words where !piece.isEmpty { out.append(event([.init(delta: .init(content: piece))])) }
    out.append(event([.init(delta: .init(), finishReason: finishReason)]))
    if usage {
      out.append(event([], usage: .init(prompt: promptTokens, completion: FakeReplies.tokens(reply))))
    }
    out.append("data: [DONE]\n\n")
    return out
  }

  /// The answer with a real server's quirk; `nil` for a quirk that only changes the normal answer.
  static func quirk(_ quirk: String, stream: Bool, reply: String, model: String) -> FakeResponse? {
    let chunk = { (delta: FakeWire.Delta, finish: String?, usage: FakeWire.Usage?) -> String in
      let value = FakeWire.Chunk(model: model, choices: [.init(delta: delta, finishReason: finish)], usage: usage)
      return "data: \(FakeWire.json(value))\n\n"
    }
    switch quirk {
    case "empty-stream" where stream:  // llama-cpp on context overflow: 200, no events, no [DONE]
      return .events([])
    case "done-without-finish" where stream:  // an interrupted llama-cpp stream
      return .events([chunk(.init(role: "assistant", content: "Partial ans"), nil, nil), "data: [DONE]\n\n"])
    case "usage-with-choices" where stream:  // LiteLLM: the usage chunk still has a choice
      return .events([
        chunk(.init(role: "assistant", content: reply), nil, nil),
        chunk(.init(), "stop", .init(prompt: 7, completion: FakeReplies.tokens(reply))), "data: [DONE]\n\n",
      ])
    case "text-500":  // plain-text error bodies (llama-cpp malformed JSON, LiteLLM missing key)
      return .text(500, "Internal Server Error", contentType: "text/plain")
    case "fastapi-422":  // Infinity / FastAPI validation errors
      return .text(422, #"{"detail":[{"type":"missing","loc":["body","input"],"msg":"Field required","input":null}]}"#)
    case "string-code-400":  // LiteLLM: error.code is a stringified status
      return .text(
        400,
        #"{"error":{"message":"Invalid model name passed in model=nope","type":"invalid_request_error","param":null,"code":"400"}}"#
      )
    case "429-no-retry-after":  // LiteLLM: a 429 with no Retry-After header, its status as a string code
      return .text(
        429,
        #"{"error":{"message":"litellm.RateLimitError: this is a mock rate limit error\n\nLiteLLM: model group 'mock-429' failed with the error above. No fallback was attempted.","type":"throttling_error","param":null,"code":"429"}}"#
      )
    case "llama-shape" where !stream:  // llama-cpp: logprobs null, no system_fingerprint/refusal, extra fields
      let answer = FakeNativeWire.QuirkCompletion(
        id: "chatcmpl-4abf6e00", created: 1_795_937_514, model: model,
        choices: [.init(message: .init(content: reply), finishReason: "length", nullLogprobs: true)],
        usage: .init(prompt: 10, completion: 5))
      return .text(200, FakeWire.json(answer))
    case "litellm-shape" where !stream:  // LiteLLM: no logprobs key at all
      let answer = FakeNativeWire.QuirkCompletion(
        id: "chatcmpl-317c1c7d", created: 1_795_936_978, model: model,
        choices: [.init(message: .init(content: reply), finishReason: "stop", nullLogprobs: false)],
        usage: .init(prompt: 10, completion: 20))
      return .text(200, FakeWire.json(answer))
    default:
      return nil
    }
  }
}
