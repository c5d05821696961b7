import ArgumentParser
import EvalStore

/// `run --help`'s "Performance" section: concurrency, the response cache, timeouts, retries and budgets.
struct RunPerformance: ParsableArguments {
  @Option(
    name: [.customShort("j"), .customLong("concurrency"), .customLong("max-concurrency")],
    help: "Calls in flight at once (default 8, or 'concurrency' in evalgate.yaml).")
  var concurrency: Int?

  @Flag(name: .customLong("no-cache"), help: "Do not read or write the response cache.")
  var noCache = false

  @Option(name: .customLong("cache-path"), help: "The response cache file.")
  var cachePath = CacheCommand.defaultPath

  @Option(name: .customLong("cache-ttl"), help: "How long cached responses count, e.g. 14d or 12h.")
  var cacheTTL = ResponseCache.defaultTTLText

  @Option(name: .customLong("timeout"), help: "Per-call timeout, e.g. 30s or 500ms (default 60s).")
  var timeout: String?

  @Option(name: .customLong("max-retries"), help: "Retries per call after endpoint failures (default 6; 0 = none).")
  var maxRetries: Int?

  @Option(name: .customLong("max-cost"), help: "Stop starting new calls once this many US dollars are spent.")
  var maxCost: Double?

  @Option(name: .customLong("max-tokens"), help: "Stop starting new calls once this many tokens are used.")
  var maxTokens: Int?
}
