import EvalCore
import Foundation

/// Loads `evalgate.yaml`. Unknown keys are errors with a did-you-mean.
public enum ProjectConfigLoader {
  /// The file name looked for in the working directory.
  public static let defaultFile = "evalgate.yaml"

  static let topKeys = [
    "version", "suites", "outputDir", "concurrency", "timeout", "timeoutMs", "providers", "defaultProviders", "retry",
    "prices", "gate", "junit", "verdict", "allowPaths", "maxCases", "history",
  ]

  /// Loads the config at `path`, or the built-in defaults when `path` is nil and no `evalgate.yaml` exists.
  /// - Throws: ``Diagnostic`` with a location for every problem.
  public static func load(path: String?) throws -> ProjectConfig {
    let file = path ?? defaultFile
    if path == nil, !FileManager.default.fileExists(atPath: file) {
      var config = ProjectConfig()
      config.root = PathConfinement.projectRoot(configFile: nil)
      return config
    }
    let text = try FileSource.text(file)
    var config: ProjectConfig
    if let root = try YAMLNode.parse(text, file: file) {
      config = try parse(root)
    } else {
      config = ProjectConfig(file: file)
    }
    let root = PathConfinement.projectRoot(configFile: file)
    config.root = root
    config.allowPaths = config.allowPaths.map { PathConfinement.absolute($0, in: root) }
    return config
  }

  static func parse(_ root: YAMLNode) throws -> ProjectConfig {
    var config = ProjectConfig(file: root.file)
    let m = try root.mapping("evalgate.yaml")
    try m.check(allowed: topKeys)
    if let v = m["version"] {
      let version = try v.int("'version'")
      guard version == 1 else { throw v.error("unsupported config version \(version); this evalgate reads version 1") }
    }
    if let v = m["suites"] { config.suites = try v.listOrSingle().map { try $0.string("'suites'") } }
    if let v = m["outputDir"] { config.outputDir = try v.string("'outputDir'") }
    if let v = m["concurrency"] { config.concurrency = try v.int("'concurrency'", min: 1) }
    if let v = m["timeout"] { config.timeout = try duration(v, "timeout") }
    if let v = m["timeoutMs"] { config.timeout = .milliseconds(try v.int("'timeoutMs'", min: 1)) }
    if let v = m["providers"] {
      let providers = try v.mapping("'providers'")
      for entry in providers.entries {
        var spec = try SuiteLoader.providerSpec(entry.value, named: entry.key)
        if spec.label == spec.id { spec.label = entry.key }
        config.providers[entry.key] = spec
      }
    }
    if let v = m["defaultProviders"] {
      config.defaultProviders = try v.listOrSingle().map { item in
        let name = try item.string("'defaultProviders'")
        guard config.providers[name] != nil else {
          throw item.error(
            "unknown provider '\(name)' in 'defaultProviders'" + Suggestion.didYouMean(name, in: config.providers.keys))
        }
        return name
      }
    }
    if let v = m["retry"] {
      let r = try v.mapping("'retry'")
      try r.check(allowed: ["maxRetries", "baseDelay", "maxDelay", "caseDeadline"])
      if let n = r["maxRetries"] { config.retry.maxRetries = try n.int("'maxRetries'", min: 0) }
      if let d = r["baseDelay"] { config.retry.baseDelay = try duration(d, "baseDelay") }
      if let d = r["maxDelay"] { config.retry.maxDelay = try duration(d, "maxDelay") }
      if let d = r["caseDeadline"] { config.retry.caseDeadline = try duration(d, "caseDeadline") }
    }
    if let v = m["prices"] {
      for entry in try v.mapping("'prices'").entries {
        config.prices[entry.key] = try price(entry.value, what: "price of '\(entry.key)'")
      }
    }
    if let v = m["gate"] {
      let g = try v.mapping("'gate'")
      try g.check(allowed: ["minPassRate"])
      if let r = g["minPassRate"] {
        let rate = try r.double("'minPassRate'")
        guard (0...1).contains(rate) else { throw r.error("'minPassRate' must be between 0 and 1, found \(rate)") }
        config.gate.minPassRate = rate
      }
    }
    if let v = m["verdict"] { config.verdict = try verdictPolicy(v) }
    if let v = m["allowPaths"] { config.allowPaths = try v.listOrSingle().map { try $0.string("'allowPaths'") } }
    if let v = m["maxCases"] { config.maxCases = try v.int("'maxCases'", min: 1) }
    if let v = m["history"] { config.history = try v.string("'history'") }
    if let v = m["junit"] {
      let j = try v.mapping("'junit'")
      try j.check(allowed: ["profile"])
      if let p = j["profile"] {
        let profile = try p.string("'profile'")
        guard ["rich", "strict"].contains(profile) else {
          throw p.error("unknown JUnit profile '\(profile)'; use 'rich' or 'strict'")
        }
        config.junitProfile = profile
      }
    }
    return config
  }

  /// The `verdict` section: thresholds, critical cases and per-metric settings.
  static func verdictPolicy(_ node: YAMLNode) throws -> VerdictPolicy {
    let v = try node.mapping("'verdict'")
    try v.check(allowed: [
      "alpha", "criticalAlpha", "passScore", "marginalScore", "minCoverage", "minCases", "resamples", "seed",
      "inconclusive", "mustPass", "metrics", "suites",
    ])
    var policy = VerdictPolicy()
    func fraction(_ key: String) throws -> Double? {
      guard let n = v[key] else { return nil }
      let x = try n.double("'\(key)'")
      guard x > 0, x < 1 else { throw n.error("'\(key)' must be between 0 and 1, found \(x)") }
      return x
    }
    func score(_ key: String) throws -> Double? {
      guard let n = v[key] else { return nil }
      let x = try n.double("'\(key)'")
      guard (0...100).contains(x) else { throw n.error("'\(key)' must be between 0 and 100, found \(x)") }
      return x
    }
    if let x = try fraction("alpha") { policy.alpha = x }
    if let x = try fraction("criticalAlpha") { policy.criticalAlpha = x }
    if let x = try score("passScore") { policy.passScore = x }
    if let x = try score("marginalScore") { policy.marginalScore = x }
    if policy.marginalScore > policy.passScore, let n = v["marginalScore"] ?? v["passScore"] {
      throw n.error("'marginalScore' (\(policy.marginalScore)) must not be above 'passScore' (\(policy.passScore))")
    }
    if let n = v["minCoverage"] {
      let x = try n.double("'minCoverage'")
      guard (0...1).contains(x) else { throw n.error("'minCoverage' must be between 0 and 1, found \(x)") }
      policy.minCoverage = x
    }
    if let n = v["minCases"] { policy.minCases = try n.int("'minCases'", min: 1) }
    if let n = v["resamples"] { policy.resamples = try n.int("'resamples'", min: 100) }
    if let n = v["seed"] { policy.seed = UInt64(try n.int("'seed'", min: 0)) }
    if let n = v["inconclusive"] {
      let text = try n.string("'inconclusive'")
      guard let choice = VerdictPolicy.InconclusivePolicy(rawValue: text) else {
        throw n.error("'inconclusive' must be 'hold' or 'pass', found '\(text)'")
      }
      policy.inconclusive = choice
    }
    if let n = v["mustPass"] {
      policy.mustPass = Set(try n.listOrSingle().map { CaseID(rawValue: try $0.string("a 'mustPass' case id")) })
    }
    if let n = v["metrics"] { policy.metrics = try metricOverrides(n) }
    if let n = v["suites"] {
      for entry in try n.mapping("'suites'").entries {
        let gate = try entry.value.mapping("the gate of suite '\(entry.key)'")
        try gate.check(allowed: ["metrics"])
        policy.suites[entry.key] = try gate["metrics"].map(metricOverrides) ?? [:]
      }
    }
    return policy
  }

  /// A `metrics` mapping: per metric name, `tolerance`, `margin`, `critical`, `weight`, `group` and, for
  /// scores, `direction`.
  /// - Throws: ``Diagnostic`` at an unknown metric or key, or a bad value.
  static func metricOverrides(_ node: YAMLNode) throws -> [String: VerdictPolicy.MetricOverride] {
    let known = MetricSpec.Kind.allCases.map(\.rawValue)
    var out: [String: VerdictPolicy.MetricOverride] = [:]
    for entry in try node.mapping("'metrics'").entries {
      guard MetricSpec(named: entry.key) != nil else {
        throw entry.keyNode.error(
          "unknown metric '\(entry.key)'; use \(known.joined(separator: ", ")) or score:<name>"
            + Suggestion.didYouMean(entry.key, in: known))
      }
      let m = try entry.value.mapping("metric '\(entry.key)'")
      try m.check(allowed: ["tolerance", "margin", "critical", "weight", "direction", "group", "gateAgainstBaseline"])
      var o = VerdictPolicy.MetricOverride()
      for key in ["tolerance", "margin", "weight"] {
        guard let x = m[key] else { continue }
        let value = try x.double("'\(key)'")
        guard value >= 0 else { throw x.error("'\(key)' must not be negative, found \(value)") }
        switch key {
        case "tolerance": o.tolerance = value
        case "margin": o.margin = value
        default: o.weight = value
        }
      }
      if let x = m["critical"] { o.critical = try x.bool("'critical'") }
      if let x = m["group"] { o.group = try x.string("'group'") }
      if let x = m["gateAgainstBaseline"] { o.gateAgainstBaseline = try x.bool("'gateAgainstBaseline'") }
      if let x = m["direction"] {
        let text = try x.string("'direction'")
        guard let direction = MetricSpec.Direction(rawValue: text) else {
          throw x.error("'direction' must be higher, lower or either, found '\(text)'")
        }
        guard entry.key == "score" || entry.key.hasPrefix("score:") else {
          throw x.error("only a score's direction can be set; '\(entry.key)' is compared one way")
        }
        o.direction = direction
      }
      out[entry.key] = o
    }
    return out
  }

  /// `{input: 2.5, output: 10}`: US dollars per million tokens.
  static func price(_ node: YAMLNode, what: String) throws -> Price {
    let m = try node.mapping(what)
    try m.check(allowed: ["input", "output"])
    guard let input = m["input"], let output = m["output"] else {
      throw node.error("\(what) needs 'input' and 'output' (US dollars per million tokens)")
    }
    let price = Price(input: try input.double("'input'"), output: try output.double("'output'"))
    guard price.input >= 0, price.output >= 0 else { throw node.error("\(what) must not be negative") }
    return price
  }

  /// A duration value: `30s`, `500ms`, `2m`, or a number of seconds.
  static func duration(_ node: YAMLNode, _ key: String) throws -> Duration {
    let text = (try? node.string("'\(key)'")) ?? ""
    guard let d = DurationText.parse(text) else {
      throw node.error("'\(key)' must look like 30s, 500ms or 2m, found '\(text)'")
    }
    return d
  }
}
