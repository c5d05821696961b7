extension PIIScanner {
  /// E-mail addresses: from each `@`, the local part to the left and the domain to the right, each read as
  /// far as its characters go (so each byte is read at most twice). Dots and hyphens at the domain's end are
  /// sentence punctuation, not part of it. The domain needs a dot and an alphabetic top-level label that is
  /// not an image or document extension (`icon@2x.png`); an scp-style remote (`git@github.com:org/repo`) and
  /// an address glued to another `@` are not addresses.
  static func emails(in t: ScanText) -> [Range<Int>] {
    var out: [Range<Int>] = []
    for at in 0..<t.count where t[at] == UInt8(ascii: "@") {
      var start = at
      while isLocal(t[start - 1]) { start -= 1 }
      while start < at, t[start] == UInt8(ascii: ".") { start += 1 }
      var end = at + 1
      while isDomain(t[end]) { end += 1 }
      while end > at + 1, t[end - 1] == UInt8(ascii: ".") || t[end - 1] == UInt8(ascii: "-") { end -= 1 }
      guard start < at, end > at + 1, t[start - 1] != UInt8(ascii: "@"), t[end] != UInt8(ascii: "@") else {
        continue
      }
      if t[end] == UInt8(ascii: ":"), t[end + 1] > 0x20 { continue }  // host:path
      guard validLocal(t.bytes[start..<at]), validDomain(t.bytes[(at + 1)..<end]) else { continue }
      out.append(start..<end)
    }
    return out
  }

  static func isLocal(_ b: UInt8) -> Bool { ScanText.isAlnum(b) || "._%+-".utf8.contains(b) }
  static func isDomain(_ b: UInt8) -> Bool { ScanText.isAlnum(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "-") }

  static func validLocal(_ local: ScanText.Bytes) -> Bool {
    guard local.count <= 64, local.last != UInt8(ascii: ".") else { return false }
    return !zip(local, local.dropFirst()).contains { $0 == UInt8(ascii: ".") && $1 == UInt8(ascii: ".") }
  }

  static func validDomain(_ domain: ScanText.Bytes) -> Bool {
    guard domain.count <= 253 else { return false }
    let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
    guard labels.count >= 2, let tld = labels.last, (2...24).contains(tld.count), tld.allSatisfy(ScanText.isLetter)
    else { return false }
    for label in labels {
      guard (1...63).contains(label.count), label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-") else {
        return false
      }
    }
    return !fileExtensions.contains(String(decoding: tld, as: UTF8.self).lowercased())
  }

  /// Extensions that follow `@2x`-style file names, never top-level domains in practice.
  static let fileExtensions: Set<String> = [
    "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "bmp", "tiff", "pdf", "heic", "avif",
  ]
}
