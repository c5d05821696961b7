import EvalCore
import Foundation

/// Parses a non-streamed chat-completions body.
enum ResponseParser {
  static func completion(from body: String) throws -> Completion {
    guard let json = JSONValue.parse(body) else {
      let shown = body.isEmpty ? "empty body" : "\"\(body.prefix(60))\(body.count > 60 ? "…" : "")\""
      throw ProviderError(.malformedResponse, "response is not JSON: \(shown)")
    }
    guard let choice = json.value(atPath: ["choices", "0"]) else {
      throw ProviderError(.malformedResponse, "response has no choices[0]")
    }
    let content = choice.value(atPath: ["message", "content"])
    let text: String
    switch content {
    case .string(let s)?: text = s
    case .null?, nil:
      if choice.value(atPath: ["message", "tool_calls"]) != nil {
        text = choice.value(atPath: ["message", "tool_calls"])?.canonicalJSON ?? ""
      } else {
        throw ProviderError(.malformedResponse, "response has no choices[0].message.content")
      }
    default:
      text = content?.canonicalJSON ?? ""
    }
    return Completion(
      text: text, finishReason: choice.value(atPath: ["finish_reason"])?.stringValue,
      usage: usage(json.value(atPath: ["usage"])), model: json.value(atPath: ["model"])?.stringValue)
  }

  static func usage(_ value: JSONValue?) -> Usage? {
    guard let value, case .object = value else { return nil }
    let p = value.value(atPath: ["prompt_tokens"])?.numberValue.map { Int($0) }
    let c = value.value(atPath: ["completion_tokens"])?.numberValue.map { Int($0) }
    let t = value.value(atPath: ["total_tokens"])?.numberValue.map { Int($0) }
    if p == nil, c == nil, t == nil { return nil }
    return Usage(promptTokens: p, completionTokens: c, totalTokens: t)
  }
}
