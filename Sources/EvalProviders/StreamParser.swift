import EvalCore
import Foundation

/// Assembles a completion from an OpenAI server-sent-event stream (`data: {…}` lines, `data: [DONE]`).
/// A stream that stops before `[DONE]`, or that carries no events, is an error, never a partial pass.
enum StreamParser {
  static func completion(fromEventStream body: String) throws -> Completion {
    var text = ""
    var finishReason: String?
    var usage: Usage?
    var model: String?
    var events = 0
    var done = false
    for rawLine in body.split(whereSeparator: \.isNewline) {
      let line = rawLine.trimmingCharacters(in: .whitespaces)
      guard line.hasPrefix("data:") else { continue }
      let payload = line.dropFirst(5).trimmingCharacters(in: .whitespaces)
      if payload == "[DONE]" {
        done = true
        break
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
    guard events > 0 else { throw ProviderError(.malformedResponse, "stream carried no events") }
    guard done else { throw ProviderError(.truncated, "stream ended before [DONE]") }
    guard finishReason != nil else {
      throw ProviderError(.truncated, "stream ended without a finish_reason (cut off?)")
    }
    return Completion(text: text, finishReason: finishReason, usage: usage, model: model)
  }
}
