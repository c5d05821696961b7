import Foundation

/// The fake server's stand-ins for APIs that are not OpenAI's, each in its own wire format and answering as
/// the chat route does (`You said: …`, `[[reply:…]]`): Gemini's `generateContent`, llama.cpp's `/completion`,
/// Hugging Face's text generation and Replicate's predictions.
enum FakeNativeReplies {
  /// The answer to `path` with `body`, or `nil` when the path is none of these APIs.
  static func answer(path: String, body: String) -> (status: Int, body: String)? {
    // The body is parsed only for these paths: parsing every request's body first (a chat request's twice) was
    // 6 % of the fake server's CPU at 0 ms latency (docs/benchmarks.md, session 11).
    let native =
      path.hasSuffix(":generateContent") || path == "/completion" || path.hasPrefix("/hf/models/")
      || path == "/replicate/predictions" || (path.hasPrefix("/replicate/models/") && path.hasSuffix("/predictions"))
    guard native else { return nil }
    let request = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
    if path.hasSuffix(":generateContent") { return gemini(request) }
    if path == "/completion" {
      let prompt = request["prompt"] as? String ?? ""
      let reply = FakeReplies.reply(to: [(role: "user", content: prompt)])
      let answer = FakeNativeWire.LlamaCompletion(
        content: reply, tokensEvaluated: FakeReplies.tokens(prompt), tokensPredicted: FakeReplies.tokens(reply))
      return (200, FakeWire.json(answer))
    }
    if path.hasPrefix("/hf/models/") {
      let prompt = request["inputs"] as? String ?? ""
      let answer = [
        FakeNativeWire.GeneratedText(generatedText: FakeReplies.reply(to: [(role: "user", content: prompt)]))
      ]
      return (200, FakeWire.json(answer))
    }
    if path == "/replicate/predictions" || (path.hasPrefix("/replicate/models/") && path.hasSuffix("/predictions")) {
      let input = request["input"] as? [String: Any] ?? [:]
      let prompt = input["prompt"] as? String ?? ""
      var reply = FakeReplies.reply(to: [(role: "user", content: prompt)])
      // A Llama Guard question (`Human: …\n\nAssistant: …`) gets its verdict.
      if prompt.hasPrefix("Human: "), let cut = prompt.range(of: "\n\nAssistant: ") {
        let flagged = flags(String(prompt[cut.upperBound...]))
        reply = flagged.isEmpty ? "safe" : "unsafe\n" + flagged.map(\.guardCode).joined(separator: ",")
      }
      // Streamed-token style: a list of pieces, as language models on Replicate answer.
      let pieces = reply.split(separator: " ", omittingEmptySubsequences: false).enumerated().map { i, w in
        i == 0 ? String(w) : " " + w
      }
      return (200, FakeWire.json(FakeNativeWire.Prediction(output: pieces)))
    }
    return nil
  }

  /// Gemini: the last user turn's text answered; a request declaring functions gets a call of the first.
  static func gemini(_ request: [String: Any]) -> (status: Int, body: String) {
    let contents = request["contents"] as? [[String: Any]] ?? []
    let lastUser = contents.last { ($0["role"] as? String) == "user" }
    let text = ((lastUser?["parts"] as? [[String: Any]]) ?? []).compactMap { $0["text"] as? String }.joined()
    let tools = (request["tools"] as? [[String: Any]]) ?? []
    let declarations = tools.flatMap {
      ($0["functionDeclarations"] as? [[String: Any]]) ?? ($0["function_declarations"] as? [[String: Any]]) ?? []
    }
    var parts: [[String: Any]]
    if let first = declarations.first, let name = first["name"] as? String, FakeReplies.marker("reply", in: text) == nil
    {
      let arguments = FakeToolCalls.arguments(first["parameters"], text: text)
      let args = (try? JSONSerialization.jsonObject(with: Data(arguments.utf8))) ?? [String: Any]()
      parts = [["functionCall": ["name": name, "args": args]]]
    } else {
      parts = [["text": FakeReplies.reply(to: [(role: "user", content: text)])]]
    }
    let promptTokens = contents.reduce(0) { sum, turn in
      sum
        + ((turn["parts"] as? [[String: Any]]) ?? []).reduce(0) { $0 + FakeReplies.tokens($1["text"] as? String ?? "") }
    }
    let answerTokens = parts.reduce(0) { $0 + FakeReplies.tokens($1["text"] as? String ?? "call") }
    return (
      200,
      json([
        "candidates": [["content": ["role": "model", "parts": parts], "finishReason": "STOP", "index": 0]],
        "usageMetadata": [
          "promptTokenCount": promptTokens, "candidatesTokenCount": answerTokens,
          "totalTokenCount": promptTokens + answerTokens,
        ],
        "modelVersion": "fake-gemini",
      ])
    )
  }

  /// What the fake moderation flags: a few words, by category (OpenAI's name, Llama Guard's code).
  static let flaggedWords: [(word: String, category: String, guardCode: String)] = [
    ("kill yourself", "self-harm", "S11"), ("kill", "violence", "S1"), ("hate", "hate", "S10"),
  ]

  static func flags(_ text: String) -> [(word: String, category: String, guardCode: String)] {
    let lower = text.lowercased()
    var out: [(word: String, category: String, guardCode: String)] = []
    for entry in flaggedWords
    where lower.contains(entry.word) && !out.contains(where: { $0.category == entry.category }) {
      out.append(entry)
    }
    return out
  }

  /// OpenAI's `/v1/moderations` answer for `input`.
  static func moderation(_ input: String) -> String {
    let flagged = Set(flags(input).map(\.category))
    let names = ["harassment", "hate", "self-harm", "sexual", "violence"]
    let categories = Dictionary(uniqueKeysWithValues: names.map { ($0, flagged.contains($0)) })
    let scores = Dictionary(uniqueKeysWithValues: names.map { ($0, flagged.contains($0) ? 0.9 : 0.01) })
    return FakeWire.json(
      FakeWire.Moderation(results: [.init(flagged: !flagged.isEmpty, categories: categories, categoryScores: scores)]))
  }

  static func json(_ object: Any) -> String {
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
    return String(decoding: data, as: UTF8.self)
  }
}
