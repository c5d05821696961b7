import EvalRun

extension RunCommand {
  /// The run these flags describe, each value parsed once.
  /// - Throws: ``RunPlan/InvalidFlag`` for the first value that cannot be used, in the order `validate()` says them.
  func plan() throws(RunPlan.InvalidFlag) -> RunPlan {
    var plan = RunPlan()
    plan.paths = paths
    plan.config = config
    plan.providers = providers
    plan.filter = filters.filter
    plan.repeatCount = repeatCount
    plan.maxCases = maxCases
    plan.resume = resume
    plan.outputDir = outputDir
    plan.junitProfile = junitProfile
    plan.baseline = baseline
    plan.noBaseline = noBaseline
    plan.minPassRate = minPassRate
    plan.concurrency = concurrency
    plan.maxRetries = maxRetries
    plan.maxCost = maxCost
    plan.maxTokens = maxTokens
    plan.seed = verdict.seed
    plan.failOn = verdict.failOn
    try plan.checkRanges()
    let ttl = try RunPlan.cacheTTL(cacheTTL)
    plan.cache = noCache ? nil : RunPlan.Cache(path: cachePath, ttl: ttl)
    plan.shard = try shard.map(RunPlan.shard)
    plan.timeout = try timeout.map(RunPlan.timeout)
    return plan
  }
}
