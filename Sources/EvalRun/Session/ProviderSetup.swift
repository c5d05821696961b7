import EvalCore
import EvalLoading
import EvalProviders
import EvalStore
import Foundation

/// Builds one provider instance per configured endpoint, in front of the response cache where caching
/// applies (network providers, unless `--no-cache`).
public struct ProviderSetup {
  /// The response cache (`nil`: none).
  public let cache: RunPlan.Cache?
  /// Where API keys and base URLs are read from.
  public let environment: [String: String]
  /// Builds the providers, and holds the HTTP client they share.
  public let factory: ProviderFactory
  /// Builds one provider: the factory's (``ProviderFactory/make(_:)``) unless a caller runs its own in process.
  public var make: (ProviderSpec, ProviderFactory) throws -> any Provider = { try $1.make($0) }
  /// Hears a warning (one line): a cache that cannot be opened.
  public var warn: (String) -> Void

  /// A setup building providers with `factory`, in front of `cache` when there is one; `warn` hears warnings.
  public init(
    cache: RunPlan.Cache?, environment: [String: String], factory: ProviderFactory,
    warn: @escaping (String) -> Void
  ) {
    self.cache = cache
    self.environment = environment
    self.factory = factory
    self.warn = warn
  }

  /// Providers by ``ProviderSpec/key`` for every suite's endpoints.
  /// - Throws: ``Diagnostic`` for a provider that cannot be built or a cache that cannot be opened.
  public func providers(
    for suites: [Suite], cases: some Sequence<EvalCase>, more: [EvalCase] = []
  ) async throws -> [String: any Provider] {
    var built: [(ProviderSpec, any Provider)] = []
    var seen: Set<String> = []
    for spec in suites.flatMap({ $0.callProviders + $0.judges }) where seen.insert(spec.key).inserted {
      built.append((spec, try make(spec, factory)))
    }
    // A code provider's module is loaded once before the run: an import that fails (a package not
    // installed) is one located error, not one per case.
    for case let (spec, provider as CodeProvider) in built {
      if let error = await provider.check() {
        throw Diagnostic("provider '\(spec.label)' cannot be loaded: \(error.message)", at: spec.location)
      }
    }
    // Opened only once every provider is known to be valid, so a config error leaves no file behind.
    let cacheable = built.contains { ProviderSetup.cacheIdentity($0.0, environment: environment) != nil }
    let opened = cacheable ? try openCache() : nil
    var providers: [String: any Provider] = [:]
    for (spec, provider) in built {
      guard let opened, let endpoint = ProviderSetup.cacheIdentity(spec, environment: environment) else {
        providers[spec.key] = provider
        continue
      }
      // One read for every sample this provider will get; misses go to the endpoint.
      var slots: [(CachingProvider.Slot, String)] = []
      func add(_ c: EvalCase) {
        for r in 0..<c.repeatCount {
          let key = ResponseCache.key(endpoint: endpoint, request: c.request(repeatIndex: r))
          slots.append((CachingProvider.Slot(caseID: c.id.rawValue, repeatIndex: r), key))
        }
      }
      for c in cases where c.providerKey == spec.key { add(c) }
      for c in more where c.providerKey == spec.key { add(c) }
      let preloaded = (try? await opened.lookup(slots.map(\.1))).map { found in
        var bySlot: [CachingProvider.Slot: Completion] = [:]
        for (slot, key) in slots { if let hit = found[key] { bySlot[slot] = hit } }
        return bySlot
      }
      providers[spec.key] = CachingProvider(
        provider, cache: opened, endpoint: endpoint, preloaded: preloaded, redactor: factory.redactor)
    }
    return providers
  }

  /// The response cache; `nil` (with one warning) when it cannot be opened: a cache only saves money, so
  /// it never fails a run.
  public func openCache() throws -> ResponseCache? {
    guard let cache else { return nil }
    do {
      return try ResponseCache(path: cache.path, ttl: cache.ttl)
    } catch {
      warn("warning: cannot open the response cache '\(cache.path)' (\(error)); running without it")
      return nil
    }
  }

  /// What identifies a cacheable endpoint in cache keys: the provider id and config, plus the base URL
  /// when the environment supplies it (a base-URL variable, or `{{ env.NAME }}` in `apiBaseUrl`). Offline
  /// and command providers are not cached.
  public static func cacheIdentity(_ spec: ProviderSpec, environment: [String: String]) -> String? {
    guard let kind = spec.providerKind?.descriptor, kind.isNetwork else { return nil }
    var base = kind.baseURLVariable.flatMap { environment[$0] } ?? ""
    if let url = spec.config["apiBaseUrl"]?.stringValue, TemplateRenderer.isTemplate(url) {
      base = (try? ProviderFactory.baseURL(of: spec, environment: environment)) ?? ""
    }
    return JSONValue.object(["id": .string(spec.id), "config": .object(spec.config), "base": .string(base)])
      .canonicalJSON
  }
}
