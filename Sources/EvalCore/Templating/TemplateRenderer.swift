import Foundation
import Stencil

/// Renders prompt and assertion templates: `{{ var }}`, dotted paths (`{{ user.name }}`, `{{ items.0 }}`),
/// `{{ env.NAME }}`, filters (`{{ text | dump }}` and `| json` give a JSON literal), and Stencil's
/// `{% if %}` / `{% for %}` tags, close to the nunjucks templates promptfoo users know.
///
/// The environment is passed in, never read from the process, so rendering stays pure.
public struct TemplateRenderer: Sendable {
  /// Variables visible as `env.NAME`.
  public let environment: [String: String]

  /// Creates a renderer over the given environment variables.
  public init(environment: [String: String] = [:]) {
    self.environment = environment
  }

  /// True when the text holds template syntax at all; plain text is returned untouched.
  public static func isTemplate(_ text: String) -> Bool {
    text.contains("{{") || text.contains("{%")
  }

  /// Renders `template` with `vars`.
  /// - Throws: ``Diagnostic`` (without location) when the template does not parse.
  public func render(_ template: String, vars: [String: JSONValue]) throws -> String {
    try compile(template).render(vars)
  }

  /// Parses a template once, to render it for many cases.
  /// - Throws: ``Diagnostic`` (without location) when the template does not parse.
  public func compile(_ template: String) throws -> Compiled {
    guard TemplateRenderer.isTemplate(template) else {
      return Compiled(text: template, template: nil, plain: nil, environment: [:])
    }
    let parsed = Template(templateString: template, environment: TemplateRenderer.stencil)
    return Compiled(text: template, template: parsed, plain: PlainTemplate(template), environment: environment)
  }

  /// A parsed template. Not shared across tasks: each owner compiles its own.
  public struct Compiled {
    let text: String
    let template: Template?
    /// The same template when it is only text and plain placeholders, rendered without Stencil.
    let plain: PlainTemplate?
    let environment: [String: String]

    /// Renders with `vars`.
    /// - Throws: ``Diagnostic`` when the template is malformed or fails to render.
    public func render(_ vars: [String: JSONValue]) throws -> String {
      if let rendered = plain?.render(vars, environment: environment) { return rendered }
      return try stencilRender(vars)
    }

    /// Renders with Stencil, whatever the template.
    func stencilRender(_ vars: [String: JSONValue]) throws -> String {
      guard let template else { return text }
      var context: [String: Any] = [:]
      for (key, value) in vars { context[key] = value.foundationValue }
      context["env"] = environment
      do {
        return try template.render(context)
      } catch {
        throw Diagnostic("template error: \(error)")
      }
    }
  }

  /// Renders every string inside a JSON value.
  public func render(_ value: JSONValue, vars: [String: JSONValue]) throws -> JSONValue {
    switch value {
    case .string(let s): return .string(try render(s, vars: vars))
    case .array(let a): return .array(try a.map { try render($0, vars: vars) })
    case .object(let o): return .object(try o.mapValues { try render($0, vars: vars) })
    default: return value
    }
  }

  /// Built once: creating a Stencil environment registers every tag and filter again.
  nonisolated(unsafe) private static let stencil = makeEnvironment()

  private static func makeEnvironment() -> Environment {
    let ext = Extension()
    let dump: (Any?) throws -> Any? = { value in JSONValue(foundation: value).canonicalJSON }
    ext.registerFilter("dump", filter: dump)
    ext.registerFilter("json", filter: dump)
    ext.registerFilter("upper") { ($0.map { "\($0)" } ?? "").uppercased() }
    ext.registerFilter("lower") { ($0.map { "\($0)" } ?? "").lowercased() }
    ext.registerFilter("trim") { ($0.map { "\($0)" } ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
    return Environment(extensions: [ext])
  }
}

extension JSONValue {
  /// Converts a Foundation value (as templates hold them) back into a JSON value.
  init(foundation value: Any?) {
    switch value {
    case nil: self = .null
    case let b as Bool: self = .bool(b)
    case let i as Int: self = .number(Double(i))
    case let d as Double: self = .number(d)
    case let s as String: self = .string(s)
    case let a as [Any]: self = .array(a.map { JSONValue(foundation: $0) })
    case let o as [String: Any]: self = .object(o.mapValues { JSONValue(foundation: $0) })
    case let o as [String: String]: self = .object(o.mapValues { .string($0) })
    default: self = .string(value.map { "\($0)" } ?? "")
    }
  }
}
