// Hand-written: no listed package finds credentials. Like PIIScanner, each format is read in forward passes
// over the UTF-8 bytes with bounded look-around (ScanText), so a scan is linear in the length of the text.
import Foundation

/// Finds credentials in text, deterministically and offline: provider API keys by their published
/// formats (OpenAI, Anthropic, AWS, GitHub, GitLab, Slack, Stripe, Google, Hugging Face, npm), PEM
/// private keys with a key body, and JSON Web Tokens (whose header must decode to JSON with an `alg`).
/// Placeholders are not secrets: truncated values (`sk-...`), and a token whose variable part is one
/// repeated character, a run of `x`, `X`, `0` or `*`, or holds a placeholder word (`YOUR_API_KEY`,
/// `REDACTED`, `example`); hashes and UUIDs do not match.
public struct SecretScanner: Sendable {
  /// One finding.
  public struct Finding: Sendable, Hashable {
    /// What kind of secret (`openai-key`, `aws-access-key-id`, `private-key`, `jwt`, …).
    public var kind: String
    /// The matched text, shortened so a report never repeats a whole secret.
    public var preview: String
  }

  /// Creates a scanner.
  public init() {}

  /// The kinds of secret, in the order findings are listed; where two overlap, the first listed wins.
  public static let kinds = [
    "private-key", "anthropic-key", "openai-key", "aws-access-key-id", "aws-secret-access-key", "github-token",
    "gitlab-token", "slack-token", "stripe-key", "google-api-key", "huggingface-token", "npm-token", "jwt",
  ]

  /// Every finding, in kind order, then in text order.
  public func scan(_ text: String) -> [Finding] {
    ScanText.withBytes(of: text) { t in scan(t) }
  }

  func scan(_ t: ScanText) -> [Finding] {
    let candidates =
      SecretScanner.privateKeys(in: t) + SecretScanner.tokens(in: t)
      + SecretScanner.awsSecretKeys(in: t) + SecretScanner.jwts(in: t)
    let rank = Dictionary(uniqueKeysWithValues: SecretScanner.kinds.enumerated().map { ($1, $0) })
    var taken: [Range<Int>] = []
    var out: [Finding] = []
    for (range, kind) in candidates.sorted(by: {
      (rank[$0.1] ?? 0, $0.0.lowerBound) < (rank[$1.1] ?? 0, $1.0.lowerBound)
    }) where !taken.contains(where: { $0.overlaps(range) }) {
      taken.append(range)
      out.append(Finding(kind: kind, preview: String(t.string(range).prefix(12)) + "…"))
    }
    return out
  }

  // MARK: - API keys

  /// Characters of API keys: a key is a whole run of them, not part of a longer one.
  static func isTokenChar(_ b: UInt8) -> Bool { ScanText.isWord(b) || b == UInt8(ascii: "-") }

  /// Provider API keys: each maximal run of letters, digits, `_` and `-` (at most 512 long) is checked
  /// against the formats by its prefix; its variable part must not be a placeholder.
  static func tokens(in t: ScanText) -> [(Range<Int>, String)] {
    var out: [(Range<Int>, String)] = []
    var i = 0
    while i < t.count {
      guard isTokenChar(t[i]) else {
        i += 1
        continue
      }
      var j = i
      while isTokenChar(t[j]) { j += 1 }
      defer { i = j }
      guard j - i >= 20, j - i <= 512, let (kind, variable) = apiKey(t.bytes[i..<j]),
        !isPlaceholder(variable)
      else { continue }
      out.append((i..<j, kind))
    }
    return out
  }

  /// The kind and variable part of a whole token, if it has a provider's format.
  static func apiKey(_ s: ScanText.Bytes) -> (String, ScanText.Bytes)? {
    func has(_ prefix: String) -> Bool { s.starts(with: prefix.utf8) }
    func rest(_ n: Int) -> ScanText.Bytes { s.dropFirst(n) }
    let alnum = ScanText.isAlnum
    if has("sk-ant-") {
      // sk-ant-api03-…, sk-ant-admin01-…
      for word in ["api", "admin"] where has("sk-ant-\(word)") {
        let v = rest(7 + word.count)
        guard v.count > 3, v.prefix(2).allSatisfy(ScanText.isDigit), v.dropFirst(2).first == UInt8(ascii: "-")
        else { return nil }
        return v.count - 3 >= 40 ? ("anthropic-key", v.dropFirst(3)) : nil
      }
      return nil
    }
    if has("sk-") {
      let named = ["proj-", "svcacct-", "admin-"].first { has("sk-" + $0) }
      let v = rest(3 + (named?.count ?? 0))
      if let marker = find("T3BlbkFJ", in: v), marker - v.startIndex >= 20, v.endIndex - marker - 8 >= 20 {
        return ("openai-key", v)
      }
      if named != nil, v.count >= 40 { return ("openai-key", v) }
      if named == nil, v.count == 48, v.allSatisfy(alnum) { return ("openai-key", v) }
      return nil
    }
    for prefix in ["AKIA", "ASIA", "ABIA", "ACCA"] where has(prefix) {
      let v = rest(4)
      let upperOrDigit = { (b: UInt8) in ScanText.isDigit(b) || (b >= 65 && b <= 90) }
      return v.count == 16 && v.allSatisfy(upperOrDigit) ? ("aws-access-key-id", v) : nil
    }
    if has("github_pat_") {
      let v = rest(11)
      return (22...255).contains(v.count) && v.allSatisfy(ScanText.isWord) ? ("github-token", v) : nil
    }
    if s.count > 4, has("gh"), "pousr".utf8.contains(s[s.startIndex + 2]), s[s.startIndex + 3] == UInt8(ascii: "_") {
      let v = rest(4)
      return (36...255).contains(v.count) && v.allSatisfy(alnum) ? ("github-token", v) : nil
    }
    if has("glpat-") { return rest(6).count >= 20 ? ("gitlab-token", rest(6)) : nil }
    if s.count > 5, has("xox"), "baprs".utf8.contains(s[s.startIndex + 3]), s[s.startIndex + 4] == UInt8(ascii: "-") {
      // xoxb-<digits>-<letters, digits and hyphens>
      let v = rest(5)
      let digits = v.prefix(while: ScanText.isDigit)
      let tail = v.dropFirst(digits.count)
      guard digits.count >= 6, tail.first == UInt8(ascii: "-"), tail.count > 6,
        tail.dropFirst().allSatisfy({ alnum($0) || $0 == UInt8(ascii: "-") })
      else { return nil }
      return ("slack-token", v)
    }
    for prefix in ["sk_live_", "rk_live_", "sk_test_", "rk_test_"] where has(prefix) {
      let v = rest(8)
      return v.count >= 16 && v.allSatisfy(alnum) ? ("stripe-key", v) : nil
    }
    if has("AIza") { return rest(4).count == 35 ? ("google-api-key", rest(4)) : nil }
    if has("hf_") {
      let v = rest(3)
      return v.count >= 34 && v.allSatisfy(ScanText.isLetter) ? ("huggingface-token", v) : nil
    }
    if has("npm_") {
      let v = rest(4)
      return v.count == 36 && v.allSatisfy(alnum) ? ("npm-token", v) : nil
    }
    return nil
  }

  /// Where `needle` starts in `haystack`, if it does.
  static func find(_ needle: String, in haystack: ScanText.Bytes) -> Int? {
    let n = Array(needle.utf8)
    guard haystack.count >= n.count else { return nil }
    for k in haystack.startIndex...(haystack.endIndex - n.count) where haystack[k..<(k + n.count)].elementsEqual(n) {
      return k
    }
    return nil
  }

  // MARK: - AWS secret access keys

  /// 40 characters of base64 after `aws_secret_access_key`, `AWS_SECRET_ACCESS_KEY`, `SecretAccessKey` (any
  /// case, underscores optional, the `aws` prefix too) and `=`, `:` or `=>`, quotes and spaces allowed around.
  static func awsSecretKeys(in t: ScanText) -> [(Range<Int>, String)] {
    var out: [(Range<Int>, String)] = []
    for i in 0..<t.count where t[i] | 0x20 == UInt8(ascii: "s") && lower(t, i, "secret") {
      // The name: [aws[_]]secret[_]access[_]key, a whole word.
      var start = i
      var p = i - 1
      if t[p] == UInt8(ascii: "_") { p -= 1 }
      if p >= 2, lower(t, p - 2, "aws") { start = p - 2 }
      guard !t.joinedBefore(start) else { continue }
      var j = i + 6
      var named = true
      for part in ["access", "key"] where named {
        if t[j] == UInt8(ascii: "_") { j += 1 }
        named = lower(t, j, part)
        j += part.count
      }
      guard named, !t.joinedAfter(j) else { continue }
      // The assignment: quotes and spaces, `=`, `:` or `=>`, spaces and quotes.
      var skipped = 0
      func skip(_ set: String) {
        while skipped < 16, set.utf8.contains(t[j]) {
          j += 1
          skipped += 1
        }
      }
      skip("\"' \t")
      guard t[j] == UInt8(ascii: "=") || t[j] == UInt8(ascii: ":") else { continue }
      j += 1
      if t[j] == UInt8(ascii: ">") { j += 1 }
      skip("\"' \t")
      let value = j
      while isBase64(t[j]), j - value <= 40 { j += 1 }
      guard j - value == 40, t[j] != UInt8(ascii: "="), !isPlaceholder(t.bytes[value..<j]) else { continue }
      out.append((start..<j, "aws-secret-access-key"))
    }
    return out
  }

  static func isBase64(_ b: UInt8) -> Bool { ScanText.isAlnum(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: "/") }

  /// Whether the text at `i` is `word` (lower case) in any case.
  static func lower(_ t: ScanText, _ i: Int, _ word: String) -> Bool {
    guard i >= 0 else { return false }
    return word.utf8.enumerated().allSatisfy { k, c in t[i + k] | 0x20 == c }
  }

  // MARK: - Private keys

  /// The PEM labels of private keys.
  static let privateKeyLabels = [
    "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY", "OPENSSH PRIVATE KEY", "PRIVATE KEY",
    "ENCRYPTED PRIVATE KEY", "PGP PRIVATE KEY BLOCK", "SSH2 ENCRYPTED PRIVATE KEY",
  ].map { Array("-----BEGIN \($0)-----".utf8) }

  /// A PEM private key header followed, after white space (or a JSON-escaped `\n`), by a key body: at least
  /// 16 base64 characters that are not a placeholder. A header alone, or over `...`, is not a key.
  static func privateKeys(in t: ScanText) -> [(Range<Int>, String)] {
    var out: [(Range<Int>, String)] = []
    for i in 0..<t.count where t[i] == UInt8(ascii: "-") && t[i + 5] == UInt8(ascii: "B") {
      guard let header = privateKeyLabels.first(where: { t.bytes[i...].starts(with: $0) }) else { continue }
      var j = i + header.count
      var skipped = 0
      while skipped < 8 {
        if " \t\r\n".utf8.contains(t[j]) {
          j += 1
        } else if t[j] == UInt8(ascii: "\\"), t[j + 1] == UInt8(ascii: "n") || t[j + 1] == UInt8(ascii: "r") {
          j += 2
        } else {
          break
        }
        skipped += 1
      }
      let body = j
      while (isBase64(t[j]) || t[j] == UInt8(ascii: "=")), j - body < 64 { j += 1 }
      guard j - body >= 16, !isPlaceholder(t.bytes[body..<j]) else { continue }
      out.append((i..<(i + header.count), "private-key"))
    }
    return out
  }

  // MARK: - JSON Web Tokens

  /// Three base64url parts joined by dots (dots ending a sentence dropped), the first two starting `eyJ`,
  /// each at least 8 long; the header must decode to a JSON object with `alg`, and the signature must not
  /// be a placeholder.
  static func jwts(in t: ScanText) -> [(Range<Int>, String)] {
    var out: [(Range<Int>, String)] = []
    var i = 0
    while i < t.count {
      guard isTokenChar(t[i]) || t[i] == UInt8(ascii: ".") else {
        i += 1
        continue
      }
      var j = i
      while isTokenChar(t[j]) || t[j] == UInt8(ascii: ".") { j += 1 }
      defer { i = j }
      var end = j
      while end > i, t[end - 1] == UInt8(ascii: ".") { end -= 1 }
      guard t.bytes[i..<end].starts(with: "eyJ".utf8) else { continue }
      let parts = t.bytes[i..<end].split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
      guard parts.count == 3, parts[1].starts(with: "eyJ".utf8), parts.allSatisfy({ $0.count >= 8 }),
        parts[0].count <= 4096, !isPlaceholder(parts[2]), isJWTHeader(parts[0])
      else { continue }
      out.append((i..<end, "jwt"))
    }
    return out
  }

  /// A JWT's header is base64url JSON naming its algorithm.
  static func isJWTHeader(_ header: ScanText.Bytes) -> Bool {
    var b64 = String(decoding: header, as: UTF8.self).replacingOccurrences(of: "-", with: "+")
      .replacingOccurrences(of: "_", with: "/")
    while b64.count % 4 != 0 { b64 += "=" }
    guard let data = Data(base64Encoded: b64),
      let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    else { return false }
    return object["alg"] != nil
  }
}
