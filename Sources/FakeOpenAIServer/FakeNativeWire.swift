/// The wire types of the fake server's answers in other APIs' shapes (llama.cpp, Hugging Face, Replicate,
/// the RAG stand-ins) and of the OpenAI-compatible servers' quirky completions, encoded as ``FakeWire`` does.
enum FakeNativeWire {
  /// llama.cpp's `/completion` answer.
  struct LlamaCompletion: Encodable, Equatable {
    var content: String
    var stop = true
    var stopType = "eos"
    var model = "fake-llama"
    var tokensEvaluated: Int
    var tokensPredicted: Int

    enum CodingKeys: String, CodingKey {
      case content, stop, model, stopType = "stop_type", tokensEvaluated = "tokens_evaluated"
      case tokensPredicted = "tokens_predicted"
    }
  }

  /// One Hugging Face text-generation result.
  struct GeneratedText: Encodable, Equatable {
    var generatedText: String

    enum CodingKeys: String, CodingKey { case generatedText = "generated_text" }
  }

  /// A finished Replicate prediction: the output as streamed pieces, `error` `null`.
  struct Prediction: Encodable, Equatable {
    var id = "fake-prediction"
    var status = "succeeded"
    var output: [String]

    enum CodingKeys: String, CodingKey { case id, status, output, error }

    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(id, forKey: .id)
      try c.encode(status, forKey: .status)
      try c.encode(output, forKey: .output)
      try c.encodeNil(forKey: .error)
    }
  }

  /// A retrieved document and its score.
  struct ScoredDocument: Encodable, Equatable {
    var id: String
    var score: Double
  }

  /// `/rag/answer`'s answer.
  struct RAGAnswer: Encodable, Equatable {
    struct Usage: Encodable, Equatable {
      var `in`: Int
      var out: Int
    }
    var answer: String
    var sources: [ScoredDocument]
    var usage: Usage
  }

  /// `/rag/search`'s answer, best first.
  struct RAGResults: Encodable, Equatable {
    var results: [ScoredDocument]
  }

  /// A plain chat completion as llama.cpp (`logprobs` `null`) or LiteLLM (no `logprobs`) writes it.
  struct QuirkCompletion: Encodable, Equatable {
    struct Message: Encodable, Equatable {
      var content: String
      var role = "assistant"
    }
    struct Choice: Encodable, Equatable {
      var index = 0
      var message: Message
      var finishReason: String
      /// Whether `logprobs: null` is written.
      var nullLogprobs: Bool

      enum CodingKeys: String, CodingKey { case index, message, logprobs, finishReason = "finish_reason" }

      func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(index, forKey: .index)
        try c.encode(message, forKey: .message)
        try c.encode(finishReason, forKey: .finishReason)
        if nullLogprobs { try c.encodeNil(forKey: .logprobs) }
      }
    }
    var id: String
    var object = "chat.completion"
    var created: Int
    var model: String
    var choices: [Choice]
    var usage: FakeWire.Usage
  }
}
