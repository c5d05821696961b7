import Foundation

/// Renders prompt and assertion templates as promptfoo does, with nunjucks semantics (autoescape off):
/// `{{ var }}`, `{{ a.b }}`, `{{ a['b'] }}`, `{{ items[0] }}` (and evalgate's `{{ items.0 }}`), `{{ env.NAME }}`,
/// filters with arguments, `{% if %}`/`{% elif %}`/`{% else %}`, `{% for %}` with `loop.*`, `{% set %}`,
/// `{% raw %}`, comments, whitespace control, and JavaScript's operators and values. Anything else is a
/// located error, never an empty string. See docs/suite-format.md, "Templates".
///
/// The environment is passed in, never read from the process, so rendering stays pure.
public struct TemplateRenderer: Sendable {
  /// Variables visible as `env.NAME` (a test var named `env` hides them, as in nunjucks).
  public let environment: [String: String]
  /// Filters defined in code (promptfoo's `nunjucksFilters`); `nil` for none.
  public var customFilters: CustomFilters?

  /// Creates a renderer over the given environment variables.
  public init(environment: [String: String] = [:], customFilters: CustomFilters? = nil) {
    self.environment = environment
    self.customFilters = customFilters
  }

  /// True when the text holds template syntax at all; plain text is returned untouched.
  public static func isTemplate(_ text: String) -> Bool {
    // Text with no `{` and no `#}` cannot hold any of them: settled in one pass over its bytes, without
    // Foundation's string search (four searches per assertion value per case, 1 % of a large run's CPU).
    var sawBrace = false
    var previous: UInt8 = 0
    for byte in text.utf8 {
      if byte == UInt8(ascii: "{") || (byte == UInt8(ascii: "}") && previous == UInt8(ascii: "#")) {
        sawBrace = true
        break
      }
      previous = byte
    }
    guard sawBrace else { return false }
    return text.contains("{{") || text.contains("{%") || text.contains("{#") || text.contains("#}")
  }

  /// Renders `template` with `vars`.
  /// - Throws: ``Diagnostic`` (without location; the message names the template line and column) when
  ///   the template does not parse or fails to render.
  public func render(_ template: String, vars: [String: JSONValue]) throws -> String {
    guard TemplateRenderer.isTemplate(template) else { return template }
    if customFilters == nil, let rendered = PlainTemplate(template)?.render(vars, environment: environment) {
      return rendered
    }
    return try compile(template).render(vars)
  }

  /// Parses a template once, to render it for many cases.
  /// - Throws: ``Diagnostic`` (without location; the message names the template line and column) when the
  ///   template does not parse or uses a filter, test or tag this engine does not have.
  public func compile(_ template: String) throws -> Compiled {
    try compile(template, at: nil)
  }

  /// Parses a template defined at `holder` (the prompt or value that holds it).
  /// - Throws: ``Diagnostic`` located inside the file where that can be known (see
  ///   ``TemplatePosition/location(in:)``), else at `holder` with the template line and column in the message.
  public func compile(_ template: String, at holder: SourceLocation?) throws -> Compiled {
    guard TemplateRenderer.isTemplate(template) else {
      return Compiled(text: template, program: nil, plain: nil, environment: environment)
    }
    do {
      let program = try TemplateProgram(template, customFilters: customFilters?.names ?? [])
      var compiled = Compiled(
        text: template, program: program, plain: PlainTemplate(template), environment: environment)
      compiled.custom = customFilters
      return compiled
    } catch {
      throw TemplateRenderer.diagnostic(error, in: template, at: holder)
    }
  }

  /// A template error as a user reads it.
  static func diagnostic(_ error: TemplateError, in template: String, at holder: SourceLocation?) -> Diagnostic {
    let position = TemplatePosition(offset: error.offset, in: template)
    guard let holder else { return Diagnostic("\(error.message) (template \(position))") }
    let location = position.location(in: holder)
    if location != holder { return Diagnostic(error.message, at: location) }
    return Diagnostic("\(error.message) (template \(position))", at: holder)
  }

  /// A parsed template. Immutable: one compiled template serves every case.
  public struct Compiled: Sendable {
    let text: String
    let program: TemplateProgram?
    /// The same template when it is only text and plain placeholders, rendered without the full engine.
    let plain: PlainTemplate?
    let environment: [String: String]
    /// The suite's filters in code.
    var custom: CustomFilters?

    /// A variable the template reads from a case's vars, where it is first read.
    public struct Variable: Sendable, Hashable {
      /// The variable's name (the first part of `name.path`).
      public var name: String
      /// Where the template first reads it.
      public var position: TemplatePosition
      /// Whether some use expects it may be missing (`| default(…)`, `is defined`, `{% if name %}`, …).
      public var guarded: Bool
    }

    /// Every variable the template reads from the vars, in order of first use (not `env`, loop variables
    /// or names the template sets itself).
    public var variables: [Variable] {
      (program?.uses ?? []).map {
        Variable(name: $0.name, position: TemplatePosition(offset: $0.offset, in: text), guarded: $0.guarded)
      }
    }

    /// The variables read without a guard: a case whose vars lack one renders it empty, and a suite where no
    /// test defines it is almost surely wrong.
    public var requiredVariables: [Variable] { variables.filter { !$0.guarded } }

    /// Renders with `vars`.
    /// - Throws: ``Diagnostic`` (without location) when a filter or operator fails on the values.
    public func render(_ vars: [String: JSONValue]) throws -> String {
      try render(vars, at: nil)
    }

    /// Renders with `vars`; errors are located as ``TemplateRenderer/compile(_:at:)`` locates them.
    /// - Throws: ``Diagnostic`` when a filter or operator fails on the values.
    public func render(_ vars: [String: JSONValue], at holder: SourceLocation?) throws -> String {
      if let rendered = plain?.render(vars, environment: environment) { return rendered }
      guard let program else { return text }
      do {
        return try program.render(vars, environment: environment, custom: custom)
      } catch {
        throw TemplateRenderer.diagnostic(error, in: text, at: holder)
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
}
