extension PIIScanner {
  /// US social security numbers written `AAA-GG-SSSS`: a run of digits and hyphens in exactly that shape,
  /// not glued to a word, an order sign (`#`, `$`) or a decimal, with area 001–899 but 666, group 01–99 and
  /// serial 0001–9999 (never-issued numbers are not SSNs).
  static func ssns(in t: ScanText) -> [Range<Int>] {
    var out: [Range<Int>] = []
    var i = 0
    while i < t.count {
      guard ScanText.isDigit(t[i]) else {
        i += 1
        continue
      }
      // The sizes of the run's groups; 0 once there are more than three.
      var j = i
      var sizes = (0, 0, 0)
      var index = 0
      while true {
        if ScanText.isDigit(t[j]) {
          switch index {
          case 0: sizes.0 += 1
          case 1: sizes.1 += 1
          case 2: sizes.2 += 1
          default: break
          }
        } else if t[j] == UInt8(ascii: "-"), ScanText.isDigit(t[j + 1]) {
          index += 1
        } else {
          break
        }
        j += 1
      }
      defer { i = j }
      guard index == 2, sizes == (3, 2, 4), !t.joinedBefore(i, joiners: "-.,/"), !"#$+".utf8.contains(t[i - 1]),
        !t.joinedAfter(j, joiners: ".,-/"), !t.followsCodeGroups(i)
      else { continue }
      let d = t.bytes[i..<j].filter(ScanText.isDigit).map { Int($0) - 48 }
      let area = d[0] * 100 + d[1] * 10 + d[2]
      let group = d[3] * 10 + d[4]
      let serial = d[5] * 1000 + d[6] * 100 + d[7] * 10 + d[8]
      if area != 0, area != 666, area < 900, group != 0, serial != 0 { out.append(i..<j) }
    }
    return out
  }
}
