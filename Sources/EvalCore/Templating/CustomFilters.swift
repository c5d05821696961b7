import Foundation

/// Filters a suite defines in code (promptfoo's `nunjucksFilters: {name: file://filter.js}`): their names,
/// known when templates are checked, and the call that applies one, `(value, ...arguments)` with JSON
/// values. The call is synchronous: templates render synchronously, so it waits for its worker.
public final class CustomFilters: Sendable {
  /// The filter names.
  public let names: Set<String>
  private let apply: @Sendable (String, JSONValue, [JSONValue]) -> Result<JSONValue, ProviderError>

  /// Creates the filters `names`, applied by `apply(name, value, arguments)`.
  public init(
    names: Set<String>, apply: @escaping @Sendable (String, JSONValue, [JSONValue]) -> Result<JSONValue, ProviderError>
  ) {
    self.names = names
    self.apply = apply
  }

  /// Applies filter `name`.
  /// - Throws: ``TemplateError`` at `offset` when its code fails.
  func call(_ name: String, _ input: TemplateValue, _ arguments: [TemplateValue], offset: Int) throws(TemplateError)
    -> TemplateValue
  {
    let json = { (v: TemplateValue) in v.jsonText().flatMap(JSONValue.parse) ?? .null }
    switch apply(name, json(input), arguments.map(json)) {
    case .success(let value): return TemplateValue(value)
    case .failure(let e): throw TemplateError("filter '\(name)': \(e.message)", at: offset)
    }
  }
}
