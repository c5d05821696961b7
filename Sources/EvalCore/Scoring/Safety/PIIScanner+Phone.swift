extension PIIScanner {
  /// One group of a written number: its digits' range and whether it was in parentheses (`(415)`).
  struct NumberGroup {
    var start: Int
    var end: Int
    var parenthesized: Bool
    /// The separator written before the group (`0` for none).
    var separator: UInt8
    var count: Int { end - start }
  }

  /// Phone numbers. A run is an optional `+`, then groups of digits (one may be in parentheses) separated by
  /// single spaces, hyphens or dots; a group glued to letters (`8am`) ends the run before it. The longest
  /// leading part of the run that ends at a space and reads as a number wins:
  /// - international: `+` or `00`, an assigned country calling code, 8–15 digits in all (`(0)` not counted;
  ///   `+1` numbers are North American), groups of two or more digits but for one;
  /// - North American: `[1-](NXX) NXX-XXXX` with separators, area code and exchange starting 2–9;
  /// - an area code in parentheses (`(02) 9374 4000`, `(11) 91234-5678`), 9–12 digits;
  /// - a national number after the trunk prefix 0 (`020 7946 0958`, `03-1234-5678`, `06 12 34 56 78`):
  ///   a first group of 2–6 digits, one kind of separator, 9–12 digits, never in the `078-05-1120` shape.
  static func phones(in t: ScanText) -> [Range<Int>] {
    var out: [Range<Int>] = []
    var groups: [NumberGroup] = []  // reused from run to run
    var i = 0
    while i < t.count {
      let b = t[i]
      let opens = b == UInt8(ascii: "(") && ScanText.isDigit(t[i + 1])
      guard b == UInt8(ascii: "+") || ScanText.isDigit(b) || opens else {
        i += 1
        continue
      }
      let (plus, runEnd, digitCount) = numberRun(t, from: i, into: &groups)
      defer { i = max(runEnd, i + 1) }
      guard digitCount >= 8, !t.joinedBefore(i, joiners: "-.,/"), !"#$/@".utf8.contains(t[i - 1]),
        !t.followsCodeGroups(i)
      else { continue }
      for n in stride(from: min(groups.count, 8), through: 1, by: -1) {
        if n < groups.count, groups[n].separator != UInt8(ascii: " ") { continue }
        if groups.prefix(n).reduce(0, { $0 + $1.count }) > 17 { continue }  // longer than any phone number
        let last = groups[n - 1]
        let end = last.end + (last.parenthesized ? 1 : 0)
        if n == groups.count, t.joinedAfter(end, joiners: ".,-") { continue }
        if isPhone(Array(groups.prefix(n)), plus: plus, t) {
          out.append(i..<end)
          break
        }
      }
    }
    return out
  }

  /// Reads the groups of the number written from `start` (past a leading `+`) into `groups`; returns whether
  /// it had the `+`, where the run ends and how many digits it has.
  static func numberRun(_ t: ScanText, from start: Int, into groups: inout [NumberGroup]) -> (Bool, Int, Int) {
    groups.removeAll(keepingCapacity: true)
    var digitCount = 0
    var j = start
    let plus = t[j] == UInt8(ascii: "+")
    if plus { j += 1 }
    var separator: UInt8 = 0
    while true {
      var k = j
      let paren = t[k] == UInt8(ascii: "(")
      if paren { k += 1 }
      let digits = k
      while ScanText.isDigit(t[k]) { k += 1 }
      guard k > digits, !paren || t[k] == UInt8(ascii: ")") else { break }
      let after = paren ? k + 1 : k
      if ScanText.isLetter(t[after]) || t[after] == UInt8(ascii: "_") { break }  // `8am`: not part of the number
      groups.append(NumberGroup(start: digits, end: k, parenthesized: paren, separator: separator))
      digitCount += k - digits
      j = after
      let next = t[j]
      if " -.".utf8.contains(next), t[j + 1] == UInt8(ascii: "(") || ScanText.isDigit(t[j + 1]) {
        separator = next
        j += 1
      } else if paren, ScanText.isDigit(next) {
        separator = 0
      } else {
        break
      }
    }
    let end = groups.last.map { $0.end + ($0.parenthesized ? 1 : 0) } ?? start + 1
    return (plus, end, digitCount)
  }

  static func isPhone(_ groups: [NumberGroup], plus: Bool, _ t: ScanText) -> Bool {
    func digits(_ g: NumberGroup) -> ScanText.Bytes { t.bytes[g.start..<g.end] }
    let first = digits(groups[0])
    let zeroZero = !groups[0].parenthesized && first.starts(with: "00".utf8)
    if plus || zeroZero {
      // `(0)` after the country code is the trunk prefix, dialled only at home.
      let counted = groups.enumerated().filter { i, g in
        !(i == 1 && g.parenthesized && digits(g).elementsEqual("0".utf8))
      }
      .map(\.element)
      var all = Array(counted.flatMap { digits($0) })
      if zeroZero { all.removeFirst(2) }
      guard (8...15).contains(all.count), Set(all).count > 2,
        counted.dropFirst().filter({ $0.count < 2 }).count <= 1,
        let code = callingCode(all), groups[0].count >= (zeroZero ? 2 : 0) + String(code).count
      else { return false }
      if code == 1 { return all.count == 11 && northAmerican(Array(all.dropFirst())) }
      return code != 7 || all.count == 11
    }
    guard groups.count >= 2, !groups.dropFirst().contains(where: \.parenthesized) else { return false }
    let sizes = groups.map(\.count)
    let all = Array(groups.flatMap { digits($0) })
    guard Set(all).count > 2 else { return false }
    // North American: [1-](NXX) NXX-XXXX.
    let local = sizes.first == 1 && first.first == UInt8(ascii: "1") && !groups[0].parenthesized ? 1 : 0
    if Array(sizes.dropFirst(local)) == [3, 3, 4], northAmerican(Array(all.dropFirst(local))) { return true }
    // An area code in parentheses.
    if groups[0].parenthesized {
      return (2...5).contains(sizes[0]) && (9...12).contains(all.count) && sizes.dropFirst().allSatisfy { $0 >= 2 }
    }
    // A national number after the trunk prefix 0, one kind of separator, never in the SSN shape.
    let separators = Set(groups.dropFirst().map(\.separator))
    return first.first == UInt8(ascii: "0") && !first.starts(with: "00".utf8) && (2...6).contains(sizes[0])
      && (9...12).contains(all.count) && sizes.dropFirst().allSatisfy { $0 >= 2 } && separators.count == 1
      && !(sizes == [3, 2, 4] && separators == [UInt8(ascii: "-")])
  }

  /// Ten digits with area code and exchange starting 2–9.
  static func northAmerican(_ d: [UInt8]) -> Bool {
    d.count == 10 && d[0] >= UInt8(ascii: "2") && d[3] >= UInt8(ascii: "2")
  }

  /// The country calling code the digits start with, if one is assigned.
  static func callingCode(_ d: [UInt8]) -> Int? {
    var code = 0
    for digit in d.prefix(3) {
      code = code * 10 + Int(digit - UInt8(ascii: "0"))
      if callingCodes.contains(code) { return code }
    }
    return nil
  }

  /// The country calling codes in use (ITU-T E.164, as libphonenumber lists them).
  static let callingCodes: Set<Int> = [
    1, 7, 20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56, 57, 58, 60,
    61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98, 211, 212, 213, 216, 218, 220, 221, 222, 223,
    224, 225, 226, 227, 228, 229, 230, 231, 232, 233, 234, 235, 236, 237, 238, 239, 240, 241, 242, 243, 244, 245, 246,
    247, 248, 249, 250, 251, 252, 253, 254, 255, 256, 257, 258, 260, 261, 262, 263, 264, 265, 266, 267, 268, 269, 290,
    291, 297, 298, 299, 350, 351, 352, 353, 354, 355, 356, 357, 358, 359, 370, 371, 372, 373, 374, 375, 376, 377, 378,
    380, 381, 382, 383, 385, 386, 387, 389, 420, 421, 423, 500, 501, 502, 503, 504, 505, 506, 507, 508, 509, 590, 591,
    592, 593, 594, 595, 596, 597, 598, 599, 670, 672, 673, 674, 675, 676, 677, 678, 679, 680, 681, 682, 683, 685, 686,
    687, 688, 689, 690, 691, 692, 800, 808, 850, 852, 853, 855, 856, 870, 878, 880, 881, 882, 883, 886, 888, 960, 961,
    962, 963, 964, 965, 966, 967, 968, 970, 971, 972, 973, 974, 975, 976, 977, 979, 992, 993, 994, 995, 996, 998,
  ]
}
