import Foundation

/// A template made only of text and `{{ name }}` / `{{ a.b.0 }}` placeholders: rendered directly, as the
/// full engine would render it, without parsing into nodes or converting values (most prompts are like
/// this, and a suite of thousands of cases renders one per case). Anything else (tags, filters, comments,
/// keywords, a value that is missing, a list or an object, `length`) is left to ``TemplateProgram``.
struct PlainTemplate: Sendable {
  enum Piece: Sendable {
    case text(String)
    case path([Substring])
  }

  let pieces: [Piece]

  /// Names that are literals or operators, never plain lookups.
  private static let keywords: Set<Substring> = [
    "true", "false", "none", "null", "not", "and", "or", "in", "is", "if", "else",
  ]

  /// `nil` unless the whole template is text and plain placeholders.
  init?(_ template: String) {
    if template.contains("{%") || template.contains("{#") || template.contains("#}") { return nil }
    var pieces: [Piece] = []
    var rest = template[...]
    while let open = rest.range(of: "{{") {
      if open.lowerBound > rest.startIndex { pieces.append(.text(String(rest[..<open.lowerBound]))) }
      guard let close = rest[open.upperBound...].range(of: "}}") else { return nil }
      let inner = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
      guard let path = PlainTemplate.path(inner) else { return nil }
      pieces.append(.path(path))
      rest = rest[close.upperBound...]
    }
    if !rest.isEmpty { pieces.append(.text(String(rest))) }
    self.pieces = pieces
  }

  /// A dotted path of ASCII names and canonical indexes (`0`, `12`; not `01`), not starting with a keyword,
  /// and without `length` (which arrays and strings compute).
  private static func path(_ text: String) -> [Substring]? {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard let head = parts.first, let lead = head.unicodeScalars.first, lead == "_" || lead.properties.isAlphabetic,
      !keywords.contains(head)
    else { return nil }
    for part in parts {
      guard !part.isEmpty, part != "length",
        part.unicodeScalars.allSatisfy({
          $0 == "_" || ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0)
        }),
        !(part.first == "0" && part.count > 1 && part.allSatisfy(\.isNumber))
      else { return nil }
      if let first = part.unicodeScalars.first, ("0"..."9").contains(first), !part.allSatisfy(\.isNumber) {
        return nil
      }
    }
    return parts
  }

  /// The rendered text, or `nil` when a placeholder's value is one the full engine must render.
  func render(_ vars: [String: JSONValue], environment: [String: String]) -> String? {
    var out = ""
    for piece in pieces {
      switch piece {
      case .text(let text):
        out += text
      case .path(let path):
        let value: JSONValue
        if let root = vars[String(path[0])] {
          guard let found = root.value(atPath: Array(path.dropFirst())) else { return nil }
          value = found
        } else if path[0] == "env", path.count == 2, let text = environment[String(path[1])] {
          value = .string(text)
        } else {
          return nil
        }
        switch value {
        case .string(let s): out += s
        case .number(let n): out += TemplateValue.format(n)
        case .bigInteger: return nil  // printed as JavaScript prints the number, by the full engine
        case .bool(let b): out += b ? "true" : "false"
        case .null: break
        case .array, .object: return nil
        }
      }
    }
    return out
  }
}
