// Hand-written: no listed package finds personal data. Each kind is one forward pass over the UTF-8 bytes with
// bounded look-around (see ScanText), so a scan is linear in the length of the text, adversarial text included.

/// Finds personal data in text, deterministically and offline: e-mail addresses, phone numbers, payment
/// card numbers (Luhn-checked, known issuer prefixes and lengths), IBANs (registry length and mod-97), US
/// social security numbers, and IPv4/IPv6 addresses. Sentence punctuation, brackets and quotes around an
/// item never hide it; look-alikes stay out: order numbers, dates, version strings, UUIDs, file names such
/// as `icon@2x.png`.
public struct PIIScanner: Sendable {
  /// A kind of personal data.
  public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
    case email
    case phone
    case creditCard = "credit-card"
    case iban
    case ssn
    case ipAddress = "ip-address"
  }

  /// One finding.
  public struct Finding: Sendable, Hashable {
    /// What was found.
    public var kind: Kind
    /// The text that matched.
    public var text: String
  }

  /// The kinds looked for.
  public var kinds: Set<Kind>

  /// A scanner for `kinds` (all by default).
  public init(kinds: Set<Kind> = Set(Kind.allCases)) { self.kinds = kinds }

  /// Every finding, in kind order, then in text order.
  public func scan(_ text: String) -> [Finding] {
    ScanText.withBytes(of: text) { t in scan(t) }
  }

  func scan(_ t: ScanText) -> [Finding] {
    var out: [Finding] = []
    for kind in Kind.allCases where kinds.contains(kind) {
      let ranges: [Range<Int>]
      switch kind {
      case .email: ranges = PIIScanner.emails(in: t)
      case .phone: ranges = PIIScanner.phones(in: t)
      case .creditCard: ranges = PIIScanner.cards(in: t)
      case .iban: ranges = PIIScanner.ibans(in: t)
      case .ssn: ranges = PIIScanner.ssns(in: t)
      case .ipAddress: ranges = PIIScanner.ipAddresses(in: t)
      }
      out += ranges.map { Finding(kind: kind, text: t.string($0)) }
    }
    return out
  }
}
