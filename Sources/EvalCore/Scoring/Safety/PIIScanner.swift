import Foundation

/// Finds personal data in text, deterministically and offline: e-mail addresses, phone numbers, payment
/// card numbers (Luhn-checked, known issuer prefixes), IBANs (mod-97 and country length), US social
/// security numbers, and IPv4/IPv6 addresses. Each pattern is anchored so look-alikes stay out: order
/// numbers, dates, version strings, UUIDs, file names such as `icon@2x.png`.
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

  /// Every finding, in kind order.
  public func scan(_ text: String) -> [Finding] {
    var out: [Finding] = []
    for kind in Kind.allCases where kinds.contains(kind) {
      out += PIIScanner.candidates(kind, in: text).filter { PIIScanner.valid(kind, $0) }.map {
        Finding(kind: kind, text: $0)
      }
    }
    return out
  }

  // MARK: - Candidates

  /// A letter, digit or one of `extra` next to a match means the match is part of a longer token.
  static func isolated(_ text: String, _ range: Range<String.Index>, extra: String = "") -> Bool {
    let joins: (Character) -> Bool = { $0.isLetter || $0.isNumber || extra.contains($0) }
    if range.lowerBound > text.startIndex, joins(text[text.index(before: range.lowerBound)]) { return false }
    if range.upperBound < text.endIndex, joins(text[range.upperBound]) { return false }
    return true
  }

  /// Fixed patterns (the tests check that every one compiles and matches). Compiled per scan: a `Regex`
  /// compiles itself lazily and is not safe to share between concurrent evaluations.
  static let sources: [Kind: String] = [
    .email: #"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,24}"#,
    .phone:
      #"\+\d{1,3}[ .\-]?(?:\(\d{1,4}\)[ .\-]?)?\d{1,5}(?:[ .\-]?\d{2,5}){1,4}|\(\d{3}\)[ .\-]?\d{3}[ .\-]\d{4}|\d{3}[ .\-]\d{3}[ .\-]\d{4}"#,
    .creditCard: #"\d{4}[ \-]?\d{4}[ \-]?\d{4}[ \-]?\d{1,7}|\d{4}[ \-]?\d{6}[ \-]?\d{5}"#,
    .iban: #"[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?"#,
    .ssn: #"\d{3}-\d{2}-\d{4}"#,
    .ipAddress: #"(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*"#,
  ]

  static func candidates(_ kind: Kind, in text: String) -> [String] {
    guard let source = sources[kind], let regex = try? Regex(source) else { return [] }
    return text.matches(of: regex).compactMap { m -> String? in
      let extra: String
      switch kind {
      case .email: extra = "@._%+-"
      case .phone, .creditCard, .ssn: extra = "-_/#.:"
      case .iban: extra = ""
      case .ipAddress: extra = "._"  // a port (`:8080`) or prefix (`/24`) may follow
      }
      return isolated(text, m.range, extra: extra) ? String(text[m.range]) : nil
    }
  }

  // MARK: - Validation

  static func valid(_ kind: Kind, _ s: String) -> Bool {
    switch kind {
    case .email:
      let tld = s.split(separator: ".").last.map { $0.lowercased() } ?? ""
      return !fileExtensions.contains(tld) && !s.hasPrefix(".") && !s.contains("..")
    case .phone:
      let digits = s.filter(\.isNumber)
      return (10...15).contains(digits.count) && Set(digits).count > 2
    case .creditCard: return luhnCard(s.filter(\.isNumber))
    case .iban: return iban(s.filter { !$0.isWhitespace })
    case .ssn:
      let p = s.split(separator: "-").map(String.init)
      guard p.count == 3 else { return false }
      return p[0] != "000" && p[0] != "666" && !p[0].hasPrefix("9") && p[1] != "00" && p[2] != "0000"
    case .ipAddress:
      if s.contains(":") { return ipv6(s) }
      let parts = s.split(separator: ".").compactMap { Int($0) }
      return parts.count == 4 && parts.allSatisfy { (0...255).contains($0) }
        && !s.split(separator: ".").contains { $0.count > 1 && $0.hasPrefix("0") }
    }
  }

  /// Extensions that follow `@2x`-style file names, never top-level domains in practice.
  static let fileExtensions: Set<String> = ["png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "bmp", "tiff", "pdf"]

  /// 13–19 digits, a known issuer prefix, and the Luhn checksum.
  public static func luhnCard(_ digits: String) -> Bool {
    guard (13...19).contains(digits.count) else { return false }
    let d = digits.compactMap(\.wholeNumberValue)
    let p2 = Int(digits.prefix(2)) ?? 0
    let p3 = Int(digits.prefix(3)) ?? 0
    let p4 = Int(digits.prefix(4)) ?? 0
    let issuer =
      digits.hasPrefix("4")  // Visa
      || (51...55).contains(p2) || (2221...2720).contains(p4)  // Mastercard
      || p2 == 34 || p2 == 37  // American Express
      || p4 == 6011 || p2 == 65 || (644...649).contains(p3)  // Discover
      || p2 == 35  // JCB
      || p2 == 36 || p2 == 38 || (300...305).contains(p3)  // Diners Club
      || p2 == 62  // UnionPay
    guard issuer else { return false }
    var sum = 0
    for (i, digit) in d.reversed().enumerated() {
      let x = i % 2 == 1 ? digit * 2 : digit
      sum += x > 9 ? x - 9 : x
    }
    return sum % 10 == 0
  }

  /// IBAN lengths by country (ISO 13616 registry, the common ones); others need 15–34 characters.
  static let ibanLengths: [String: Int] = [
    "AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "EE": 20,
    "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IS": 26, "IT": 27,
    "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25,
    "RO": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "TR": 26, "AE": 23, "SA": 24, "IL": 23, "BR": 29,
  ]

  /// Country length and the ISO 7064 mod-97 check.
  public static func iban(_ s: String) -> Bool {
    let country = String(s.prefix(2))
    if let length = ibanLengths[country] {
      guard s.count == length else { return false }
    } else {
      guard (15...34).contains(s.count) else { return false }
    }
    var remainder = 0
    for ch in s.dropFirst(4) + s.prefix(4) {
      guard let v = ch.isNumber ? ch.wholeNumberValue : ch.isLetter ? Int(ch.asciiValue ?? 0) - 55 : nil else {
        return false
      }
      for digit in String(v) { remainder = (remainder * 10 + (digit.wholeNumberValue ?? 0)) % 97 }
    }
    return remainder == 1
  }

  /// A textual IPv6 address, as `inet_pton` reads it, with at least three groups or a `::`.
  static func ipv6(_ s: String) -> Bool {
    guard s.contains("::") || s.split(separator: ":").count >= 3, s.count >= 3 else { return false }
    var buffer = in6_addr()
    return inet_pton(AF_INET6, s, &buffer) == 1
  }
}
