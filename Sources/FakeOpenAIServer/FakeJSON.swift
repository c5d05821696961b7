import Foundation

/// JSON text for the fake server's hot path: the plain chat completion is written by hand, as
/// Foundation's `JSONSerialization` took half the server's CPU and the benchmarks share the cores with it.
enum FakeJSON {
  /// A non-streamed chat completion, keys in sorted order as `JSONSerialization` with `.sortedKeys`
  /// wrote them.
  static func completion(reply: String, model: String, finishReason: String, promptTokens: Int?, completionTokens: Int?)
    -> String
  {
    var out =
      #"{"choices":[{"finish_reason":"# + quote(finishReason) + #","index":0,"message":{"content":"#
      + quote(reply) + #","role":"assistant"}}],"created":1700000000,"id":"chatcmpl-fake","model":"#
      + quote(model) + #","object":"chat.completion""#
    if let promptTokens, let completionTokens {
      out +=
        #","usage":{"completion_tokens":\#(completionTokens),"prompt_tokens":\#(promptTokens),"#
        + #""total_tokens":\#(promptTokens + completionTokens)}"#
    }
    return out + "}"
  }

  /// `s` as a JSON string literal: quote, backslash and control characters escaped, as `JSONValue.quote` in EvalCore
  /// does (the server does not depend on EvalCore).
  static func quote(_ s: String) -> String {
    // Most strings need no escape at all.
    if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) { return "\"" + s + "\"" }
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\u{08}": out += "\\b"
      case "\u{0C}": out += "\\f"
      default:
        if scalar.value < 0x20 {
          out += String(format: "\\u%04x", scalar.value)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}
