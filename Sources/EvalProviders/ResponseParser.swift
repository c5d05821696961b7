import EvalCore
import Foundation

/// Parses a non-streamed chat-completions body.
enum ResponseParser {
  static func completion(from body: String) throws -> Completion {
    guard let wire = ChatCompletionWire.decode(body[...]) else {
      let shown = body.isEmpty ? "empty body" : "\"\(body.prefix(60))\(body.count > 60 ? "…" : "")\""
      throw ProviderError(.malformedResponse, "response is not a chat completion: \(shown)")
    }
    guard let choice = wire.choices?.first else {
      throw ProviderError(.malformedResponse, "response has no choices[0]")
    }
    let text: String
    var structured = false
    if let content = choice.message?.content {
      text = content
    } else if let calls = choice.message?.toolCalls, calls != .null {
      text = calls.canonicalJSON
      structured = true
    } else if let call = choice.message?.functionCall, call != .null {
      // The legacy `functions` API: the output is the call, `{name, arguments}`, as promptfoo's.
      text = call.canonicalJSON
      structured = true
    } else {
      throw ProviderError(.malformedResponse, "response has no choices[0].message.content")
    }
    var completion = Completion(
      text: text, finishReason: choice.finishReason, usage: wire.usage?.usage, model: wire.model)
    if structured { completion.structured = true }
    return completion
  }
}

/// The chat-completions response parser, exposed for table tests.
public enum ResponseProbe {
  /// Parses a non-streamed body.
  public static func completion(_ body: String) throws -> Completion { try ResponseParser.completion(from: body) }
}
