import AsyncHTTPClient
import EvalCore
import Foundation
import Testing

@testable import EvalProviders

/// ``ChatCompletionScanner`` reads what `JSONDecoder` reads, or declines: every body here decodes the same
/// through ``ChatCompletionWire/decode(_:)`` as through `JSONDecoder` alone, and the scanner answers for the
/// usual ones itself.
struct ChatCompletionScannerTests {
  /// Bodies the scanner reads itself.
  static let usual: [String] = [
    #"{"choices":[{"finish_reason":"stop","index":0,"message":{"content":"You said: hi","role":"assistant"}}],"created":1700000000,"id":"chatcmpl-fake","model":"fake-model","object":"chat.completion","usage":{"completion_tokens":3,"prompt_tokens":1,"total_tokens":4}}"#,
    #"  {"id":"x","model":null,"choices":[],"usage":null}  "#,
    #"{"choices":[{"message":{"content":null,"tool_calls":null,"function_call":null},"finish_reason":null,"logprobs":null}]}"#,
    #"{"choices":[{"delta":{"content":"Hel"}}]}"#,
    #"{"choices":[{"delta":{},"finish_reason":"length"}],"usage":{"prompt_tokens":-0,"completion_tokens":0,"total_tokens":123456789012345678}}"#,
    #"{"choices":[{"message":{"content":"tab\there \"q\" \\ \/ \b\f\r\n \u00e9\u4e2d\u0000 é 🙂"}}]}"#,
    #"{"usage":{"prompt_tokens_details":{"cached_tokens":7,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":null}}}"#,
    #"{"error":{"message":"rate limited","type":"requests","code":429.5e-1}}"#,
    #"{"x":[1,-2.5,3e10,0.1E+2,true,false,null,{"a":[[]]},"s"],"choices":[{"message":{"content":""}}]}"#,
    "{}",
    "{\n\t\"model\" : \"m\" ,\r\n \"choices\" : [ ] \n}",
    #"{"mod\u0065l":"escaped key"}"#,
  ]

  /// Bodies the scanner leaves to `JSONDecoder` (whatever it makes of them).
  static let declined: [String] = [
    "",
    "[]",
    "null",
    #"{"choices":[{"message":{"content":[{"type":"text","text":"parts"}]}}]}"#,
    #"{"choices":[{"message":{"content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]}}]}"#,
    #"{"choices":[{"message":{"function_call":{"name":"f","arguments":"{}"}}}]}"#,
    #"{"model":"a","model":"b"}"#,
    #"{"choices":[{"message":{"content":"a","content":"b"}}]}"#,
    #"{"usage":{"prompt_tokens":1.0}}"#,
    #"{"usage":{"prompt_tokens":1e2}}"#,
    #"{"usage":{"prompt_tokens":01}}"#,
    #"{"usage":{"prompt_tokens":"3"}}"#,
    #"{"usage":{"prompt_tokens":12345678901234567890}}"#,
    #"{"model":5}"#,
    #"{"choices":[null]}"#,
    #"{"choices":{}}"#,
    #"{"choices":[{"message":"text"}]}"#,
    #"{"choices":[{"message":{"content":"\ud83d\ude42"}}]}"#,
    #"{"choices":[{"message":{"content":"\x"}}]}"#,
    "{\"choices\":[{\"message\":{\"content\":\"raw\ncontrol\"}}]}",
    #"{"model":"m"} trailing"#,
    #"{"model":"m",}"#,
    #"{"a":01}"#,
    #"{"a":-}"#,
    #"{"a":1.}"#,
    #"{"a":tru}"#,
    #"{"a":[1,]}"#,
    #"{"a":"#,
    String(repeating: #"{"a":"#, count: 40) + "1" + String(repeating: "}", count: 40),
  ]

  @Test(arguments: usual)
  func readsTheUsualBodiesAsJSONDecoderDoes(_ body: String) throws {
    let scanned = try #require(ChatCompletionScanner.scan(body[...]))
    #expect(scanned == ChatCompletionWire.decoded(body[...]))
    #expect(ChatCompletionWire.decode(body[...]) == ChatCompletionWire.decoded(body[...]))
  }

  @Test(arguments: declined)
  func leavesTheRestToJSONDecoder(_ body: String) {
    #expect(ChatCompletionScanner.scan(body[...]) == nil)
    #expect(ChatCompletionWire.decode(body[...]) == ChatCompletionWire.decoded(body[...]))
  }

  @Test func readsTheTextAndCountsOfTheUsualBody() throws {
    let wire = try #require(ChatCompletionScanner.scan(Self.usual[0][...]))
    #expect(wire.model == "fake-model")
    #expect(wire.choices?.first?.message?.content == "You said: hi")
    #expect(wire.choices?.first?.finishReason == "stop")
    #expect(wire.usage?.usage == Usage(promptTokens: 1, completionTokens: 3, totalTokens: 4))
    let escaped = try #require(ChatCompletionScanner.scan(Self.usual[5][...]))
    #expect(escaped.choices?.first?.message?.content == "tab\there \"q\" \\ / \u{08}\u{0C}\r\n é中\u{0} é 🙂")
  }

  /// The body made around `messages` is the canonical JSON of the whole request object, whatever the
  /// fields sort before or after `messages`.
  @Test(
    arguments: [
      ([:], false), (["temperature": 0.5, "max_tokens": 64, "seed": 7], false),
      (["a": "first", "zz": ["nested": [1, 2]], "model": "overridden", "messages": "dropped"], true),
      (["messages_extra": true, "me": "before"], true),
    ] as [([String: JSONValue], Bool)])
  func requestBodyIsTheCanonicalJSONOfTheRequest(_ fields: [String: JSONValue], stream: Bool) throws {
    let client = HTTPClient(eventLoopGroupProvider: .singleton)
    defer { try? client.syncShutdown() }
    let provider = OpenAIChatProvider(
      settings: .init(
        label: "p", model: "gpt-x", baseURL: "http://127.0.0.1:1/v1", apiKey: nil, bodyFields: fields, stream: stream),
      client: client)
    for messages in [
      [ChatMessage(role: "user", content: "hi \"there\"\n")],
      [ChatMessage(role: "system", content: "be brief"), ChatMessage(role: "user", content: "é 🙂 \u{1}")],
      [],
    ] {
      var body = fields
      body["model"] = .string("gpt-x")
      body["messages"] = .array(messages.map { .object(["role": .string($0.role), "content": .string($0.content)]) })
      if stream {
        body["stream"] = true
        body["stream_options"] = ["include_usage": true]
      }
      #expect(provider.requestBody(CompletionRequest(messages: messages)) == JSONValue.object(body).canonicalJSON)
    }
  }
}
