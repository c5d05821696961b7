import ArgumentParser

/// The `evalgate` root command.
struct EvalgateCommand: AsyncParsableCommand {
  static let version = "0.1.0"

  static let configuration = CommandConfiguration(
    commandName: "evalgate",
    abstract: "Gate LLM applications in CI: run prompt suites against model endpoints, score them, report.",
    discussion: """
      Exit codes: 0 gate passed or PROMOTE, 1 gate failed or ROLLBACK, 2 usage or config error, 3 HOLD, \
      4 could not evaluate, 130 interrupted.

      The first hour:
        evalgate init              # evalgate.yaml, an example suite, a CI workflow
        evalgate validate          # check them without calling anything
        evalgate run               # run, score, write reports/ and gate
        evalgate explain CASE_ID   # why a case failed: messages, output, assertions
        evalgate baseline accept   # bless the run: baselines/<suite>.json
        evalgate compare old/ new/ # the verdict of one run against another
      """,
    version: version,
    subcommands: [
      RunCommand.self, CompareCommand.self, BaselineCommand.self, CanaryCommand.self, CacheCommand.self,
      ExplainCommand.self, RetrievalCommand.self, MergeCommand.self, ListCommand.self, ValidateCommand.self,
      InitCommand.self,
      HistoryCommand.self,
    ],
    defaultSubcommand: nil
  )
}
