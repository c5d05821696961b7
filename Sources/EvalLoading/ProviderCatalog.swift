import EvalCore

/// The provider ids evalgate knows, checked at load time so a typo fails before any call.
public enum ProviderCatalog {
  /// Built-in id prefixes, in the order diagnostics list them.
  public static let kinds = ProviderKind.allCases.map(\.rawValue)

  /// Checks the id's shape and config keys.
  /// - Throws: ``Diagnostic`` at the provider's location.
  public static func validate(_ spec: ProviderSpec) throws {
    let parts = spec.id.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
    let kind = parts[0]
    _ = try rateLimit(spec)
    _ = try configuredPrice(spec)
    guard let known = ProviderKind(rawValue: kind) else {
      throw Diagnostic(
        "unknown provider '\(spec.id)'" + Suggestion.didYouMean(kind, in: kinds)
          + (Suggestion.nearest(to: kind, in: kinds) == nil ? "; known: \(kinds.joined(separator: ", "))" : ""),
        at: spec.location)
    }
    try checkShape(spec, kind: known, parts: parts)
    if let allowed = known.descriptor.configKeys { try check(spec, allowed: allowed) }
  }

  /// Checks what the id must name besides its kind (a model, a command).
  static func checkShape(_ spec: ProviderSpec, kind: ProviderKind, parts: [String]) throws {
    switch kind {
    case .openai:
      let model =
        parts.count == 3 && ["chat", "embedding", "moderation"].contains(parts[1])
        ? parts[2] : parts.count == 2 ? parts[1] : ""
      guard !model.isEmpty, parts.count != 3 || ["chat", "embedding", "moderation"].contains(parts[1]) else {
        throw Diagnostic(
          "provider id '\(spec.id)' needs a model: 'openai:chat:<model>', 'openai:embedding:<model>' or "
            + "'openai:<model>'", at: spec.location)
      }
    case .anthropic:
      let model = parts.count == 3 && parts[1] == "messages" ? parts[2] : parts.count == 2 ? parts[1] : ""
      guard !model.isEmpty, parts.count != 3 || parts[1] == "messages" else {
        throw Diagnostic(
          "provider id '\(spec.id)' needs a model: 'anthropic:messages:<model>' or 'anthropic:<model>'",
          at: spec.location)
      }
    case .http:
      guard spec.config["url"]?.stringValue != nil else {
        try check(spec, allowed: kind.descriptor.configKeys ?? [])
        throw Diagnostic("provider 'http' needs a 'url'", at: spec.location)
      }
    case .google, .vertex:
      guard parts.count >= 2, !parts.dropFirst().joined(separator: ":").isEmpty else {
        throw Diagnostic("provider id '\(spec.id)' needs a model: '\(kind.rawValue):<model>'", at: spec.location)
      }
    case .huggingface:
      guard parts.count == 3, parts[1] == "text-generation", !parts[2].isEmpty else {
        throw Diagnostic(
          "provider '\(spec.id)' is not supported: of Hugging Face's tasks evalgate calls 'huggingface:text-generation:"
            + "<model>'; for chat models use 'openai:chat:<model>' with 'apiBaseUrl: https://router.huggingface.co/v1'",
          at: spec.location)
      }
    case .replicate:
      guard parts.count >= 2, !parts.dropFirst().joined(separator: ":").isEmpty else {
        throw Diagnostic("provider id '\(spec.id)' needs a model: 'replicate:<owner>/<model>'", at: spec.location)
      }
    case .exec:
      guard parts.count >= 2, !parts.dropFirst().joined(separator: ":").isEmpty else {
        throw Diagnostic("provider id '\(spec.id)' needs a command: 'exec:<command>'", at: spec.location)
      }
    case .echo, .scripted, .file, .llama:
      // Nothing to name: a code provider (`file://provider.py`) is its path.
      break
    }
  }

  /// The price a provider's config sets with `cost: {input, output}` (USD per 1M tokens), if any.
  public static func configuredPrice(_ spec: ProviderSpec) throws -> Price? {
    guard let cost = spec.config["cost"] else { return nil }
    guard let o = cost.objectValue, let input = o["input"]?.numberValue, let output = o["output"]?.numberValue,
      o.count == 2, input >= 0, output >= 0
    else {
      throw Diagnostic("'cost' must be {input: <USD per 1M tokens>, output: <USD per 1M tokens>}", at: spec.location)
    }
    return Price(input: input, output: output)
  }

  /// The price that applies to a provider: its own `cost`, else the project's or the list price of its
  /// model; offline providers cost nothing; `nil` when unknown.
  public static func price(for spec: ProviderSpec, table: PriceTable) throws -> Price? {
    if let own = try configuredPrice(spec) { return own }
    switch spec.providerKind?.descriptor.priceLookup ?? .none {
    case .free: return Price(input: 0, output: 0)
    case .modelInID: return spec.id.split(separator: ":").last.flatMap { table.price(for: String($0)) }
    case .none: return nil
    }
  }

  /// A provider's `rateLimit: {requestsPerMinute, tokensPerMinute}`, if set.
  public static func rateLimit(_ spec: ProviderSpec) throws -> Throttle.Limits? {
    guard let value = spec.config["rateLimit"] else { return nil }
    guard let o = value.objectValue, !o.isEmpty,
      o.keys.allSatisfy({ $0 == "requestsPerMinute" || $0 == "tokensPerMinute" }),
      o.values.allSatisfy({ ($0.numberValue ?? 0) > 0 })
    else {
      throw Diagnostic(
        "'rateLimit' must be {requestsPerMinute: N, tokensPerMinute: N} with positive numbers", at: spec.location)
    }
    return Throttle.Limits(
      requestsPerMinute: o["requestsPerMinute"]?.numberValue, tokensPerMinute: o["tokensPerMinute"]?.numberValue)
  }

  static func check(_ spec: ProviderSpec, allowed: [String]) throws {
    for key in spec.config.keys.sorted() where !allowed.contains(key) {
      throw Diagnostic(
        "unknown config key '\(key)' for provider '\(spec.id)'" + Suggestion.didYouMean(key, in: allowed),
        at: spec.location)
    }
  }
}
