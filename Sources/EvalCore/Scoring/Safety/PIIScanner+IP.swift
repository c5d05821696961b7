extension PIIScanner {
  /// IPv6 addresses first, then IPv4 addresses outside them (`::ffff:192.0.2.1` is one address).
  static func ipAddresses(in t: ScanText) -> [Range<Int>] {
    let v6 = ipv6Addresses(in: t)
    var next = v6.makeIterator()
    var current = next.next()
    var out = v6
    for r in ipv4Addresses(in: t) {
      while let c = current, c.upperBound <= r.lowerBound { current = next.next() }
      if let c = current, c.overlaps(r) { continue }
      out.append(r)
    }
    return out.sorted { $0.lowerBound < $1.lowerBound }
  }

  /// Words after which a four-part number is a version or a section, not an address.
  static let versionWords: Set<String> = [
    "version", "ver", "v", "release", "rel", "build", "firmware", "patch", "rev", "revision", "section", "chapter",
    "clause", "§",
  ]

  /// IPv4 addresses: a run of digits and dots that, less dots ending a sentence, is four numbers 0–255
  /// without leading zeros; not glued to a word (`v1.2.3.4`), not after a version word (`version`, `build`,
  /// `release`, `v`, `§`…), not followed by a version suffix (`-beta`, `+build5`). A port or prefix may follow.
  static func ipv4Addresses(in t: ScanText) -> [Range<Int>] {
    var out: [Range<Int>] = []
    var i = 0
    while i < t.count {
      guard ScanText.isDigit(t[i]) else {
        i += 1
        continue
      }
      var j = i
      while ScanText.isDigit(t[j]) || t[j] == UInt8(ascii: ".") { j += 1 }
      defer { i = j }
      var end = j
      while t[end - 1] == UInt8(ascii: ".") { end -= 1 }
      // Four numbers 0–255 without leading zeros, read in place.
      var parts = 0
      var value = 0
      var length = 0
      var valid = true
      for k in i...end where valid {
        if k < end, ScanText.isDigit(t[k]) {
          valid = !(length == 1 && value == 0)  // a leading zero
          value = value * 10 + Int(t[k]) - 48
          length += 1
          valid = valid && value <= 255
        } else {
          parts += 1
          valid = length > 0 && parts <= 4
          (value, length) = (0, 0)
        }
      }
      guard valid, parts == 4, !t.joinedBefore(i, joiners: "-+"), !t.joinedAfter(end), !versionSuffix(t, end),
        !versionWords.contains(t.wordBefore(i))
      else { continue }
      out.append(i..<end)
    }
    return out
  }

  static func octet<C: Collection<UInt8>>(_ digits: C) -> Bool {
    guard (1...3).contains(digits.count), digits.count == 1 || digits.first != UInt8(ascii: "0") else { return false }
    return digits.reduce(0) { $0 * 10 + Int($1) - 48 } <= 255
  }

  /// `-beta`, `-rc1`, `+build5`, `~dev` after a number.
  static func versionSuffix(_ t: ScanText, _ end: Int) -> Bool {
    ("-~".utf8.contains(t[end]) && ScanText.isLetter(t[end + 1]))
      || (t[end] == UInt8(ascii: "+") && ScanText.isAlnum(t[end + 1]))
  }

  /// IPv6 addresses: a run of hex digits, colons and dots with two colons or more and a decimal digit, less
  /// dots ending a sentence, not glued to a word (`std::vector`), that ``ipv6(_:)`` accepts. A zone
  /// (`%eth0`), a port after `]` or a prefix may follow. Eight two-digit groups are a MAC-style EUI-64.
  static func ipv6Addresses(in t: ScanText) -> [Range<Int>] {
    var out: [Range<Int>] = []
    var i = 0
    while i < t.count {
      guard isIPv6Char(t[i]) else {
        i += 1
        continue
      }
      var j = i
      var colons = 0
      var digit = false
      while isIPv6Char(t[j]) {
        if t[j] == UInt8(ascii: ":") { colons += 1 }
        if ScanText.isDigit(t[j]) { digit = true }
        j += 1
      }
      defer { i = j }
      // A lone colon at either end is punctuation (`Contact:2001:db8::1`, `at ::1:`), a `::` is not.
      var start = i
      if t[start] == UInt8(ascii: ":"), t[start + 1] != UInt8(ascii: ":") || t[start + 2] == UInt8(ascii: ":") {
        start += 1
      }
      var end = j
      while end > start, t[end - 1] == UInt8(ascii: ".") { end -= 1 }
      if end - start >= 2, t[end - 1] == UInt8(ascii: ":"), t[end - 2] != UInt8(ascii: ":") { end -= 1 }
      guard colons >= 2, digit, (3...45).contains(end - start), !t.joinedBefore(start), !t.joinedAfter(end) else {
        continue
      }
      let text = t.string(start..<end)
      guard ipv6(text) else { continue }
      let groups = text.split(separator: ":", omittingEmptySubsequences: false)
      if groups.count == 8, groups.allSatisfy({ $0.count == 2 }) { continue }
      out.append(start..<end)
    }
    return out
  }

  static func isIPv6Char(_ b: UInt8) -> Bool { ScanText.isHex(b) || b == UInt8(ascii: ":") || b == UInt8(ascii: ".") }

  /// A textual IPv6 address (RFC 4291 section 2.2): eight groups of 1–4 hex digits, one `::` standing for
  /// one or more zero groups, and optionally a dotted IPv4 address as the last two groups.
  static func ipv6(_ s: String) -> Bool {
    let colon = UInt8(ascii: ":")
    var b = Array(s.utf8)
    var groups = 0
    if let lastColon = b.lastIndex(of: colon), b[lastColon...].contains(UInt8(ascii: ".")) {
      let parts = b[(lastColon + 1)...].split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
      guard parts.count == 4, parts.allSatisfy(octet) else { return false }
      b.removeSubrange((lastColon + 1)...)
      if b.count < 2 || b[b.count - 2] != colon { b.removeLast() }  // keep a `::`, drop a lone `:`
      guard !b.isEmpty else { return false }
      groups = 2
    }
    var double: Int?
    for k in b.indices.dropLast() where b[k] == colon && b[k + 1] == colon {
      guard double == nil else { return false }  // a second `::`, or `:::`
      double = k
    }
    let halves = double.map { [b[..<$0], b[($0 + 2)...]] } ?? [b[...]]
    for half in halves where !half.isEmpty {
      let parts = half.split(separator: colon, omittingEmptySubsequences: false)
      guard parts.allSatisfy({ (1...4).contains($0.count) && $0.allSatisfy(ScanText.isHex) }) else { return false }
      groups += parts.count
    }
    return double == nil ? groups == 8 : groups <= 7
  }
}
