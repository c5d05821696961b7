extension PIIScanner {
  /// IBANs, compact or printed in groups of four, in either case: two letters naming a country in the IBAN
  /// registry, two check digits, then exactly the country's length in letters and digits, not followed by
  /// another letter or digit, passing ``iban(_:)``. Each start reads at most 43 characters.
  static func ibans(in t: ScanText) -> [Range<Int>] {
    var out: [Range<Int>] = []
    var compact: [UInt8] = []  // reused from start to start
    var i = 0
    while i + 4 <= t.count {
      guard ScanText.isLetter(t[i]), ScanText.isLetter(t[i + 1]), ScanText.isDigit(t[i + 2]),
        ScanText.isDigit(t[i + 3]), !t.joinedBefore(i), let length = ibanLength(t[i], t[i + 1])
      else {
        i += 1
        continue
      }
      var j = i
      compact.removeAll(keepingCapacity: true)
      while compact.count < length {
        if ScanText.isAlnum(t[j]) {
          compact.append(t[j] & (ScanText.isLetter(t[j]) ? 0xDF : 0xFF))
          j += 1
        } else if t[j] == UInt8(ascii: " "), compact.count % 4 == 0, ScanText.isAlnum(t[j + 1]) {
          j += 1
        } else {
          break
        }
      }
      if compact.count == length, !t.joinedAfter(j), ibanChecksum(compact) {
        out.append(i..<j)
        i = j
      } else {
        i += 1
      }
    }
    return out
  }

  /// IBAN lengths by country: the SWIFT IBAN registry (release 101, as python-stdnum ships it).
  static let ibanLengths: [String: Int] = [
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27, "BR": 29,
    "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
    "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
    "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
    "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29,
    "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24,
    "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
    "YE": 30,
  ]

  /// The registry length for the country whose code's letters are `a` and `b` (either case).
  static func ibanLength(_ a: UInt8, _ b: UInt8) -> Int? {
    let (x, y) = (Int(a | 0x20) - 97, Int(b | 0x20) - 97)
    guard (0..<26).contains(x), (0..<26).contains(y) else { return nil }
    let length = ibanLengthTable[x * 26 + y]
    return length > 0 ? length : nil
  }

  /// ``ibanLengths`` indexed by letter pair, for the scan.
  static let ibanLengthTable: [Int] = {
    var table = [Int](repeating: 0, count: 26 * 26)
    for (code, length) in ibanLengths {
      let u = Array(code.utf8)
      table[(Int(u[0]) - 65) * 26 + Int(u[1]) - 65] = length
    }
    return table
  }()

  /// An upper-case IBAN without spaces: its country's registry length and the ISO 7064 mod 97-10 check.
  public static func iban(_ s: String) -> Bool {
    let chars = Array(s.utf8)
    guard chars.count >= 4, chars.count == ibanLength(chars[0], chars[1]),
      chars.prefix(2).allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") })
    else { return false }
    return ibanChecksum(chars)
  }

  /// The ISO 7064 mod 97-10 check of an upper-case IBAN: its first four characters moved to the end, letters
  /// read as 10–35, leave remainder 1.
  static func ibanChecksum(_ chars: [UInt8]) -> Bool {
    guard chars.count > 4 else { return false }
    var remainder = 0
    for ch in chars.dropFirst(4) + chars.prefix(4) {
      if ScanText.isDigit(ch) {
        remainder = (remainder * 10 + Int(ch - 48)) % 97
      } else if ch >= UInt8(ascii: "A"), ch <= UInt8(ascii: "Z") {
        remainder = (remainder * 100 + Int(ch) - 55) % 97
      } else {
        return false
      }
    }
    return remainder == 1
  }
}
