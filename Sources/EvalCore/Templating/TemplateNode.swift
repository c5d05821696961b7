import Foundation

/// A statement of a compiled template: text, an output `{{ … }}`, or a tag.
indirect enum TemplateNode: Sendable {
  /// Literal text (after whitespace control).
  case text(String)
  /// `{{ expression }}`.
  case output(TemplateExpression)
  /// `{% if %}` with its `elif` branches (in order) and `else`.
  case conditional(branches: [(condition: TemplateExpression, body: [TemplateNode])], otherwise: [TemplateNode]?)
  /// `{% for names in iterable %}…{% else %}…{% endfor %}`.
  case loop(names: [String], iterable: TemplateExpression, body: [TemplateNode], otherwise: [TemplateNode]?)
  /// `{% set a, b = expression %}`.
  case assign(names: [String], value: TemplateExpression)
  /// `{% set a %}…{% endset %}`: the rendered body, as a string.
  case capture(names: [String], body: [TemplateNode])
}
