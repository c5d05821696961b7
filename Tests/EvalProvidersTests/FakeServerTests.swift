import AsyncHTTPClient
import EvalCore
import EvalTestSupport
import FakeOpenAIServer
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// The fake server's other endpoints, over real HTTP.
@Suite(.offThePool) struct FakeServerTests {
  static func get(_ client: HTTPClient, _ url: String, post body: String? = nil) async throws -> (Int, JSONValue?) {
    var request = HTTPClientRequest(url: url)
    if let body {
      request.method = .POST
      request.headers.add(name: "Content-Type", value: "application/json")
      request.body = .bytes(ByteBuffer(string: body))
    }
    let response = try await client.execute(request, timeout: .seconds(10))
    var bytes = try await response.body.collect(upTo: 1 << 20)
    let text = bytes.readString(length: bytes.readableBytes) ?? ""
    return (Int(response.status.code), JSONValue.parse(text))
  }

  @Test func modelsEmbeddingsStatsAndNotFound() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    let client = HTTPClient(eventLoopGroupProvider: .singleton)
    do {
      let (status, models) = try await Self.get(client, server.baseURL + "/models")
      #expect(status == 200)
      #expect(models?.value(atPath: ["data", "0", "id"]) == "fake-model")

      let (_, embeddings) = try await Self.get(
        client, server.baseURL + "/embeddings",
        post: #"{"model":"e","input":["refund policy","refund policy rules","ships fast"]}"#)
      let vectors = (0..<3).compactMap {
        embeddings?.value(atPath: ["data", "\($0)", "embedding"])?.arrayValue?.compactMap(\.numberValue)
      }
      #expect(vectors.count == 3)
      #expect(vectors.allSatisfy { $0.count == 64 })
      let cos = { (a: [Double], b: [Double]) in zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
      #expect(cos(vectors[0], vectors[1]) > cos(vectors[0], vectors[2]))

      let (missing, _) = try await Self.get(client, server.baseURL + "/nothing")
      #expect(missing == 404)

      let (_, stats) = try await Self.get(client, server.baseURL.replacingOccurrences(of: "/v1", with: "") + "/_stats")
      #expect(stats?.value(atPath: ["embeddingRequests"]) == 1)
      #expect(stats?.value(atPath: ["requests"])?.numberValue ?? 0 >= 3)
    } catch {
      try? await client.shutdown()
      await server.stop()
      throw error
    }
    try await client.shutdown()
    await server.stop()
  }

  /// A burst of requests, each answered once the latency from its arrival is over (answers are made after the
  /// burst is taken in), never before it, each with its own answer.
  @Test func aBurstIsAnsweredEachAfterTheLatencyFromItsArrival() async throws {
    let server = FakeOpenAIServer(configuration: FakeServerConfiguration(latency: .milliseconds(300)))
    try await server.start()
    let client = HTTPClient(eventLoopGroupProvider: .singleton)
    do {
      let url = server.baseURL + "/chat/completions"
      let answers = try await withThrowingTaskGroup(of: (Int, Duration, JSONValue?).self) { group in
        for n in 0..<32 {
          group.addTask {
            let clock = ContinuousClock()
            let sent = clock.now
            let body = #"{"model":"m","messages":[{"role":"user","content":"q\#(n) [[reply:a\#(n)]]"}]}"#
            let (status, json) = try await Self.get(client, url, post: body)
            #expect(status == 200)
            return (n, clock.now - sent, json)
          }
        }
        return try await group.reduce(into: []) { $0.append($1) }
      }
      #expect(answers.count == 32)
      for (n, waited, json) in answers {
        #expect(waited >= .milliseconds(300))
        #expect(json?.value(atPath: ["choices", "0", "message", "content"]) == .string("a\(n)"))
      }
    } catch {
      try? await client.shutdown()
      await server.stop()
      throw error
    }
    try await client.shutdown()
    await server.stop()
  }

  @Test func seededFaultsRepeatExactly() async throws {
    func run() async throws -> [String: Int] {
      let server = FakeOpenAIServer(
        configuration: .init(faultRate: 0.3, faultModes: [.serverError, .malformed], seed: 9))
      try await server.start()
      let client = HTTPClient(eventLoopGroupProvider: .singleton)
      for i in 0..<40 {
        _ = try? await Self.get(
          client, server.baseURL + "/chat/completions",
          post: #"{"model":"m","messages":[{"role":"user","content":"q\#(i)"}]}"#)
      }
      try await client.shutdown()
      let faults = server.stats.faults
      await server.stop()
      return faults
    }
    let first = try await run()
    #expect(try await run() == first)
    #expect(first.values.reduce(0, +) > 0)
  }

  /// The hand-written completion body escapes what JSON requires and reads back as sent.
  @Test func completionBodiesAreValidJSONForAnyText() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    let client = HTTPClient(eventLoopGroupProvider: .singleton)
    do {
      let text = "say \"hi\"\n\\ back\\slash\ttab \u{01}\u{1F} ünï 🎉 / </tag>"
      let body = JSONValue.object([
        "model": "quoted\"model", "messages": [["role": "user", "content": .string(text)]],
      ]).canonicalJSON
      let (status, json) = try await Self.get(client, server.baseURL + "/chat/completions", post: body)
      #expect(status == 200)
      #expect(json?.value(atPath: ["choices", "0", "message", "content"]) == .string("You said: " + text))
      #expect(json?.value(atPath: ["model"]) == "quoted\"model")
      #expect(json?.value(atPath: ["choices", "0", "finish_reason"]) == "stop")
      let words = text.split(whereSeparator: \.isWhitespace).count
      #expect(json?.value(atPath: ["usage", "total_tokens"]) == .number(Double(2 * words + 2)))
    } catch {
      Issue.record(error)
    }
    try await client.shutdown()
    await server.stop()
  }
}
