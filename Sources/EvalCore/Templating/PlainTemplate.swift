import Foundation

/// A template made only of text and `{{ name }}` / `{{ a.b.0 }}` placeholders: rendered directly, as
/// Stencil would render it, without Stencil's context and dynamic casts (most prompts are like this, and
/// a suite of thousands of cases renders one per case). Anything else (tags, filters, comments, a value
/// that is missing or not a string, number or boolean) is left to Stencil.
struct PlainTemplate: Sendable {
  enum Piece: Sendable {
    case text(String)
    case path([Substring])
  }

  let pieces: [Piece]

  /// `nil` unless the whole template is text and plain placeholders.
  init?(_ template: String) {
    if template.contains("{%") || template.contains("{#") { return nil }
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

  /// A dotted path of names and indexes that Stencil resolves by plain lookup (not a literal such as
  /// `true` or `nan`, and no `count`, `first` or `last`, which Stencil computes).
  private static func path(_ text: String) -> [Substring]? {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard let head = parts.first, let lead = head.unicodeScalars.first, lead == "_" || lead.properties.isAlphabetic,
      Bool(String(head)) == nil, Double(head) == nil
    else { return nil }
    for part in parts {
      guard !part.isEmpty, !["count", "first", "last"].contains(part),
        part.unicodeScalars.allSatisfy({
          $0 == "_" || ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0)
        })
      else { return nil }
    }
    return parts
  }

  /// The rendered text, or `nil` when a placeholder's value is one Stencil must render.
  func render(_ vars: [String: JSONValue], environment: [String: String]) -> String? {
    var out = ""
    for piece in pieces {
      switch piece {
      case .text(let text):
        out += text
      case .path(let path):
        if path[0] == "env" {
          guard path.count == 2, let value = environment[String(path[1])] else { return nil }
          out += value
          continue
        }
        guard let value = vars[String(path[0])]?.value(atPath: Array(path.dropFirst())) else { return nil }
        switch value.foundationValue {
        case let s as String: out += s
        case let i as Int: out += String(i)
        case let d as Double: out += d.description
        case let b as Bool: out += b.description
        default: return nil
        }
      }
    }
    return out
  }
}
