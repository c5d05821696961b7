import EvalCore
import Foundation

/// Assembles a completion from an OpenAI server-sent-event stream (`data: {…}` lines, `data: [DONE]`),
/// fed chunk by chunk as the body arrives. A stream that stops before `[DONE]`, ends without a finish
/// reason, or carries no events is an error, never a pass on a partial answer.
struct StreamParser {
  private var pending = ""
  private(set) var text = ""
  private var finishReason: String?
  private var usage: Usage?
  private var model: String?
  private var events = 0
  private(set) var done = false

  /// Parses a whole stream at once.
  static func completion(fromEventStream body: String) throws -> Completion {
    var parser = StreamParser()
    try parser.feed(body + "\n")
    return try parser.finish()
  }

  /// Consumes the next piece of the body; complete lines are parsed, a partial last line is kept.
  mutating func feed(_ chunk: String) throws {
    pending += chunk
    while !done, let newline = pending.firstIndex(where: \.isNewline) {
      let line = pending[..<newline].trimmingCharacters(in: .whitespaces)
      pending.removeSubrange(...newline)
      try parse(line)
    }
  }

  private mutating func parse(_ line: String) throws {
    guard line.hasPrefix("data:") else { return }
    let payload = line.dropFirst(5).trimmingCharacters(in: .whitespaces)
    if payload == "[DONE]" {
      done = true
      return
    }
    guard let event = ChatCompletionWire.decode(payload[...]) else {
      throw ProviderError(.malformedResponse, "stream event is not JSON: \"\(payload.prefix(60))\"")
    }
    if let message = event.error?.message { throw ProviderError(.http, "stream error: \(message)") }
    events += 1
    model = model ?? event.model
    if let u = event.usage?.usage { usage = u }
    if let choice = event.choices?.first {
      if let delta = choice.delta?.content { text += delta }
      if let reason = choice.finishReason { finishReason = reason }
    }
  }

  /// The completion, once the body has ended.
  func finish() throws -> Completion {
    guard events > 0 else { throw ProviderError(.malformedResponse, "stream carried no events") }
    guard done else { throw ProviderError(.truncated, "stream ended before [DONE]") }
    guard finishReason != nil else {
      throw ProviderError(.truncated, "stream ended without a finish_reason (cut off?)")
    }
    return Completion(text: text, finishReason: finishReason, usage: usage, model: model)
  }
}

/// The stream parser, exposed for table tests of chunked input.
public struct StreamParserProbe {
  private var parser = StreamParser()

  /// Creates an empty parser.
  public init() {}

  /// Feeds a piece of the body.
  public mutating func feed(_ chunk: String) throws { try parser.feed(chunk) }

  /// The completion, or the error a finished stream gives.
  public func finish() throws -> Completion { try parser.finish() }
}
