import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// XML well-formedness (libxml2, through Foundation's `XMLParser`; external entities are never resolved)
/// and promptfoo's `requiredElements`: dotted element paths from the root (`analysis.color`), a segment
/// `@_name` naming an attribute, a numeric segment the n-th element of that name.
enum XMLCheck {
  /// `nil` when `text` is one well-formed XML document holding every required path; else why not.
  static func problem(_ text: String, required: [String]) -> String? {
    let collector = PathCollector()
    let parser = XMLParser(data: Data(text.utf8))
    parser.shouldResolveExternalEntities = false
    parser.delegate = collector
    let parsed = parser.parse()
    if let error = parser.parserError ?? (parsed ? nil : NSError(domain: "XMLParser", code: -1)) {
      let code = (error as NSError).code
      return "XML parsing failed: libxml2 error \(code) at line \(parser.lineNumber), column \(parser.columnNumber)"
    }
    guard collector.roots > 0 else { return "XML parsing failed: no element" }
    let missing = required.filter { !collector.paths.contains($0) }
    return missing.isEmpty ? nil : "XML is missing required elements: " + missing.joined(separator: ", ")
  }

  /// Every element path (`a.b`, `a.b.0`, the n-th `b` in `a` as `a.b.n`) and attribute path (`a.@_x`).
  final class PathCollector: NSObject, XMLParserDelegate {
    var paths: Set<String> = []
    var roots = 0
    private var stack: [String] = []
    private var counts: [[String: Int]] = [[:]]

    func parser(
      _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
      attributes: [String: String] = [:]
    ) {
      if stack.isEmpty { roots += 1 }
      let index = counts[counts.count - 1][elementName, default: 0]
      counts[counts.count - 1][elementName] = index + 1
      let base = (stack + [elementName]).joined(separator: ".")
      paths.insert(base)
      paths.insert(base + ".\(index)")
      stack.append(elementName)
      counts.append([:])
      let here = stack.joined(separator: ".")
      for name in attributes.keys { paths.insert(here + ".@_" + name) }
      // The n-th element's own path, for the paths below it: `a.b.1.c`.
      if index > 0 { stack[stack.count - 1] = elementName + ".\(index)" }
    }

    func parser(
      _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
    ) {
      stack.removeLast()
      counts.removeLast()
    }
  }

  /// The spans of `text` that may be XML fragments: each element from an opening tag to its matching closing
  /// tag (or a self-closing tag), outermost first; at most `limit` of them.
  static func fragments(_ text: String, limit: Int = 100) -> [Substring] {
    var out: [(Range<String.Index>, Int)] = []
    var stack: [(name: Substring, start: String.Index)] = []
    var i = text.startIndex
    while i < text.endIndex, out.count < 10_000 {
      guard text[i] == "<", let close = text[i...].firstIndex(of: ">") else {
        i = text.index(after: i)
        continue
      }
      let inner = text[text.index(after: i)..<close]
      if inner.first == "/" {
        let name = inner.dropFirst().prefix { !$0.isWhitespace }
        if let top = stack.last, top.name == name {
          stack.removeLast()
          out.append((top.start..<text.index(after: close), stack.count))
        } else {
          stack.removeAll()
        }
      } else if let first = inner.first, first.isLetter || first == "_" || first == ":" {
        let name = inner.prefix { !$0.isWhitespace && $0 != "/" }
        if inner.last == "/" {
          out.append((i..<text.index(after: close), stack.count))
        } else {
          stack.append((name, i))
        }
      }
      i = text.index(after: close)
    }
    let ordered = out.sorted { a, b in
      a.1 != b.1 ? a.1 < b.1 : a.0.lowerBound < b.0.lowerBound
    }
    return ordered.prefix(limit).map { text[$0.0] }
  }

  /// The required paths in an assertion's value: a comma-separated string, a list, or `{requiredElements}`.
  static func requiredElements(_ value: JSONValue?, type: String) throws -> [String] {
    switch value {
    case nil, .null?: return []
    case .string(let s)?: return s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    case .array(let items)?: return items.map(\.plainText)
    case .object(let o)?:
      guard o.count == 1, let list = o["requiredElements"]?.arrayValue else {
        throw Diagnostic("'\(type)' takes required elements: a string, a list, or {requiredElements: [...]}")
      }
      return list.map(\.plainText)
    default:
      throw Diagnostic("'\(type)' takes required elements: a string, a list, or {requiredElements: [...]}")
    }
  }
}
