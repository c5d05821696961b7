import Foundation

/// Finds JSON in model output.
enum JSONExtraction {
  /// The whole output as JSON, allowing surrounding whitespace and one Markdown code fence.
  static func whole(_ text: String) -> JSONValue? {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    if let value = JSONValue.parse(trimmed) { return value }
    guard trimmed.hasPrefix("```"), trimmed.hasSuffix("```"), trimmed.count >= 6 else { return nil }
    var body = trimmed.dropFirst(3).dropLast(3)
    if let newline = body.firstIndex(of: "\n") { body = body[body.index(after: newline)...] }
    return JSONValue.parse(String(body))
  }

  /// The first JSON object or array embedded anywhere in the text (promptfoo's `contains-json`).
  static func embedded(_ text: String) -> JSONValue? {
    let scalars = Array(text.unicodeScalars)
    var start = 0
    while start < scalars.count {
      let c = scalars[start]
      if c == "{" || c == "[" {
        if let end = matchingClose(scalars, from: start) {
          var s = String.UnicodeScalarView()
          s.append(contentsOf: scalars[start...end])
          if let value = JSONValue.parse(String(s)) { return value }
        }
      }
      start += 1
    }
    return nil
  }

  /// The index of the bracket closing the one at `start`, skipping strings; `nil` if unbalanced.
  private static func matchingClose(_ s: [Unicode.Scalar], from start: Int) -> Int? {
    var depth = 0
    var inString = false
    var escaped = false
    var i = start
    while i < s.count {
      let c = s[i]
      if inString {
        if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
      } else if c == "\"" {
        inString = true
      } else if c == "{" || c == "[" {
        depth += 1
      } else if c == "}" || c == "]" {
        depth -= 1
        if depth == 0 { return i }
      }
      i += 1
    }
    return nil
  }
}
