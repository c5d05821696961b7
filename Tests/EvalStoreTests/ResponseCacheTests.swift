import EvalCore
import EvalStore
import Foundation
import Synchronization
import Testing

/// The response cache on a real SQLite file.
struct ResponseCacheTests {
  static func tempPath() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-cache-\(UUID().uuidString)/cache.sqlite")
      .path
  }

  static func request(_ text: String, repeatIndex: Int = 0) -> CompletionRequest {
    CompletionRequest(messages: [ChatMessage(role: "user", content: text)], repeatIndex: repeatIndex)
  }

  final class Counting: Provider, @unchecked Sendable {
    let label = "counting"
    let calls = Atomic<Int>(0)
    let warmedUp = Atomic<Int>(0)
    let reply: String
    init(reply: String = "answer") { self.reply = reply }
    func warmUp(connections: Int) { warmedUp.add(connections, ordering: .relaxed) }
    func complete(_ request: CompletionRequest) async throws -> Completion {
      calls.add(1, ordering: .relaxed)
      if request.promptText == "fail" { throw ProviderError(.http, "HTTP 500", status: 500) }
      return Completion(
        text: reply + " to " + request.promptText, finishReason: "stop",
        usage: Usage(promptTokens: 1, completionTokens: 2))
    }
  }

  @Test func secondCallIsServedFromTheCacheAndMarked() async throws {
    let cache = try ResponseCache(path: Self.tempPath())
    let inner = Counting()
    let provider = CachingProvider(inner, cache: cache, endpoint: "openai:chat:m@http://x")
    let first = try await provider.complete(Self.request("hi"))
    let second = try await provider.complete(Self.request("hi"))
    #expect(first.cached == nil)
    #expect(second.cached == true)
    #expect(second.text == first.text)
    #expect(second.usage == first.usage)
    #expect(inner.calls.load(ordering: .relaxed) == 1)
    // The endpoint's connections are opened ahead through the cache.
    provider.warmUp(connections: 5)
    #expect(inner.warmedUp.load(ordering: .relaxed) == 5)
  }

  @Test func repeatsEndpointsAndMessagesAreDistinctKeys() {
    let base = ResponseCache.key(endpoint: "e1", request: Self.request("hi"))
    #expect(base == ResponseCache.key(endpoint: "e1", request: Self.request("hi")))
    #expect(base != ResponseCache.key(endpoint: "e1", request: Self.request("hi", repeatIndex: 1)))
    #expect(base != ResponseCache.key(endpoint: "e2", request: Self.request("hi")))
    #expect(base != ResponseCache.key(endpoint: "e1", request: Self.request("hi!")))
  }

  @Test func errorsAndEmptyOutputsAreNeverStored() async throws {
    let cache = try ResponseCache(path: Self.tempPath())
    let inner = Counting()
    let provider = CachingProvider(inner, cache: cache, endpoint: "e")
    for _ in 0..<2 { _ = try? await provider.complete(Self.request("fail")) }
    #expect(inner.calls.load(ordering: .relaxed) == 2)
    try await cache.store(Completion(text: ""), for: "empty")
    #expect(try await cache.lookup("empty") == nil)
    #expect(try await cache.stats().entries == 0)
  }

  @Test func entriesExpireAfterTheTTLAndPruneRemovesThem() async throws {
    let cache = try ResponseCache(path: Self.tempPath(), ttl: .seconds(60))
    let then = Date(timeIntervalSince1970: 1_000_000)
    try await cache.store(Completion(text: "old"), for: "k", now: then)
    #expect(try await cache.lookup("k", now: then.addingTimeInterval(59))?.text == "old")
    #expect(try await cache.lookup("k", now: then.addingTimeInterval(61)) == nil)
    #expect(try await cache.stats(now: then.addingTimeInterval(61)).expired == 1)
    #expect(try await cache.prune(now: then.addingTimeInterval(61)) == 1)
    #expect(try await cache.stats().entries == 0)
  }

  @Test func concurrentWritersAndReadersAgree() async throws {
    let path = Self.tempPath()
    let cache = try ResponseCache(path: path)
    let inner = Counting()
    let provider = CachingProvider(inner, cache: cache, endpoint: "e")
    await withTaskGroup(of: Void.self) { group in
      for i in 0..<200 { group.addTask { _ = try? await provider.complete(Self.request("q\(i % 50)")) } }
    }
    #expect(try await cache.stats().entries == 50)
    // A second handle on the same file sees every entry (WAL, committed writes).
    let reopened = try ResponseCache(path: path)
    #expect(
      try await reopened.lookup(ResponseCache.key(endpoint: "e", request: Self.request("q7")))?.text == "answer to q7")
  }
}

struct ResponseCacheBatchTests {
  @Test func batchLookupFindsExactlyTheStoredUnexpiredKeys() async throws {
    let cache = try ResponseCache(path: ResponseCacheTests.tempPath(), ttl: .seconds(60))
    let now = Date()
    for i in 0..<1200 where i % 3 == 0 { try await cache.store(Completion(text: "a\(i)"), for: "k\(i)", now: now) }
    try await cache.store(Completion(text: "old"), for: "k1", now: now.addingTimeInterval(-120))
    let found = try await cache.lookup((0..<1200).map { "k\($0)" }, now: now)
    #expect(found.count == 400)
    #expect(found["k999"]?.text == "a999")
    #expect(found["k1"] == nil)
  }

  @Test func preloadedMissGoesToTheEndpointAndIsStoredUnderItsKey() async throws {
    let cache = try ResponseCache(path: ResponseCacheTests.tempPath())
    let inner = ResponseCacheTests.Counting()
    func request(_ text: String, case id: String) -> CompletionRequest {
      CompletionRequest(messages: [ChatMessage(role: "user", content: text)], caseID: id)
    }
    var hit = Completion(text: "from cache")
    hit.latencyMs = 120
    let provider = CachingProvider(
      inner, cache: cache, endpoint: "e",
      preloaded: [
        CachingProvider.Slot(caseID: "c1", repeatIndex: 0): hit,
        // Stored by an older evalgate, without the latency it was fetched with: fetched again.
        CachingProvider.Slot(caseID: "c3", repeatIndex: 0): Completion(text: "no latency"),
      ])
    #expect(try await provider.complete(request("a", case: "c1")).text == "from cache")
    #expect(provider.knownAnswer(for: request("a", case: "c1"))?.latencyMs == 120)
    #expect(provider.knownAnswer(for: request("x", case: "c3")) == nil)
    #expect(try await provider.complete(request("b", case: "c2")).cached == nil)
    #expect(inner.calls.load(ordering: .relaxed) == 1)
    // The miss was stored under its request's key, where the next run's read-ahead looks.
    let key = ResponseCache.key(endpoint: "e", request: request("b", case: "c2"))
    #expect(try await cache.lookup([key])[key] != nil)
  }
}
