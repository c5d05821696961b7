// Hand-written: finding the first JSON value embedded in text in linear time needs a scanner that follows
// every candidate start at once (below); no listed package does this.

/// Finds JSON in model output. Both searches are linear in the output's length.
enum JSONExtraction {
  /// The whole output as JSON (RFC 8259, see ``JSONParser``), allowing surrounding whitespace and one
  /// Markdown code fence (an opening line of three backticks and an optional info string such as `json`,
  /// ended by LF, CRLF or CR, and closing backticks).
  static func whole(_ text: String) -> JSONValue? {
    let (lower, upper) = trimmedRange(text)
    var text = text
    return text.withUTF8 { bytes -> JSONValue? in
      if let value = try? JSONParser.parse(bytes, lower..<upper, with: JSONValue.Builder()) { return value }
      let fence: [UInt8] = Array("```".utf8)
      guard upper - lower >= 6, bytes[lower..<lower + 3].elementsEqual(fence),
        bytes[upper - 3..<upper].elementsEqual(fence)
      else { return nil }
      var bodyStart = lower + 3
      if let lineEnd = (bodyStart..<upper - 3).first(where: { bytes[$0] == 0x0A || bytes[$0] == 0x0D }) {
        bodyStart = lineEnd + 1
        if bytes[lineEnd] == 0x0D, bodyStart < upper - 3, bytes[bodyStart] == 0x0A { bodyStart += 1 }
      }
      return try? JSONParser.parse(bytes, bodyStart..<upper - 3, with: JSONValue.Builder())
    }
  }

  /// UTF-8 offsets of `text` without leading and trailing Unicode whitespace.
  private static func trimmedRange(_ text: String) -> (Int, Int) {
    let scalars = text.unicodeScalars
    guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
      let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
    else { return (0, 0) }
    let lower = text.utf8.distance(from: text.utf8.startIndex, to: first)
    let upper = text.utf8.distance(from: text.utf8.startIndex, to: scalars.index(after: last))
    return (lower, upper)
  }

  /// The first JSON object or array embedded anywhere in the text (promptfoo's `contains-json`): the one
  /// starting at the earliest `[` or `{` from which a JSON array or object can be read (whatever follows
  /// it). Scalars are not looked for.
  static func embedded(_ text: String) -> JSONValue? {
    var text = text
    return text.withUTF8 { bytes -> JSONValue? in
      var from = 0
      while let (start, end) = firstEmbeddedRange(bytes, from: from) {
        if let value = try? JSONParser.parse(bytes, start..<end + 1, with: JSONValue.Builder()) { return value }
        from = start + 1  // Only if the scanner and the parser disagreed; the tests hold them equal.
      }
      return nil
    }
  }

  /// The byte range (`start`, inclusive `end`) of the first embedded object or array.
  ///
  /// Trying each `[` or `{` in turn costs O(n²) on a run of brackets. Instead every candidate is followed
  /// at once: a candidate nested in another's value parses exactly as that value does, so one stack of open
  /// brackets serves a whole family of candidates; a candidate that starts inside another's string sees
  /// each later quote flipped, so a second stack follows that family. At most two are ever alive (one inside
  /// a string, one outside), and each byte is fed to both: linear time.
  static func firstEmbeddedRange(_ bytes: UnsafeBufferPointer<UInt8>, from: Int) -> (Int, Int)? {
    var families = (EmbeddedJSONScanner(), EmbeddedJSONScanner())
    var best: (Int, Int)?
    var p = from
    while p < bytes.count {
      let byte = bytes[p]
      let mayStart = best == nil
      let firstActive = !families.0.isIdle
      let secondActive = !families.1.isIdle
      var took = false
      if firstActive { took = families.0.feed(byte, at: p, mayStart: mayStart) || took }
      if secondActive { took = families.1.feed(byte, at: p, mayStart: mayStart) || took }
      if !took, mayStart, byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
        if families.0.isIdle {
          _ = families.0.feed(byte, at: p, mayStart: true)
        } else if families.1.isIdle {
          _ = families.1.feed(byte, at: p, mayStart: true)
        }
      }
      if let found = families.0.found, best.map({ found.0 < $0.0 }) ?? true { best = found }
      if let found = families.1.found, best.map({ found.0 < $0.0 }) ?? true { best = found }
      // Done when no candidate still open started before the best one.
      if let best, families.0.lowestAliveStart ?? .max > best.0, families.1.lowestAliveStart ?? .max > best.0 {
        return best
      }
      p += 1
    }
    return best
  }
}
