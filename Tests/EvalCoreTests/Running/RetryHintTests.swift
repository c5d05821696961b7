import EvalCore
import Foundation
import Testing

struct RetryHintTests {
  static let now = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z

  static func ms(_ headers: [(String, String)]) -> Int64? {
    RetryHint.delay(headers: headers, now: now).map { Int64($0.inMilliseconds.rounded()) }
  }

  @Test(
    arguments: [
      ([("Retry-After", "2")], 2000),
      ([("retry-after", "0")], 0),
      ([("Retry-After", "1.5")], 1500),
      ([("Retry-After", "Thu, 01 Jan 2026 00:00:30 GMT")], 30_000),
      ([("Retry-After", "Wed, 31 Dec 2025 23:59:00 GMT")], 0),
      ([("retry-after-ms", "250")], 250),
      ([("retry-after-ms", "250"), ("Retry-After", "9")], 250),
      ([("x-ratelimit-reset-requests", "6m0s")], 360_000),
      ([("x-ratelimit-reset-requests", "1s")], 1000),
      ([("x-ratelimit-reset-tokens", "20ms")], 20),
      ([("x-ratelimit-reset-requests", "1m30.5s")], 90_500),
      ([("x-ratelimit-reset-requests", "1s"), ("x-ratelimit-reset-tokens", "2.5s")], 2500),
      ([("x-ratelimit-reset-tokens", "1h2m3s")], 3_723_000),
      ([("x-ratelimit-reset-tokens", "500us")], 1),
      ([("anthropic-ratelimit-requests-reset", "2026-01-01T00:00:12Z")], 12_000),
      ([("anthropic-ratelimit-tokens-reset", "2026-01-01T00:00:01.500Z")], 1500),
      (
        [
          ("anthropic-ratelimit-input-tokens-reset", "2026-01-01T00:00:05Z"),
          ("anthropic-ratelimit-output-tokens-reset", "2026-01-01T00:00:07Z"),
        ], 7000
      ),
      ([("anthropic-ratelimit-requests-reset", "2025-12-31T23:00:00Z")], 0),
    ] as [([(String, String)], Int64)])
  func wellFormed(headers: [(String, String)], expected: Int64) {
    #expect(Self.ms(headers) == expected)
  }

  @Test(
    arguments: [
      [("Retry-After", "soon")],
      [("Retry-After", "-5")],
      [("Retry-After", "")],
      [("Retry-After", "Thu, 32 Jan 2026 00:00:30 GMT")],
      [("retry-after-ms", "abc")],
      [("retry-after-ms", "-1")],
      [("x-ratelimit-reset-requests", "6 minutes")],
      [("x-ratelimit-reset-requests", "5")],
      [("x-ratelimit-reset-requests", "1x")],
      [("x-ratelimit-reset-requests", "")],
      [("anthropic-ratelimit-requests-reset", "tomorrow")],
      [("anthropic-ratelimit-requests-reset", "2026-13-01T00:00:00Z")],
      [("Content-Type", "application/json")],
      [],
    ] as [[(String, String)]])
  func malformedValuesAreIgnored(headers: [(String, String)]) {
    #expect(Self.ms(headers) == nil)
  }

  @Test func malformedPreferredHeaderFallsBackToTheNext() {
    #expect(Self.ms([("retry-after-ms", "x"), ("Retry-After", "3")]) == 3000)
  }
}

struct RetryPolicyTests {
  @Test func fullJitterStaysUnderTheExponentialCeilingAndTheCap() {
    let p = RetryPolicy(maxRetries: 10, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
    #expect(p.delay(beforeRetry: 0, hint: nil, unit: 0.999) <= .milliseconds(100))
    #expect(p.delay(beforeRetry: 2, hint: nil, unit: 0.999) <= .milliseconds(400))
    #expect(p.delay(beforeRetry: 2, hint: nil, unit: 0.999) > .milliseconds(390))
    #expect(p.delay(beforeRetry: 9, hint: nil, unit: 0.999) <= .seconds(1))
    #expect(p.delay(beforeRetry: 3, hint: nil, unit: 0) == .zero)
  }

  @Test func theFailedTryCountsTowardTheBackoffButNotTowardAHint() {
    let p = RetryPolicy(baseDelay: .milliseconds(500), maxDelay: .seconds(30))
    // A draw of 250 ms, less the 100 ms the failed try took.
    #expect(p.delay(beforeRetry: 0, hint: nil, unit: 0.5, elapsed: .milliseconds(100)) == .milliseconds(150))
    // A try that hung until a 60 s timeout is retried at once.
    #expect(p.delay(beforeRetry: 3, hint: nil, unit: 0.9999, elapsed: .seconds(60)) == .zero)
    // A server's Retry-After counts from its answer.
    #expect(p.delay(beforeRetry: 0, hint: .seconds(1), unit: 0.5, elapsed: .seconds(60)) == .seconds(1))
  }

  @Test func serverHintWinsButIsCapped() {
    let p = RetryPolicy(maxDelay: .seconds(30))
    #expect(p.delay(beforeRetry: 0, hint: .seconds(5), unit: 0.5) == .seconds(5))
    #expect(p.delay(beforeRetry: 0, hint: .seconds(3600), unit: 0.5) == .seconds(30))
  }

  @Test(arguments: [
    (ProviderError(.rateLimited, "", status: 429), true),
    (ProviderError(.http, "", status: 500), true),
    (ProviderError(.http, "", status: 503), true),
    (ProviderError(.http, "", status: 408), true),
    (ProviderError(.http, "", status: 400), false),
    (ProviderError(.http, "", status: 401), false),
    (ProviderError(.http, "", status: 404), false),
    (ProviderError(.connection, ""), true),
    (ProviderError(.timeout, ""), true),
    (ProviderError(.truncated, ""), true),
    (ProviderError(.malformedResponse, ""), true),
    (ProviderError(.process, ""), false),
    (ProviderError(.configuration, ""), false),
    (ProviderError(.cancelled, ""), false),
  ])
  func whatIsRetried(error: ProviderError, retried: Bool) {
    #expect(RetryPolicy().shouldRetry(error) == retried)
  }
}
