import Foundation
import Testing

@testable import EvalCore

struct RedactorTests {
  /// A real-length key (OpenAI project keys run to 164 characters).
  static let key =
    "sk-proj-" + String(repeating: "Ab3dE5gH7jK9mN1pQ3sT5vW7yZ0bC2eF4hJ6kL8nP0rS2uV4xY6", count: 3).prefix(156)

  /// No piece of the key longer than a fragment survives, in any text it could sit in.
  static func leaks(_ text: String) -> String? {
    let t = Array(text)
    guard t.count >= Redactor.minimumFragment else { return nil }
    for i in 0...(t.count - Redactor.minimumFragment) {
      let window = String(t[i..<(i + Redactor.minimumFragment)])
      if keyPieces.contains(window) { return window }
    }
    return nil
  }

  static let keyPieces: Set<String> = {
    let k = Array(key)
    return Set((0...(k.count - Redactor.minimumFragment)).map { String(k[$0..<($0 + Redactor.minimumFragment)]) })
  }()

  @Test func wholeKeysAreReplacedEverywhere() {
    let r = Redactor(secrets: [Self.key])
    let text = "Incorrect API key provided: \(Self.key). Bearer \(Self.key)"
    #expect(r.redact(text) == "Incorrect API key provided: [REDACTED]. Bearer [REDACTED]")
    #expect(r.reveals(text))
    #expect(!r.reveals("nothing here"))
  }

  /// A message cut to length after the key started, at every position across the key, and cut again from
  /// the front: what is left of the key is redacted too.
  @Test func aKeyCrossingACutLeavesNothingAtAnyCutPosition() {
    let r = Redactor(secrets: [Self.key])
    let prefix = "HTTP 401 Unauthorized: Incorrect API key provided: "
    let whole = prefix + Self.key + " (see docs)"
    let chars = Array(whole)
    for cut in prefix.count...(prefix.count + Self.key.count) {
      let front = String(chars[..<cut]) + "…"
      #expect(Self.leaks(r.redact(front)) == nil, "cut at \(cut): \(r.redact(front))")
      let plain = String(chars[..<cut])
      #expect(Self.leaks(r.redact(plain)) == nil, "cut at \(cut) without a mark")
      let back = "…" + String(chars[cut...])
      #expect(Self.leaks(r.redact(back)) == nil, "cut from the front at \(cut): \(r.redact(back))")
    }
  }

  @Test func environmentVariablesNamedLikeSecretsAreSecrets() {
    let found = Set(
      Redactor.environmentSecrets([
        "OPENAI_API_KEY": "sk-123456789", "GITHUB_TOKEN": "ghp_abcdefgh", "DB_PASSWORD": "hunter2hunter2",
        "MY_SECRET_THING": "abcdefgh", "SHORT_KEY": "1234567", "PATH": "/usr/bin:/bin", "HOME": "/root",
      ]))
    #expect(found == ["sk-123456789", "ghp_abcdefgh", "hunter2hunter2", "abcdefgh"])
  }

  @Test func urlUserInfoAndKeyLikeQueryParametersAreSecrets() {
    let found = Set(
      Redactor.credentials(inURL: "https://alice:s3cr%40t-pass@llm.example.com/v1?api-key=qwerty123456&model=gpt"))
    #expect(found.isSuperset(of: ["s3cr%40t-pass", "s3cr@t-pass", "alice:s3cr%40t-pass", "qwerty123456"]))
    #expect(!found.contains("gpt"))
    let r = Redactor(secrets: found)
    #expect(
      r.redact("cannot reach https://alice:s3cr%40t-pass@llm.example.com/v1?api-key=qwerty123456")
        == "cannot reach https://[REDACTED]@llm.example.com/v1?api-key=[REDACTED]")
  }

  @Test func aHeaderValueAndItsTokenAreSecrets() {
    let r = Redactor(secrets: Redactor.credentials(inHeaderValue: "Bearer tok_abcdefgh12345"))
    #expect(r.redact("token tok_abcdefgh12345 is not valid") == "token [REDACTED] is not valid")
    #expect(Redactor.credentials(inHeaderValue: "Bearer").isEmpty)
  }

  @Test func caseResultsAreRedactedInEveryTextField() throws {
    let key = "sk-test-0123456789abcdef"
    let c = EvalCase(
      id: CaseID(rawValue: "0000000000000001"), suiteID: "s", location: SourceLocation(file: "s.yaml", line: 1),
      title: "asks for \(key)", promptLabel: "p", providerLabel: "x", providerKey: "k",
      vars: ["k": .string(key), "nested": ["list": [.string("a \(key)")]]],
      messages: [ChatMessage(role: "user", content: "my key is \(key)")],
      plan: try ScoringPlan.build([], threshold: nil, registry: .standard), repeatCount: 1)
    var attempt = AttemptResult(
      index: 0, outcome: .errored, output: "You said: \(key)", latencyMs: 1,
      error: ProviderError(.http, "HTTP 401: bad key \(key)"))
    attempt.assertions = []
    let redacted = Redactor(secrets: [key]).redact(CaseResult(case: c, attempts: [attempt]))
    let encoded = String(decoding: try JSONEncoder().encode(redacted), as: UTF8.self)
    #expect(!encoded.contains(key))
    #expect(encoded.contains("[REDACTED]"))
  }

  /// The byte-level sieve in front of the search never lets through text the search would change: on texts made
  /// of pieces of the secrets, the mask, cut marks, ASCII and non-ASCII text, `redact` is the full search's.
  @Test func theSieveChangesNothingTheSearchWouldFind() {
    let secrets = [Self.key, "tok_ZYXWVUTSRQPONMLK", "pässwörd-ünïcode", "abcd", "wxyz5"]
    let r = Redactor(secrets: secrets)
    let pieces =
      secrets.flatMap { s in [s, String(s.prefix(6)), String(s.suffix(6)), String(s.prefix(9)), String(s.dropFirst(3))]
      }
      + [Redactor.mask, "…", " ", "\n", "\r\n", "plain words", "é", "e\u{301}", "🎉", "{\"k\":\"v\"}", "sk-", "ab"]
    var generator = SystemRandomNumberGenerator()
    var passed = 0
    for _ in 0..<3000 {
      let text = (0..<Int.random(in: 0...6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }
        .joined()
      #expect(r.redact(text) == r.redactSearching(text), "\(text)")
      if !r.mayReveal(text) { passed += 1 }
    }
    // The sieve does let most text through unsearched.
    #expect(passed > 0)
    #expect(!r.mayReveal("an ordinary answer with no secret in it"))
    #expect(r.mayReveal("the key is abcd here") && r.mayReveal("ends with sk-proj-Ab3"))
    #expect(Redactor().mayReveal(Self.key) == false)
  }

  @Test func aResultWithNothingToHideIsReturnedAsItIs() {
    let r = Redactor(secrets: [Self.key])
    let c = EvalCase(
      id: CaseID(rawValue: "0123456789abcdef"), suiteID: "s", location: SourceLocation(file: "s.yaml", line: 1),
      title: "t", promptLabel: "p", providerLabel: "m", providerKey: "m", vars: ["q": .string("question")],
      messages: [ChatMessage(role: "user", content: "question")], plan: ScoringPlan(items: [], threshold: nil))
    let clean = CaseResult(
      case: c, attempts: [AttemptResult(index: 0, outcome: .passed, output: "answer", latencyMs: 1)])
    #expect(!r.mayReveal(clean))
    #expect(r.redact(clean) == clean)
    var leaky = clean
    leaky.vars["nested"] = .object(["k": .array([.string("x \(Self.key) y")])])
    #expect(r.mayReveal(leaky))
    #expect(r.redact(leaky).vars["nested"] == .object(["k": .array([.string("x [REDACTED] y")])]))
  }
}
