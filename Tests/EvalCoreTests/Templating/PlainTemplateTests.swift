import Testing

@testable import EvalCore

/// The direct renderer must give exactly what Stencil gives, and leave to Stencil what it cannot.
struct PlainTemplateTests {
  static let vars: [String: JSONValue] = [
    "n": 1, "f": 1.5, "big": 1e20, "neg": -3, "flag": true, "nothing": .null, "s": "ß ünï", "_x": "u",
    "user": ["name": "Ada", "age": 36], "items": ["x", "y"], "list": [1, 2], "obj": ["count": 5, "a": 1],
    "nested": ["b": ["c": "deep"]], "env": "shadowed", "true": "not a literal",
  ]
  static let renderer = TemplateRenderer(environment: ["REGION": "eu"])

  static let directly = [
    "question {{ n }}", "{{n}}", "{{   n   }}", "a {{ user.name }} b {{ user.age }}", "{{ items.0 }}{{ items.1 }}",
    "{{ env.REGION }}", "{{ f }} {{ big }} {{ neg }} {{ flag }}", "{{ s }}!", "{{ _x }}", "{{ nested.b.c }}",
    "x }} y {{ n }}", "{ {{ n }} }", "{{ n }}{{ n }}", "no placeholder {{ obj.a }} at the end",
  ]
  static let viaStencil = [
    "{{ items.5 }}", "{{ env.MISSING }}", "{{ obj.count }}", "{{ items.first }}", "{{ items.last }}", "{{ true }}",
    "{{ nan }}", "{{ n | upper }}", "{% if flag %}yes{% endif %}", "{# note #}{{ n }}", "{{ nothing }}",
    "{{ list }}", "{{ missing }}", "{{ nested.b.x }}", "{{ 3 }}", "{{ 'quoted' }}", "{{ n if flag }}",
  ]

  @Test(arguments: directly + viaStencil)
  func rendersAsStencilDoes(_ text: String) throws {
    let compiled = try PlainTemplateTests.renderer.compile(text)
    #expect(try compiled.render(PlainTemplateTests.vars) == compiled.stencilRender(PlainTemplateTests.vars))
  }

  @Test(arguments: directly)
  func plainTemplatesSkipStencil(_ text: String) throws {
    let compiled = try PlainTemplateTests.renderer.compile(text)
    #expect(compiled.plain?.render(PlainTemplateTests.vars, environment: ["REGION": "eu"]) != nil)
  }

  @Test(arguments: viaStencil)
  func theRestGoesToStencil(_ text: String) throws {
    let compiled = try PlainTemplateTests.renderer.compile(text)
    #expect(compiled.plain?.render(PlainTemplateTests.vars, environment: ["REGION": "eu"]) == nil)
  }

  /// An object renders as Swift's dictionary description, in no fixed order: Stencil's business.
  @Test func objectsGoToStencil() throws {
    let compiled = try PlainTemplateTests.renderer.compile("{{ user }}")
    #expect(compiled.plain?.render(PlainTemplateTests.vars, environment: [:]) == nil)
    #expect(try compiled.render(PlainTemplateTests.vars).contains("Ada"))
  }

  @Test func anUnclosedPlaceholderIsNotPlain() {
    #expect(PlainTemplate("a {{ n") == nil)
    #expect(PlainTemplate("{{ n }} {% for x in items %}{{ x }}{% endfor %}") == nil)
  }
}
