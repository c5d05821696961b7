import Foundation

/// The wire types of the fake server's OpenAI and Anthropic answers, encoded with sorted keys (the bytes
/// `JSONSerialization` with `.sortedKeys` wrote before, which tests and golden files rely on). A `nil`
/// that the wire shows as `null` is encoded explicitly; other `nil`s leave the key out.
enum FakeWire {
  /// Token counts in OpenAI's shape.
  struct Usage: Encodable, Equatable {
    var promptTokens: Int
    var completionTokens: Int
    var totalTokens: Int

    enum CodingKeys: String, CodingKey {
      case promptTokens = "prompt_tokens", completionTokens = "completion_tokens", totalTokens = "total_tokens"
    }

    init(prompt: Int, completion: Int) {
      (promptTokens, completionTokens, totalTokens) = (prompt, completion, prompt + completion)
    }
  }

  /// A function called by a tool call or a legacy `function_call`.
  struct FunctionCall: Encodable, Equatable {
    var name: String
    var arguments: String
  }

  /// One tool call of an assistant message.
  struct ToolCall: Encodable, Equatable {
    var id = "call_fake_0"
    var type = "function"
    var function: FunctionCall
  }

  /// An assistant message whose `content` is `null`: it calls a tool or a function.
  struct CallMessage: Encodable, Equatable {
    var role = "assistant"
    var toolCalls: [ToolCall]?
    var functionCall: FunctionCall?

    enum CodingKeys: String, CodingKey {
      case role, content, toolCalls = "tool_calls", functionCall = "function_call"
    }

    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(role, forKey: .role)
      try c.encodeNil(forKey: .content)
      try c.encodeIfPresent(toolCalls, forKey: .toolCalls)
      try c.encodeIfPresent(functionCall, forKey: .functionCall)
    }
  }

  /// A chat completion that calls a tool or a function.
  struct CallCompletion: Encodable, Equatable {
    struct Choice: Encodable, Equatable {
      var index = 0
      var message: CallMessage
      var finishReason: String

      enum CodingKeys: String, CodingKey { case index, message, finishReason = "finish_reason" }
    }
    var id = "chatcmpl-fake"
    var object = "chat.completion"
    var created = 1_700_000_000
    var model: String
    var choices: [Choice]
    var usage: Usage
  }

  /// A streamed chunk's `delta`.
  struct Delta: Encodable, Equatable {
    var role: String?
    var content: String?
  }

  /// One `chat.completion.chunk` event.
  struct Chunk: Encodable, Equatable {
    struct Choice: Encodable, Equatable {
      var index = 0
      var delta: Delta
      /// `null` until the last chunk.
      var finishReason: String?

      enum CodingKeys: String, CodingKey { case index, delta, finishReason = "finish_reason" }

      func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(index, forKey: .index)
        try c.encode(delta, forKey: .delta)
        try c.encode(finishReason, forKey: .finishReason)
      }
    }
    var id = "chatcmpl-fake"
    var object = "chat.completion.chunk"
    /// Left out by the quirky servers' chunks.
    var created: Int?
    var model: String
    var choices: [Choice]
    var usage: Usage?
  }

  /// One vector of an embeddings answer.
  struct Embedding: Encodable, Equatable {
    var object = "embedding"
    var index: Int
    var embedding: [Double]
  }

  /// `/v1/embeddings`' answer (Infinity's adds `id` and `created`).
  struct Embeddings: Encodable, Equatable {
    struct Tokens: Encodable, Equatable {
      var promptTokens: Int
      var totalTokens: Int

      enum CodingKeys: String, CodingKey { case promptTokens = "prompt_tokens", totalTokens = "total_tokens" }
    }
    var object = "list"
    var data: [Embedding]
    var model: String
    var id: String?
    var created: Int?
    var usage: Tokens
  }

  /// `/v1/moderations`' answer.
  struct Moderation: Encodable, Equatable {
    struct Result: Encodable, Equatable {
      var flagged: Bool
      var categories: [String: Bool]
      var categoryScores: [String: Double]

      enum CodingKeys: String, CodingKey { case flagged, categories, categoryScores = "category_scores" }
    }
    var id = "modr-fake"
    var model = "omni-moderation-latest"
    var results: [Result]
  }

  /// Anthropic's `/v1/messages` answer.
  struct AnthropicMessage: Encodable, Equatable {
    struct Text: Encodable, Equatable {
      var type = "text"
      var text: String
    }
    struct Tokens: Encodable, Equatable {
      var inputTokens: Int
      var outputTokens: Int

      enum CodingKeys: String, CodingKey { case inputTokens = "input_tokens", outputTokens = "output_tokens" }
    }
    var id = "msg_fake"
    var type = "message"
    var role = "assistant"
    var model: String
    var content: [Text]
    var stopReason: String
    var usage: Tokens

    enum CodingKeys: String, CodingKey {
      case id, type, role, model, content, stopReason = "stop_reason", stopSequence = "stop_sequence", usage
    }

    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(id, forKey: .id)
      try c.encode(type, forKey: .type)
      try c.encode(role, forKey: .role)
      try c.encode(model, forKey: .model)
      try c.encode(content, forKey: .content)
      try c.encode(stopReason, forKey: .stopReason)
      try c.encodeNil(forKey: .stopSequence)
      try c.encode(usage, forKey: .usage)
    }
  }

  /// `value` as JSON text with sorted keys.
  static func json(_ value: some Encodable) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
  }
}
