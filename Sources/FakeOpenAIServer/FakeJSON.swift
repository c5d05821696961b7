import EvalCore

/// JSON text for the fake server's hot path: the plain chat completion is written by hand, as
/// Foundation's `JSONSerialization` took half the server's CPU and the benchmarks share the cores with it.
enum FakeJSON {
  /// A non-streamed chat completion, keys in sorted order as `JSONSerialization` with `.sortedKeys`
  /// wrote them.
  static func completion(reply: String, model: String, finishReason: String, promptTokens: Int?, completionTokens: Int?)
    -> String
  {
    var out =
      #"{"choices":[{"finish_reason":"# + JSONValue.quote(finishReason) + #","index":0,"message":{"content":"#
      + JSONValue.quote(reply) + #","role":"assistant"}}],"created":1700000000,"id":"chatcmpl-fake","model":"#
      + JSONValue.quote(model) + #","object":"chat.completion""#
    if let promptTokens, let completionTokens {
      out +=
        #","usage":{"completion_tokens":\#(completionTokens),"prompt_tokens":\#(promptTokens),"#
        + #""total_tokens":\#(promptTokens + completionTokens)}"#
    }
    return out + "}"
  }
}
