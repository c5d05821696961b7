import EvalCore
import Foundation
import Yams

extension SuiteLoader {
  /// promptfoo's `derivedMetrics`: a list of `{name, value}`, each value a mathjs-style expression over
  /// named metrics (see ``MetricExpression``). A JavaScript function is refused: it runs code.
  static func derivedMetrics(_ node: YAMLNode) throws -> [DerivedMetric] {
    var out: [DerivedMetric] = []
    var names: Set<String> = []
    for item in try node.sequence("'derivedMetrics'") {
      let m = try item.mapping("a derived metric")
      try m.check(allowed: ["name", "value"])
      guard let nameNode = m["name"] else { throw item.error("a derived metric needs a 'name'") }
      guard let valueNode = m["value"] else { throw item.error("a derived metric needs a 'value' (an expression)") }
      let name = try nameNode.string("'name'")
      guard names.insert(name).inserted else { throw nameNode.error("two derived metrics are named '\(name)'") }
      let text = try valueNode.string("'value'")
      if text.contains("function") || text.contains("=>") {
        throw valueNode.error(
          "derived metric '\(name)' is a JavaScript function, which evalgate does not run; write it as an "
            + "expression ('a * 2', 'tp / (tp + fp)')")
      }
      do {
        out.append(DerivedMetric(name: name, expression: try MetricExpression(text), location: item.location))
      } catch let d as Diagnostic {
        throw valueNode.error("derived metric '\(name)': \(d.message)")
      }
    }
    return out
  }
}
