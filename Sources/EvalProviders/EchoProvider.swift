import EvalCore
import Foundation

/// `echo`: returns the rendered prompt as the output. Offline; useful to check templates and assertions.
public struct EchoProvider: Provider {
  public let label: String

  /// Creates an echo provider.
  public init(label: String) { self.label = label }

  public func complete(_ request: CompletionRequest) async throws -> Completion {
    let text = request.promptText
    let words = text.split(whereSeparator: \.isWhitespace).count
    return Completion(
      text: text, finishReason: "stop", usage: Usage(promptTokens: words, completionTokens: words), model: "echo")
  }
}
