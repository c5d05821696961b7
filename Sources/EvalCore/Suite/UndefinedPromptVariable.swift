import Foundation

/// A variable a suite's prompt reads, without a guard, that no test (nor `defaultTest`) defines: an error in
/// an evalgate suite (a typo, most often), rendered empty in a promptfoo config as Nunjucks does, with a
/// warning (see ``PromptTemplate/undefinedRendersEmpty``).
public struct UndefinedPromptVariable: Sendable, Hashable {
  /// The variable's name.
  public var name: String
  /// Where the prompt first reads it (the prompt itself when the place inside cannot be known).
  public var location: SourceLocation
  /// The place inside the template (`line 3, column 65`) when ``location`` is the prompt's own.
  public var templatePlace: String?

  /// Creates one.
  public init(name: String, location: SourceLocation, templatePlace: String? = nil) {
    self.name = name
    self.location = location
    self.templatePlace = templatePlace
  }

  /// The warning for a promptfoo config: `<location>: prompt variable 'x' is defined by no test; …`.
  public var promptfooWarning: String {
    let place = templatePlace.map { " (template \($0))" } ?? ""
    return "\(location): prompt variable '\(name)'\(place) is defined by no test; rendered empty as promptfoo does"
  }

  /// Every such variable of `suite`'s text and chat prompts, once per name and file, in prompt order. A
  /// template that does not parse is passed over (expanding the suite reports it).
  public static func all(in suite: Suite, renderer: TemplateRenderer = TemplateRenderer()) -> [UndefinedPromptVariable]
  {
    var defined: Set<String>?
    var seen: Set<[String]> = []
    var out: [UndefinedPromptVariable] = []
    for prompt in suite.prompts {
      let texts: [String]
      switch prompt.body {
      case .text(let text): texts = [text]
      case .messages(let messages): texts = messages.map(\.content)
      case .function, .command: texts = []
      }
      for text in texts where TemplateRenderer.isTemplate(text) {
        guard let template = try? renderer.compile(text, at: prompt.location) else { continue }
        // `_conversation` is the runner's: the earlier turns, empty on the first.
        for variable in template.requiredVariables where variable.name != "_conversation" {
          if defined == nil { defined = suite.tests.varNames(mergedWith: suite.defaultTest) }
          guard defined?.contains(variable.name) == false,
            seen.insert([variable.name, prompt.location.file]).inserted
          else { continue }
          let location = variable.position.location(in: prompt.location)
          out.append(
            UndefinedPromptVariable(
              name: variable.name, location: location,
              templatePlace: location == prompt.location ? "\(variable.position)" : nil))
        }
      }
    }
    return out
  }
}
