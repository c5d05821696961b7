import EvalCore
import Yams

/// JSON text read with ``JSONParser`` (RFC 8259, values byte for byte) into the node shape the suite reader
/// decodes, with every node's `line:column`.
enum LocatedJSON {
  /// Parses a JSON text; a leading byte order mark is ignored (RFC 8259 allows it).
  /// - Parameter lineOffset: added to line numbers (the line's index when `text` is one line of a JSONL file).
  /// - Throws: ``Diagnostic`` at the first syntax error.
  static func parse(_ text: String, file: String, lineOffset: Int = 0) throws -> YAMLNode {
    let body = text.hasPrefix("\u{FEFF}") ? String(text.unicodeScalars.dropFirst()) : text
    do {
      let (node, locations) = try JSONParser.parse(body, with: NodeBuilder())
      return YAMLNode(node: node, file: file, lineOffset: lineOffset, locations: locations)
    } catch let failure as JSONParser.Failure {
      throw Diagnostic(
        "JSON syntax: \(failure.message)",
        at: SourceLocation(file: file, line: failure.position.line + lineOffset, column: failure.position.column))
    }
  }

  /// Builds Yams nodes: strings double-quoted (never resolved as numbers or booleans), numbers, booleans and
  /// null as the plain scalars the YAML 1.2 core schema reads the same way.
  struct NodeBuilder: JSONParser.Builder {
    typealias Located = (Yams.Node, YAMLNode.Locations)

    func scalar(_ scalar: JSONParser.Scalar, at position: JSONParser.Position) -> Located {
      let node: Yams.Node
      switch scalar {
      case .null:
        node = .scalar(Yams.Node.Scalar("null", Tag(.implicit, YAMLNode.resolver), Yams.Node.Scalar.Style.plain))
      case .bool(let b):
        node = .scalar(
          Yams.Node.Scalar(b ? "true" : "false", Tag(.implicit, YAMLNode.resolver), Yams.Node.Scalar.Style.plain))
      case .number(let text):
        node = .scalar(Yams.Node.Scalar(String(text), Tag(.implicit, YAMLNode.resolver), Yams.Node.Scalar.Style.plain))
      case .string(let s):
        node = .scalar(Yams.Node.Scalar(s, Tag(.str, YAMLNode.resolver), Yams.Node.Scalar.Style.doubleQuoted))
      }
      return (node, YAMLNode.Locations(line: position.line, column: position.column))
    }

    func array(_ items: [Located], at position: JSONParser.Position) -> Located {
      (
        .sequence(Yams.Node.Sequence(items.map(\.0), Tag(.seq, YAMLNode.resolver), Yams.Node.Sequence.Style.flow)),
        YAMLNode.Locations(line: position.line, column: position.column, children: items.map(\.1))
      )
    }

    func object(_ members: [JSONParser.Member<Located>], at position: JSONParser.Position) -> Located {
      var pairs: [(Yams.Node, Yams.Node)] = []
      var children: [YAMLNode.Locations] = []
      pairs.reserveCapacity(members.count)
      children.reserveCapacity(2 * members.count)
      for member in members {
        pairs.append(
          (
            .scalar(Yams.Node.Scalar(member.key, Tag(.str, YAMLNode.resolver), Yams.Node.Scalar.Style.doubleQuoted)),
            member.value.0
          ))
        children.append(YAMLNode.Locations(line: member.keyPosition.line, column: member.keyPosition.column))
        children.append(member.value.1)
      }
      return (
        .mapping(Yams.Node.Mapping(pairs, Tag(.map, YAMLNode.resolver), Yams.Node.Mapping.Style.flow)),
        YAMLNode.Locations(line: position.line, column: position.column, children: children)
      )
    }
  }
}
