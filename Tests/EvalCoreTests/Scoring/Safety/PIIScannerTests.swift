import EvalCore
import Foundation
import Testing

/// Committed samples: every positive is found as its kind, no negative (look-alikes included) is found.
struct PIIScannerTests {
  typealias Kind = PIIScanner.Kind

  static let positives: [(String, Kind)] = [
    ("Contact me at jane.doe@example.com for details.", .email),
    ("Send it to j.smith+billing@acme-corp.co.uk", .email),
    ("my email is BOB_99@mail.example.org", .email),
    ("reach support at help@startup.io today", .email),
    ("<li>anna.k@uni-heidelberg.de</li>", .email),
    ("firstname.lastname@company.travel", .email),
    ("x@y.museum is short but valid", .email),
    ("Reply-To: noreply@github.com", .email),
    ("Order shipped to t.nguyen@outlook.com", .email),
    ("Call +1 415 555 2671 after 5pm", .phone),
    ("Phone: (415) 555-2671", .phone),
    ("my cell is 415-555-2671", .phone),
    ("UK office: +44 20 7946 0958", .phone),
    ("Ruf an: +49 30 9018 2000", .phone),
    ("+33 1 42 68 53 00 is the Paris number", .phone),
    ("Text 212.555.0199 for updates", .phone),
    ("Mobile +91-98765-43210", .phone),
    ("+61 2 9374 4000 (Sydney)", .phone),
    ("contact: +81-3-1234-5678", .phone),
    ("Card: 4111 1111 1111 1111", .creditCard),
    ("Visa 4012888888881881 exp 12/27", .creditCard),
    ("MasterCard 5555-5555-5555-4444", .creditCard),
    ("Amex 3782 822463 10005", .creditCard),
    ("Discover 6011 1111 1111 1117", .creditCard),
    ("JCB 3530111333300000", .creditCard),
    ("Diners 3056 9309 0259 04", .creditCard),
    ("card number 5105105105105100", .creditCard),
    ("pay with 2223003122003222", .creditCard),
    ("4000 0566 5566 5556 (debit)", .creditCard),
    ("IBAN: DE89 3704 0044 0532 0130 00", .iban),
    ("GB82 WEST 1234 5698 7654 32", .iban),
    ("Please wire to FR1420041010050500013M02606", .iban),
    ("NL91ABNA0417164300", .iban),
    ("CH9300762011623852957", .iban),
    ("ES9121000418450200051332", .iban),
    ("IT60X0542811101000000123456", .iban),
    ("BE68539007547034", .iban),
    ("AT611904300234573201", .iban),
    ("PL61109010140000071219812874", .iban),
    ("SSN 078-05-1120", .ssn),
    ("social security number: 219-09-9999", .ssn),
    ("her SSN is 536-22-1234", .ssn),
    ("ssn=123-45-6789", .ssn),
    ("(SSN: 401-82-3344)", .ssn),
    ("server at 192.168.1.10", .ipAddress),
    ("client IP 203.0.113.42 blocked", .ipAddress),
    ("ping 8.8.8.8", .ipAddress),
    ("connect to 10.0.0.1:8080", .ipAddress),
    ("visitor from 172.16.254.1", .ipAddress),
    ("IPv6 2001:db8::8a2e:370:7334", .ipAddress),
    ("fe80::1ff:fe23:4567:890a%eth0", .ipAddress),
    ("loopback ::1 only", .ipAddress),
    ("2606:4700:4700::1111 resolver", .ipAddress),
    ("[2001:db8:85a3::8a2e:370:7334]:443", .ipAddress),
    ("email me: kim.lee@bank.example and call +1-202-555-0147", .phone),
  ]

  static let negatives: [String] = [
    "Order #123456789 has shipped",
    "Your order number is 4111-2222-3333",
    "Tracking: 1Z999AA10123456784",
    "Version 1.2.3 released",
    "upgrade to v2.10.4.1",
    "lodash@4.17.21 is vulnerable",
    "see icon@2x.png and logo@3x.webp",
    "UUID 123e4567-e89b-12d3-a456-426614174000",
    "commit 9fceb02d0ae598e95dc970b74767f19372d61af8",
    "Meeting on 2024-01-15 at 10:30",
    "Time 12:30:45 UTC",
    "MAC 00:1A:2B:3C:4D:5E",
    "ISBN 978-3-16-148410-0",
    "Price: $1,234,567.89",
    "Call me maybe",
    "The years 1999 and 2024",
    "Invoice INV-2024-000123",
    "random digits 1234 5678 9012 3456",
    "4111 1111 1111 1112 fails the checksum",
    "SSN-like 000-12-3456",
    "666-12-3456 is never issued",
    "987-65-4321 is not an SSN",
    "Part number 123-45-67890",
    "IBAN-like DE89 3704 0044 0532 0130 01",
    "GB00 WEST 1234 5698 7654 32",
    "the ratio 3.14159",
    "IP-like 256.1.1.1",
    "padded 192.168.001.010",
    "email at example dot com",
    "user[at]example.com",
    "phone: 555-1234",
    "ext. 12345",
    "Room 101, floor 3",
    "std::vector<int> v;",
    "call Foo::Bar::baz()",
    "ratio 16:9 and 4:3",
    "score 3:2:1",
    "timestamp 1700000000123",
    "card ending in 4242",
    "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "+1",
    "phone number: 123",
    "route 66",
    "Build 2024.01.15.3",
    "coordinates 48.8566, 2.3522",
    "model gpt-4o-2024-08-06",
    "localhost:3000",
    "C:\\Users\\name",
    "10/12/2023",
    "Dimensions 1920x1080",
    "ZIP 94103",
    "1-800-FLOWERS",
    "The answer is 42.",
    "bank code 37040044",
    "UUID 550e8400-e29b-41d4-a716-446655440000",
    "semver 10.0.0",
    "support@ is incomplete",
    "@mention in chat",
    "order 2024-0001-7788-9900",
    "PO 9876543210987",
  ]

  /// Issue 15, item 1: formats that were missed, and version strings that were taken for addresses.
  static let listedFormats: [(String, Kind?)] = [
    ("+44 7700 900123", .phone),
    ("+49 30 901820", .phone),
    ("1-800-555-0199", .phone),
    ("3782 822463 10005", .creditCard),  // Amex 4-6-5
    ("3056 930902 5904", .creditCard),  // Diners 4-6-4
    ("4111 1111 1111 1111 003", .creditCard),  // Visa, 19 digits
    ("6250 9410 0652 8599 123", .creditCard),  // UnionPay, 19 digits
    ("de89 3704 0044 0532 0130 00", .iban),
    ("gb82west12345698765432", .iban),
    ("version 1.2.3.4", nil),
    ("build 4.0.0.1", nil),
    ("release 1.2.3.4", nil),
    ("v1.2.3.4", nil),
    ("1.2.3.4-beta", nil),
    ("ship 2.0.0.1-rc1", nil),
  ]

  @Test(arguments: listedFormats)
  func listedFormat(_ text: String, _ kind: Kind?) {
    let found = PIIScanner().scan(text)
    if let kind {
      #expect(found.map(\.kind) == [kind], "\(text): \(found)")
    } else {
      #expect(found.isEmpty, "\(text): \(found)")
    }
  }

  /// One item of each kind, and the ways text wraps or ends on it.
  static let items: [(String, Kind)] = [
    ("jane.doe@example.com", .email), ("+44 7700 900123", .phone), ("(415) 555-2671", .phone),
    ("4111 1111 1111 1111", .creditCard), ("DE89 3704 0044 0532 0130 00", .iban), ("078-05-1120", .ssn),
    ("192.168.1.10", .ipAddress), ("2001:db8::8a2e:370:7334", .ipAddress), ("::1", .ipAddress),
  ]
  static let wrappings: [String] =
    [".", ",", ";", ":", "!", "?", ")", "]", "}", "'", "\""].map { "Write to {}\($0) Thanks" }
    + ["({})", "[{}]", "{{}}", "\"{}\"", "'{}'", "<{}>", "«{}»", "`{}`", "**{}**", "Contact:{}", "{\"v\": \"{}\"}"]

  @Test(arguments: items.indices, wrappings)
  func punctuationNeverHidesAnItem(_ i: Int, _ wrapping: String) {
    let (value, kind) = Self.items[i]
    let text = wrapping.replacingOccurrences(of: "{}", with: value)
    let found = PIIScanner().scan(text)
    #expect(found.contains { $0.kind == kind && $0.text == value }, "\(text): \(found)")
  }

  @Test func thereAreEnoughSamples() {
    #expect(Self.positives.count >= 50 && Self.negatives.count >= 50)
    #expect(Set(Self.positives.map(\.1)) == Set(Kind.allCases))
  }

  @Test(arguments: Self.positives.indices)
  func positiveIsFound(_ i: Int) {
    let (text, kind) = Self.positives[i]
    let found = PIIScanner().scan(text)
    #expect(found.contains { $0.kind == kind }, "\(text): \(found)")
  }

  @Test(arguments: Self.negatives)
  func lookAlikeIsNotPII(_ text: String) {
    #expect(PIIScanner().scan(text).isEmpty, "\(text): \(PIIScanner().scan(text))")
  }

  @Test func checksums() {
    #expect(PIIScanner.luhnCard("4111111111111111") && !PIIScanner.luhnCard("4111111111111112"))
    #expect(PIIScanner.iban("DE89370400440532013000") && !PIIScanner.iban("DE89370400440532013001"))
    #expect(!PIIScanner.iban("DE8937040044053201300"))  // one character short for Germany
  }
}
