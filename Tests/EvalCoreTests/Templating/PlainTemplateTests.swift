import Testing

@testable import EvalCore

/// The direct renderer must give exactly what the full engine gives, and leave to it what it cannot.
struct PlainTemplateTests {
  static let vars: [String: JSONValue] = [
    "n": 1, "f": 1.5, "big": 1e21, "huge": 1e20, "neg": -3, "flag": true, "nothing": .null, "s": "ß ünï", "_x": "u",
    "user": ["name": "Ada", "age": 36], "items": ["x", "y"], "list": [1, 2], "obj": ["count": 5, "a": 1, "0": "zero"],
    "nested": ["b": ["c": "deep"]], "true": "not a literal", "tiny": 1e-7,
  ]
  static let environment = ["REGION": "eu"]
  static let renderer = TemplateRenderer(environment: environment)

  static let directly = [
    "question {{ n }}", "{{n}}", "{{   n   }}", "a {{ user.name }} b {{ user.age }}", "{{ items.0 }}{{ items.1 }}",
    "{{ env.REGION }}", "{{ f }} {{ big }} {{ huge }} {{ neg }} {{ flag }} {{ tiny }}", "{{ s }}!", "{{ _x }}",
    "{{ nested.b.c }}", "x }} y {{ n }}", "{ {{ n }} }", "{{ n }}{{ n }}", "no placeholder {{ obj.a }} at the end",
    "{{ obj.count }}", "{{ nothing }}", "{{ obj.0 }}",
  ]
  static let viaTheEngine = [
    "{{ items.5 }}", "{{ env.MISSING }}", "{{ items.length }}", "{{ s.length }}", "{{ true }}", "{{ nan }}",
    "{{ n | string }}", "{% if flag %}yes{% endif %}", "{# note #}{{ n }}", "{{ list }}", "{{ missing }}",
    "{{ nested.b.x }}", "{{ 3 }}", "{{ 'quoted' }}", "{{ n if flag }}", "{{ user }}", "{{ items.01 }}",
    "{{- n }}",
  ]

  @Test(arguments: directly + viaTheEngine)
  func rendersAsTheEngineDoes(_ text: String) throws {
    let compiled = try PlainTemplateTests.renderer.compile(text)
    let program = try #require(compiled.program)
    #expect(
      try compiled.render(PlainTemplateTests.vars)
        == program.render(PlainTemplateTests.vars, environment: PlainTemplateTests.environment))
  }

  @Test(arguments: directly)
  func plainTemplatesSkipTheEngine(_ text: String) throws {
    let compiled = try PlainTemplateTests.renderer.compile(text)
    #expect(compiled.plain?.render(PlainTemplateTests.vars, environment: PlainTemplateTests.environment) != nil)
  }

  @Test(arguments: viaTheEngine)
  func theRestGoesToTheEngine(_ text: String) throws {
    let compiled = try PlainTemplateTests.renderer.compile(text)
    #expect(compiled.plain?.render(PlainTemplateTests.vars, environment: PlainTemplateTests.environment) == nil)
  }

  @Test func anUnclosedPlaceholderIsNotPlain() {
    #expect(PlainTemplate("a {{ n") == nil)
    #expect(PlainTemplate("{{ n }} {% for x in items %}{{ x }}{% endfor %}") == nil)
  }

  @Test func plainTemplatesListTheirVariables() throws {
    let compiled = try PlainTemplateTests.renderer.compile("{{ a.b }} {{ env.X }} {{ c }} {{ a }}")
    #expect(compiled.plain != nil)
    #expect(compiled.requiredVariables.map(\.name) == ["a", "c"])
  }
}
