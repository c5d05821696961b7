extension PIIScanner {
  /// Payment card numbers: a run of digit groups separated by single spaces or hyphens, read once. Its longest
  /// leading part that ends at a space before a group of 1–3 digits (or the whole run) is a card if it is
  /// written as cards are (one block; groups of four with a shorter last group; Amex 4-6-5; Diners 4-6-4),
  /// with one kind of separator, and ``luhnCard(_:)`` accepts its digits. Runs right after `EAN`, `GTIN`,
  /// `UPC`, `ISBN`, `IMEI`, `barcode` or `tracking` are product and parcel codes, and the digits of a printed
  /// IBAN are not a card.
  static func cards(in t: ScanText) -> [Range<Int>] {
    var out: [Range<Int>] = []
    var groups: [Range<Int>] = []  // reused from run to run
    var separators: [UInt8] = []
    var i = 0
    while i < t.count {
      guard ScanText.isDigit(t[i]) else {
        i += 1
        continue
      }
      // The groups of the run.
      groups.removeAll(keepingCapacity: true)
      separators.removeAll(keepingCapacity: true)
      var digitCount = 0
      var j = i
      while true {
        let s = j
        while ScanText.isDigit(t[j]) { j += 1 }
        if ScanText.isLetter(t[j]) || t[j] == UInt8(ascii: "_") { break }
        groups.append(s..<j)
        digitCount += j - s
        if t[j] == UInt8(ascii: " ") || t[j] == UInt8(ascii: "-"), ScanText.isDigit(t[j + 1]) {
          separators.append(t[j])
          j += 1
        } else {
          break
        }
      }
      let runEnd = groups.last?.upperBound ?? j
      defer { i = max(runEnd, i + 1) }
      guard digitCount >= 13, !t.joinedBefore(i, joiners: "-.,/+"), !"#$+".utf8.contains(t[i - 1]) else { continue }
      for n in stride(from: min(groups.count, 5), through: 1, by: -1) {
        // A shorter part must stop at a space, before a group too short to continue the card's grouping.
        if n < groups.count, separators[n - 1] != UInt8(ascii: " ") || groups[n].count >= 4 { continue }
        let end = groups[n - 1].upperBound
        if n == groups.count, t.joinedAfter(end, joiners: ".,") { continue }
        let sizes = groups.prefix(n).map(\.count)
        guard cardLayout(sizes), Set(separators.prefix(n - 1)).count <= 1,
          luhnCard(String(decoding: groups.prefix(n).flatMap { t.bytes[$0] }, as: UTF8.self))
        else { continue }
        if !codeWords.contains(t.wordBefore(i)), !t.followsCodeGroups(i) { out.append(i..<end) }
        break
      }
    }
    return out
  }

  /// Words that name the number after them as something other than a card.
  static let codeWords: Set<String> = ["ean", "gtin", "upc", "isbn", "imei", "barcode", "tracking"]

  /// How card numbers are written: one block of 13–19 digits, groups of four with a last group of 1–4, Amex
  /// 4-6-5, Diners 4-6-4.
  static func cardLayout(_ sizes: [Int]) -> Bool {
    if sizes.count == 1 { return (13...19).contains(sizes[0]) }
    if sizes == [4, 6, 5] || sizes == [4, 6, 4] { return true }
    return sizes.dropLast().allSatisfy { $0 == 4 } && (1...4).contains(sizes.last ?? 0)
      && (13...19).contains(sizes.reduce(0, +))
  }

  /// A card number: a length its issuer uses, a known issuer prefix, and the Luhn checksum. Visa 13, 16 or 19
  /// digits; Mastercard 51–55 and 2221–2720, 16; American Express 34/37, 15; Diners Club 300–305, 36, 38, 39,
  /// 14–19; Discover 6011, 644–649, 65, 16–19; JCB 3528–3589, 16–19; UnionPay 62, 16–19.
  public static func luhnCard(_ digits: String) -> Bool {
    let d = digits.utf8.map { Int($0) - 48 }
    guard (13...19).contains(d.count), d.allSatisfy({ (0...9).contains($0) }) else { return false }
    let p2 = d[0] * 10 + d[1]
    let p3 = p2 * 10 + d[2]
    let p4 = p3 * 10 + d[3]
    let n = d.count
    let issued =
      (d[0] == 4 && [13, 16, 19].contains(n))  // Visa
      || (((51...55).contains(p2) || (2221...2720).contains(p4)) && n == 16)  // Mastercard
      || ((p2 == 34 || p2 == 37) && n == 15)  // American Express
      || (((300...305).contains(p3) || [36, 38, 39].contains(p2)) && n >= 14)  // Diners Club
      || ((p4 == 6011 || (644...649).contains(p3) || p2 == 65) && n >= 16)  // Discover
      || ((3528...3589).contains(p4) && n >= 16)  // JCB
      || (p2 == 62 && n >= 16)  // UnionPay
    guard issued else { return false }
    var sum = 0
    for (i, digit) in d.reversed().enumerated() {
      let x = i % 2 == 1 ? digit * 2 : digit
      sum += x > 9 ? x - 9 : x
    }
    return sum % 10 == 0
  }
}
