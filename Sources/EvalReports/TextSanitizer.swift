/// Makes any text safe for XML 1.0 and readable in CI: strips ANSI escape sequences, turns CR/CRLF
/// into LF, replaces characters XML 1.0 forbids (and DEL), the C1 controls and the bidirectional
/// overrides and isolates (U+202A–U+202E, U+2066–U+2069, which reorder what a reader sees) with a
/// visible `#xNN` as pytest does, and keeps long text as head + tail around a `…[truncated N chars]…` marker.
public enum TextSanitizer {
  /// Cleans `text` for XML; `limit` (in characters) truncates, `nil` keeps everything.
  public static func xml(_ text: String, limit: Int? = nil) -> String {
    // Most text is printable ASCII with newlines: nothing to strip, replace or count.
    if text.utf8.count <= limit ?? .max,
      text.utf8.allSatisfy({ (0x20..<0x7F).contains($0) || $0 == 0x0A || $0 == 0x09 })
    {
      return text
    }
    return truncate(replaceIllegal(normalizeNewlines(stripANSI(text))), limit: limit)
  }

  /// One line for attributes and headlines: newlines and tabs become spaces.
  public static func line(_ text: String, limit: Int = 500) -> String {
    if text.utf8.count <= limit, isPrintableASCII(text) { return text }
    let cleaned = xml(text)
    var out = ""
    out.reserveCapacity(cleaned.utf8.count)
    for scalar in cleaned.unicodeScalars {
      out.unicodeScalars.append(scalar == "\n" || scalar == "\t" ? " " : scalar)
    }
    return truncate(out, limit: limit)
  }

  /// Whether every byte of `text` is printable ASCII (space to `~`): read from its contiguous bytes, which
  /// `allSatisfy` over the UTF-8 view did at about 12 instructions a byte (junit.xml asks this 9 times a case).
  static func isPrintableASCII(_ text: String) -> Bool {
    text.utf8.withContiguousStorageIfAvailable { bytes in
      for byte in bytes where byte &- 0x20 >= 0x5F { return false }
      return true
    } ?? text.utf8.allSatisfy { (0x20..<0x7F).contains($0) }
  }

  /// Removes CSI (`ESC [ … final`) and OSC (`ESC ] … BEL|ESC \`) sequences.
  public static func stripANSI(_ text: String) -> String {
    guard text.unicodeScalars.contains("\u{1B}") else { return text }
    let s = Array(text.unicodeScalars)
    var out = String.UnicodeScalarView()
    var i = 0
    while i < s.count {
      if s[i] == "\u{1B}", i + 1 < s.count, s[i + 1] == "[" {
        var j = i + 2
        while j < s.count, (0x30...0x3F).contains(s[j].value) { j += 1 }
        while j < s.count, (0x20...0x2F).contains(s[j].value) { j += 1 }
        if j < s.count, (0x40...0x7E).contains(s[j].value) {
          i = j + 1
          continue
        }
      } else if s[i] == "\u{1B}", i + 1 < s.count, s[i + 1] == "]" {
        var j = i + 2
        while j < s.count, s[j] != "\u{07}", s[j] != "\u{1B}" { j += 1 }
        if j < s.count, s[j] == "\u{07}" {
          i = j + 1
          continue
        }
        if j + 1 < s.count, s[j] == "\u{1B}", s[j + 1] == "\\" {
          i = j + 2
          continue
        }
      }
      out.append(s[i])
      i += 1
    }
    return String(out)
  }

  static func normalizeNewlines(_ text: String) -> String {
    guard text.unicodeScalars.contains("\r") else { return text }
    var out = String.UnicodeScalarView()
    var previousCR = false
    for scalar in text.unicodeScalars {
      if scalar == "\r" {
        out.append("\n")
        previousCR = true
        continue
      }
      if scalar == "\n", previousCR {
        previousCR = false
        continue
      }
      previousCR = false
      out.append(scalar)
    }
    return String(out)
  }

  /// True for code points XML 1.0 allows (DEL excluded, as pytest does).
  public static func isLegal(_ v: UInt32) -> Bool {
    switch v {
    case 0x9, 0xA, 0xD: return true
    case 0x20..<0x7F, 0x80...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
    default: return false
    }
  }

  /// True for what must never reach a reader raw: C1 controls (U+0080–U+009F) and the bidirectional
  /// overrides and isolates.
  public static func isHidden(_ v: UInt32) -> Bool {
    (0x80...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
  }

  /// `text` with every control but tab and newline (C0, DEL, C1) and every bidirectional override shown as
  /// `#xNN`: for sinks that take any other character as is (Markdown, CI annotations, terminals).
  public static func visible(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: { v in !isLegal(v.value) || isHidden(v.value) || v == "\r" }) else {
      return text
    }
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      if scalar == "\r" { out.append(contentsOf: "#x0D".unicodeScalars) } else { out.append(scalar) }
    }
    return replaceIllegal(String(out))
  }

  static func replaceIllegal(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: { !isLegal($0.value) || isHidden($0.value) }) else { return text }
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      if isLegal(scalar.value), !isHidden(scalar.value) {
        out.append(scalar)
      } else {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        out.append(contentsOf: "#x\(hex.count < 2 ? "0" + hex : hex)".unicodeScalars)
      }
    }
    return String(out)
  }

  /// Head and tail around a marker when `text` is longer than `limit` characters.
  public static func truncate(_ text: String, limit: Int?) -> String {
    guard let limit, text.utf8.count > limit, text.count > limit else { return text }
    let keep = max(limit - 40, 2)
    let head = text.prefix(keep * 2 / 3)
    let tail = text.suffix(keep - head.count)
    let dropped = text.count - head.count - tail.count
    return head + "\n…[truncated \(dropped) chars]…\n" + tail
  }
}
