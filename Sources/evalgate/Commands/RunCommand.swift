import ArgumentParser
import EvalReports
import EvalRun

/// `evalgate run [PATH…]`: run suites and gate on the results.
struct RunCommand: AsyncParsableCommand {
  // `evalgate` as its super-command: when `run` is parsed as a command of its own (``Entrypoint/parse(_:)``), it is
  // not asked for a completion script (ArgumentParser parses the arguments twice more for that: about 1 ms of every
  // run's start, docs/benchmarks.md session 23); parsed under the root, as help and errors are, this changes nothing.
  static let configuration = CommandConfiguration(
    commandName: "run",
    _superCommandName: "evalgate",
    abstract: "Run prompt suites against their providers and gate on the results.",
    discussion: """
      PATH is a suite file or a folder of suites (default: 'suites' from evalgate.yaml, else suites/). \
      Reports go to the output dir: junit.xml, results.json and results.jsonl (one line per case, \
      written as cases finish).

      When baselines/<suite>.json exists for a suite that ran (or --baseline names baselines), the run \
      is compared with it and the verdict decides the exit code; verdict.md in the output dir explains it.

      Exit codes: 0 gate passed or PROMOTE, 1 gate failed or ROLLBACK, 2 usage or config error, 3 HOLD, \
      4 could not evaluate (for example every call errored), 130 interrupted.

      Examples:
        # the suites in suites/ (offline providers included)
        evalgate run
        # one suite, 32 calls in flight
        evalgate run suites/support.yaml -j 32
        # 5 samples per case, reports in out/
        evalgate run --repeat 5 -o out/
        # finish a run that was interrupted or killed
        evalgate run --resume reports/results.jsonl
        # JUnit for strict Jenkins/xunit consumers
        evalgate run --junit-profile strict
        # the verdict against blessed baselines
        evalgate run --baseline baselines/
        # every suite against a local server instead of the suites' providers
        OPENAI_BASE_URL=http://127.0.0.1:8080/v1 \\
          evalgate run --provider openai:chat:gemma-3-270m --no-baseline
      """)

  @Argument(help: "Suite files or folders.")
  var paths: [String] = []

  @OptionGroup(title: "What to run") var selection: RunSelection

  @OptionGroup(title: "Where output goes") var output: RunOutput

  @OptionGroup(title: "Gating") var gating: RunGating

  @OptionGroup(title: "Performance") var performance: RunPerformance

  func validate() throws {
    do { _ = try plan() } catch { throw ValidationError(error.message) }
  }

  func run() async throws {
    let status = await RunSession(options: self, runPlan: try plan()).run()
    if status != .passed { throw status.exitCode }
  }
}

extension JUnitReport.Profile: ExpressibleByArgument {}
