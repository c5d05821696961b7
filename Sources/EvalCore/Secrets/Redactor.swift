import Foundation

/// Knows every credential value a run uses and replaces each with `[REDACTED]` wherever it appears: in
/// outputs, rendered messages, variables, error messages and assertion reasons, before any of it reaches
/// a report, a log line, an annotation or the response cache.
///
/// Text is cut in places (error bodies, quoted outputs), and a key that crosses a cut would leave its
/// start (or end) behind; so besides whole occurrences, a run of at least ``minimumFragment`` characters
/// that is the start of a secret right before a cut mark (`…`) or the end of the text, or the end of a
/// secret right after a cut mark or at the start of the text, is replaced too.
public struct Redactor: Sendable, Hashable {
  /// What a secret is replaced with.
  public static let mask = "[REDACTED]"
  /// The shortest secret fragment left at a cut that is still replaced.
  public static let minimumFragment = 6
  /// Environment variables whose names contain one of these words (any case) hold secrets.
  public static let secretNameWords = ["KEY", "TOKEN", "SECRET", "PASSWORD"]
  /// Such a variable's value is a secret when it is at least this long (shorter values are flags and
  /// ports, and replacing them would garble ordinary text).
  public static let minimumEnvironmentSecret = 8

  /// The secrets, longest first, so a secret that contains another is replaced whole.
  public let secrets: [String]
  /// What lets text with no run of a secret's bytes through untouched.
  private let sieve: SecretSieve

  /// A redactor for `secrets`; values shorter than 4 characters are ignored (they would match ordinary
  /// text) and so is the mask itself.
  public init(secrets: some Sequence<String> = [String]()) {
    let kept = Set(secrets.filter { $0.count >= 4 && $0 != Redactor.mask })
    self.secrets = kept.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
    sieve = SecretSieve(self.secrets)
  }

  public static func == (a: Redactor, b: Redactor) -> Bool { a.secrets == b.secrets }

  public func hash(into hasher: inout Hasher) { hasher.combine(secrets) }

  /// Whether `text` may hold a secret or a fragment of one that ``redact(_:)`` replaces (`false`: it holds
  /// neither, read byte by byte).
  public func mayReveal(_ text: String) -> Bool { !secrets.isEmpty && sieve.mayHold(text) }

  /// This redactor with more secrets.
  public func adding(_ more: some Sequence<String>) -> Redactor {
    Redactor(secrets: secrets + more)
  }

  /// True when there is nothing to redact.
  public var isEmpty: Bool { secrets.isEmpty }

  /// The values of environment variables whose names say they hold a secret (see ``secretNameWords``).
  public static func environmentSecrets(_ environment: [String: String]) -> [String] {
    environment.compactMap { name, value in
      let upper = name.uppercased()
      guard value.count >= minimumEnvironmentSecret, secretNameWords.contains(where: upper.contains) else {
        return nil
      }
      return value
    }
  }

  /// The credentials a URL carries: its user info (`user:pass@`, the password and the pair, also
  /// percent-decoded) and the values of key-like query parameters (`api-key`, `token`, `sig`, …).
  public static func credentials(inURL url: String) -> [String] {
    var found: [String] = []
    guard let components = URLComponents(string: url) else { return found }
    if let password = components.percentEncodedPassword, !password.isEmpty {
      found += [password, components.password ?? password]
      if let user = components.percentEncodedUser { found.append(user + ":" + password) }
    } else if let user = components.percentEncodedUser, !user.isEmpty {
      found += [user, components.user ?? user]
    }
    for item in components.percentEncodedQueryItems ?? [] {
      guard let value = item.value, !value.isEmpty, isKeyLikeParameter(item.name) else { continue }
      found += [value, value.removingPercentEncoding ?? value]
    }
    return found
  }

  /// Query parameter names that carry credentials.
  static func isKeyLikeParameter(_ name: String) -> Bool {
    let n = name.lowercased().replacingOccurrences(of: "-", with: "_")
    return [
      "key", "api_key", "apikey", "token", "access_token", "auth", "sig", "signature", "secret", "password", "code",
    ]
    .contains(n) || n.hasSuffix("_key") || n.hasSuffix("_token") || n.hasSuffix("secret")
  }

  /// A header value the user set and its parts (`Bearer X` gives the whole value and `X`), each long
  /// enough to be a credential rather than a word.
  public static func credentials(inHeaderValue value: String) -> [String] {
    let parts = value.split(whereSeparator: \.isWhitespace).map(String.init).filter {
      $0.count >= minimumEnvironmentSecret
    }
    return (value.count >= minimumEnvironmentSecret ? [value] : []) + parts
  }

  /// `text` with every secret, and every secret fragment left at a cut, replaced by ``mask``.
  public func redact(_ text: String) -> String {
    guard !text.isEmpty, mayReveal(text) else { return text }
    return redactSearching(text)
  }

  /// ``redact(_:)`` without the byte-level sieve first: each secret searched for, and each cut's fragments.
  func redactSearching(_ text: String) -> String {
    guard !secrets.isEmpty, !text.isEmpty else { return text }
    var out = text
    for secret in secrets where out.contains(secret) {
      out = out.replacingOccurrences(of: secret, with: Redactor.mask)
    }
    return redactFragments(out)
  }

  /// True when `text` holds a secret (or a fragment of one at a cut).
  public func reveals(_ text: String) -> Bool {
    redact(text) != text
  }

  /// Fragments at cut marks: the start of a secret before `…` or the end of the text, the end of a secret
  /// after `…` or at the start of the text. Every piece between marks is bounded by cuts on both sides.
  private func redactFragments(_ text: String) -> String {
    var pieces = text.split(separator: "…", omittingEmptySubsequences: false)
    var changed = false
    for i in pieces.indices {
      if let trimmed = trimEnd(pieces[i]) {
        pieces[i] = trimmed
        changed = true
      }
      if let trimmed = trimStart(pieces[i]) {
        pieces[i] = trimmed
        changed = true
      }
    }
    return changed ? pieces.joined(separator: "…") : text
  }

  /// `piece` with a trailing start-of-secret replaced, or `nil` when it has none.
  private func trimEnd(_ piece: Substring) -> Substring? {
    let tail = piece.suffix(Redactor.minimumFragment)
    guard tail.count == Redactor.minimumFragment, !tail.hasSuffix(Redactor.mask) else { return nil }
    for secret in secrets where secret.contains(tail) {
      for k in stride(from: secret.count - 1, through: Redactor.minimumFragment, by: -1)
      where piece.hasSuffix(secret.prefix(k)) {
        return piece.dropLast(k) + Redactor.mask
      }
    }
    return nil
  }

  /// `piece` with a leading end-of-secret replaced, or `nil` when it has none.
  private func trimStart(_ piece: Substring) -> Substring? {
    let head = piece.prefix(Redactor.minimumFragment)
    guard head.count == Redactor.minimumFragment, !head.hasPrefix(Redactor.mask) else { return nil }
    for secret in secrets where secret.contains(head) {
      for k in stride(from: secret.count - 1, through: Redactor.minimumFragment, by: -1)
      where piece.hasPrefix(secret.suffix(k)) {
        return Redactor.mask + piece.dropFirst(k)
      }
    }
    return nil
  }

  /// Every string inside a JSON value, redacted.
  public func redact(_ value: JSONValue) -> JSONValue {
    guard !secrets.isEmpty else { return value }
    switch value {
    case .string(let s): return .string(redact(s))
    case .array(let items): return .array(items.map(redact))
    case .object(let members):
      // Two keys that differ only in their secrets redact to one key: the first is kept.
      return .object(Dictionary(members.map { (redact($0.key), redact($0.value)) }, uniquingKeysWith: { a, _ in a }))
    default: return value
    }
  }
}
