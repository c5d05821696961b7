import Foundation

/// Finds credentials in text, deterministically and offline: provider API keys by their published
/// formats (OpenAI, Anthropic, AWS, GitHub, GitLab, Slack, Stripe, Google, Hugging Face, npm), PEM
/// private keys, and JSON Web Tokens (whose header must decode to JSON with an `alg`). Placeholders
/// (`sk-...`, `YOUR_API_KEY`), hashes and UUIDs do not match.
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

  /// The formats, by kind. Each must not be part of a longer token.
  static let sources: [(String, String)] = [
    ("private-key", #"-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----"#),
    ("anthropic-key", #"sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_\-]{40,}"#),
    (
      "openai-key",
      #"sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,}T3BlbkFJ[A-Za-z0-9_\-]{20,}|sk-(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{40,}|sk-[A-Za-z0-9]{48}"#
    ),
    ("aws-access-key-id", #"(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}"#),
    ("aws-secret-access-key", #"(?i:aws_?secret_?access_?key)\s*[:=]\s*["']?[A-Za-z0-9/+=]{40}"#),
    ("github-token", #"gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255}"#),
    ("gitlab-token", #"glpat-[A-Za-z0-9_\-]{20,}"#),
    ("slack-token", #"xox[baprs]-[0-9]{6,}-[A-Za-z0-9\-]{6,}"#),
    ("stripe-key", #"(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}"#),
    ("google-api-key", #"AIza[0-9A-Za-z_\-]{35}"#),
    ("huggingface-token", #"hf_[A-Za-z]{34,}"#),
    ("npm-token", #"npm_[A-Za-z0-9]{36}"#),
    ("jwt", #"eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}"#),
  ]

  /// Every finding; where two formats match overlapping text, the first listed wins.
  public func scan(_ text: String) -> [Finding] {
    var out: [Finding] = []
    var taken: [Range<String.Index>] = []
    // Compiled per scan: a `Regex` compiles itself lazily and is not safe to share between threads.
    for (kind, source) in SecretScanner.sources {
      guard let regex = try? Regex(source) else { continue }
      for m in text.matches(of: regex) where !taken.contains(where: { $0.overlaps(m.range) }) {
        let s = String(text[m.range])
        let anchored = kind == "private-key" || kind == "aws-secret-access-key"
        guard anchored || PIIScanner.isolated(text, m.range, extra: "_-") else { continue }
        if kind == "jwt", !SecretScanner.isJWT(s) { continue }
        taken.append(m.range)
        out.append(Finding(kind: kind, preview: String(s.prefix(12)) + "…"))
      }
    }
    return out
  }

  /// A JWT's header is base64url JSON naming its algorithm.
  static func isJWT(_ token: String) -> Bool {
    guard let header = token.split(separator: ".").first else { return false }
    var b64 = header.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    while b64.count % 4 != 0 { b64 += "=" }
    guard let data = Data(base64Encoded: b64),
      let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    else { return false }
    return object["alg"] != nil
  }
}
