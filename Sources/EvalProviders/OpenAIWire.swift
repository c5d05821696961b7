import EvalCore
import Foundation

/// The parts of OpenAI's chat-completions response (and stream chunk) evalgate reads, decoded with
/// typed `Codable`: one decode per response is on the hot path, and typed decoding is several times
/// faster than building a generic JSON tree. The usual body is read by ``ChatCompletionScanner`` first,
/// faster still; `JSONDecoder` reads the rest.
struct ChatCompletionWire: Decodable, Equatable {
  struct Choice: Decodable, Equatable {
    var message: Message?
    var delta: Message?
    var finishReason: String?

    enum CodingKeys: String, CodingKey {
      case message, delta
      case finishReason = "finish_reason"
    }
  }

  struct Message: Decodable, Equatable {
    /// Text content; content given as a list of parts is kept as its JSON text.
    var content: String?
    var toolCalls: JSONValue?
    /// The legacy `functions` API's call: `{name, arguments}`.
    var functionCall: JSONValue?

    enum CodingKeys: String, CodingKey {
      case content
      case toolCalls = "tool_calls"
      case functionCall = "function_call"
    }

    init() {}

    init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      if let text = try? c.decodeIfPresent(String.self, forKey: .content) {
        content = text
      } else if let parts = try? c.decodeIfPresent(JSONValue.self, forKey: .content) {
        content = parts == .null ? nil : parts.canonicalJSON
      }
      toolCalls = try? c.decodeIfPresent(JSONValue.self, forKey: .toolCalls)
      functionCall = try? c.decodeIfPresent(JSONValue.self, forKey: .functionCall)
    }
  }

  struct UsageWire: Decodable, Equatable {
    struct PromptDetails: Decodable, Equatable {
      var cachedTokens: Int?
      enum CodingKeys: String, CodingKey { case cachedTokens = "cached_tokens" }
    }

    struct CompletionDetails: Decodable, Equatable {
      var reasoningTokens: Int?
      enum CodingKeys: String, CodingKey { case reasoningTokens = "reasoning_tokens" }
    }

    var promptTokens: Int?
    var completionTokens: Int?
    var totalTokens: Int?
    var promptDetails: PromptDetails?
    var completionDetails: CompletionDetails?

    enum CodingKeys: String, CodingKey {
      case promptTokens = "prompt_tokens"
      case completionTokens = "completion_tokens"
      case totalTokens = "total_tokens"
      case promptDetails = "prompt_tokens_details"
      case completionDetails = "completion_tokens_details"
    }

    var usage: Usage? {
      if promptTokens == nil, completionTokens == nil, totalTokens == nil { return nil }
      return Usage(
        promptTokens: promptTokens, completionTokens: completionTokens, totalTokens: totalTokens,
        cachedTokens: promptDetails?.cachedTokens, reasoningTokens: completionDetails?.reasoningTokens)
    }
  }

  struct ErrorWire: Decodable, Equatable {
    var message: String?
  }

  var model: String?
  var choices: [Choice]?
  var usage: UsageWire?
  var error: ErrorWire?

  static func decode(_ text: Substring) -> ChatCompletionWire? {
    ChatCompletionScanner.scan(text) ?? decoded(text)
  }

  /// What `JSONDecoder` reads of `text` (the scanner's reference).
  static func decoded(_ text: Substring) -> ChatCompletionWire? {
    try? JSONDecoder().decode(ChatCompletionWire.self, from: Data(text.utf8))
  }
}
