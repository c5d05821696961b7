extension SecretScanner {
  /// Whether a token's variable part is a placeholder, not a secret: one character repeated, only `x`, `X`,
  /// `0` and `*` or a run of eight of them (`abc123XXXXXXXX…`), a placeholder word (`YOUR_API_KEY`,
  /// `REDACTED`, `example`, `your-key-here`), or a value documentation publishes as its example (jwt.io's
  /// token, Stripe's test key). Separators (`-`, `_`, `/`, `+`) are ignored. A random key holds a run of
  /// eight such characters with odds below one in 10⁸.
  static func isPlaceholder(_ variable: ScanText.Bytes) -> Bool {
    let core = variable.filter { !"-_/+=".utf8.contains($0) }
    guard let first = core.first else { return true }
    if core.allSatisfy({ $0 == first }) { return true }
    var run = 0
    for b in core {
      run = "xX0*".utf8.contains(b) ? run + 1 : 0
      if run >= 8 { return true }
    }
    if core.allSatisfy({ "xX0*".utf8.contains($0) }) { return true }
    let lowered = String(decoding: variable.map { ScanText.isLetter($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
    if placeholderWords.contains(where: { lowered.contains($0) }) { return true }
    return documentationExamples.contains(String(decoding: variable, as: UTF8.self))
  }

  /// Words that mark a value as a stand-in. Five letters or more (or with a separator), so a random key
  /// holds one with odds below one in 10⁵.
  static let placeholderWords = [
    "example", "redacted", "placeholder", "changeme", "your_", "your-", "yourkey", "yourtoken", "yoursecret",
    "yourapi", "api_key", "api-key", "apikey", "replace", "insert", "dummy", "sample", "fake_", "fake-",
  ]

  /// Variable parts published in documentation as examples.
  static let documentationExamples: Set<String> = [
    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",  // jwt.io's example token's signature
    "4eC39HqLyjWDarjtT1zdp7dc",  // Stripe's documentation test key, sk_test_…
  ]
}
