import ArgumentParser
import EvalCore
import EvalReports
import EvalStore

/// `evalgate run [PATH…]`: run suites and gate on the results.
struct RunCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run prompt suites against their providers and gate on the results.",
    discussion: """
      PATH is a suite file or a folder of suites (default: 'suites' from evalgate.yaml, else suites/).
      Reports go to the output dir: junit.xml, results.json and results.jsonl (one line per case,
      written as cases finish).

      Examples:
        evalgate run                              # the suites in suites/, offline providers included
        evalgate run suites/support.yaml -j 32    # one suite, 32 calls in flight
        evalgate run --repeat 5 -o out/           # 5 samples per case, reports in out/
        evalgate run --junit-profile strict       # JUnit for strict Jenkins/xunit consumers
        evalgate run --resume reports/results.jsonl   # finish a run that was interrupted or killed
        evalgate run --baseline baselines/        # the verdict against blessed baselines
        OPENAI_BASE_URL=http://127.0.0.1:8080/v1 evalgate run --provider openai:chat:gemma-3-270m --no-baseline
                                                  # every suite against a local server instead

      When baselines/<suite>.json exists for a suite that ran (or --baseline names baselines), the run
      is compared with it and the verdict decides the exit code; verdict.md in the output dir explains it.

      Exit codes: 0 gate passed or PROMOTE, 1 gate failed or ROLLBACK, 2 usage or config error, 3 HOLD,
      4 could not evaluate (for example every call errored), 130 interrupted.
      """)

  @Argument(help: "Suite files or folders.")
  var paths: [String] = []

  @Option(
    name: [.customShort("c"), .customLong("config")], help: "Project config file (default: evalgate.yaml if present).")
  var config: String?

  @Option(
    name: [.customShort("j"), .customLong("concurrency"), .customLong("max-concurrency")],
    help: "Calls in flight at once (default 8, or 'concurrency' in evalgate.yaml).")
  var concurrency: Int?

  @Option(name: [.customShort("o"), .customLong("output-dir")], help: "Where reports are written (default: reports).")
  var outputDir: String?

  @Flag(name: .customLong("no-cache"), help: "Do not read or write the response cache.")
  var noCache = false

  @Option(help: "Compare with this baseline file, results.json or directory (default: baselines/ when it exists).")
  var baseline: String?

  @Flag(name: .customLong("no-baseline"), help: "Gate on the plain pass rate; do not compare with baselines.")
  var noBaseline = false

  @Option(
    name: .customLong("provider"),
    help: ArgumentHelp(
      "Run every suite against this provider instead of its own: a name from evalgate.yaml or an id such as "
        + "openai:chat:<model> (repeatable).", valueName: "name-or-id"))
  var providers: [String] = []

  @OptionGroup var verdict: VerdictOptions

  @OptionGroup var filters: CaseFilters

  @OptionGroup var history: HistoryOptions

  @OptionGroup var telemetry: TelemetryOptions

  @Option(
    name: .customLong("max-cases"),
    help: "Refuse suites that expand to more cases or samples than this (default 10000000, or 'maxCases').")
  var maxCases: Int?

  @Flag(name: .customLong("quiet"), help: "Print only the gate's line (and the verdict's); no progress.")
  var quiet = false

  @Flag(name: .customLong("verbose"), help: "Also list the cases that passed.")
  var verbose = false

  @Option(name: .customLong("cache-path"), help: "The response cache file.")
  var cachePath = CacheCommand.defaultPath

  @Option(name: .customLong("cache-ttl"), help: "How long cached responses count, e.g. 14d or 12h.")
  var cacheTTL = ResponseCache.defaultTTLText

  @Option(
    name: .customLong("shard"),
    help: "Run only shard i of n (e.g. 2/4), chosen by a hash of each case's stable id; `evalgate merge` joins them.")
  var shard: String?

  @Option(name: .customLong("repeat"), help: "Samples per case, overriding every suite's 'repeat'.")
  var repeatCount: Int?

  @Option(name: .customLong("junit-profile"), help: "JUnit shape: rich (file/line, properties) or strict.")
  var junitProfile: JUnitReport.Profile?

  @Option(name: .customLong("timeout"), help: "Per-call timeout, e.g. 30s or 500ms (default 60s).")
  var timeout: String?

  @Option(name: .customLong("max-retries"), help: "Retries per call after endpoint failures (default 6; 0 = none).")
  var maxRetries: Int?

  @Option(
    name: .customLong("resume"),
    help: "Resume an interrupted run from its results.jsonl: cases already finished there are not called again.")
  var resume: String?

  @Option(name: .customLong("max-cost"), help: "Stop starting new calls once this many US dollars are spent.")
  var maxCost: Double?

  @Option(name: .customLong("max-tokens"), help: "Stop starting new calls once this many tokens are used.")
  var maxTokens: Int?

  @Option(name: .customLong("min-pass-rate"), help: "Gate: minimum fraction of cases that must pass, 0…1 (default 1).")
  var minPassRate: Double?

  func validate() throws {
    if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
    if let repeatCount, repeatCount < 1 { throw ValidationError("--repeat must be at least 1") }
    if let maxCost, maxCost <= 0 { throw ValidationError("--max-cost must be positive") }
    if let maxTokens, maxTokens <= 0 { throw ValidationError("--max-tokens must be positive") }
    if let maxRetries, maxRetries < 0 { throw ValidationError("--max-retries must be 0 or more") }
    if let minPassRate, !(0...1).contains(minPassRate) {
      throw ValidationError("--min-pass-rate must be between 0 and 1")
    }
    if DurationText.parse(cacheTTL) == nil { throw ValidationError("--cache-ttl must look like 14d, 12h or 30m") }
    if let shard, Shard(shard) == nil { throw ValidationError("--shard must look like 2/4 (1 ≤ i ≤ n)") }
    if let timeout, DurationText.parse(timeout) == nil {
      throw ValidationError("--timeout must look like 30s, 500ms or 2m")
    }
  }

  func run() async throws {
    let status = await RunSession(options: self).run()
    if status != .passed { throw status.exitCode }
  }
}

extension JUnitReport.Profile: ExpressibleByArgument {}
