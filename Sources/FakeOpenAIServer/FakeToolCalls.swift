import Foundation

/// The fake server's answer to a request that offers tools (`tools`) or functions (`functions`): a call of
/// the first one, its required arguments filled from the request, so tool-call assertions meet a real call.
/// A `[[reply:…]]` marker or `tool_choice: none` asks for text instead.
enum FakeToolCalls {
  /// The `message` of a chat completion that calls a tool or function, and its finish reason; `nil` when the
  /// request offers none (or asks for text).
  static func message(for request: [String: Any], lastUser: String) -> (message: FakeWire.CallMessage, finish: String)?
  {
    if FakeReplies.marker("reply", in: lastUser) != nil { return nil }
    if let choice = request["tool_choice"] as? String, choice == "none" { return nil }
    if let tools = request["tools"] as? [[String: Any]], let function = tools.first?["function"] as? [String: Any],
      let name = function["name"] as? String
    {
      let call = FakeWire.FunctionCall(name: name, arguments: arguments(function["parameters"], text: lastUser))
      return (FakeWire.CallMessage(toolCalls: [FakeWire.ToolCall(function: call)]), "tool_calls")
    }
    if let functions = request["functions"] as? [[String: Any]], let function = functions.first,
      let name = function["name"] as? String
    {
      let call = FakeWire.FunctionCall(name: name, arguments: arguments(function["parameters"], text: lastUser))
      return (FakeWire.CallMessage(functionCall: call), "function_call")
    }
    return nil
  }

  /// The JSON text of arguments for a `parameters` schema: each required property filled by its type (a
  /// string is the user's text, an enum its first value).
  static func arguments(_ parameters: Any?, text: String) -> String {
    let schema = parameters as? [String: Any] ?? [:]
    let properties = schema["properties"] as? [String: Any] ?? [:]
    let required = schema["required"] as? [String] ?? []
    var out: [String: Any] = [:]
    for name in required {
      let property = properties[name] as? [String: Any] ?? [:]
      if let options = property["enum"] as? [Any], let first = options.first {
        out[name] = first
        continue
      }
      switch property["type"] as? String {
      case "integer", "number": out[name] = 1
      case "boolean": out[name] = true
      case "array": out[name] = [Any]()
      case "object": out[name] = [String: Any]()
      default: out[name] = text
      }
    }
    let data = (try? JSONSerialization.data(withJSONObject: out, options: [.sortedKeys])) ?? Data("{}".utf8)
    return String(decoding: data, as: UTF8.self)
  }
}
