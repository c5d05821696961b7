import ArgumentParser

/// `run --help`'s "What to run" section: the config, the providers, which cases and how many samples.
struct RunSelection: ParsableArguments {
  @Option(
    name: [.customShort("c"), .customLong("config")], help: "Project config file (default: evalgate.yaml if present).")
  var config: String?

  @Option(
    name: .customLong("provider"),
    help: ArgumentHelp(
      "Run every suite against this provider instead of its own: a name from evalgate.yaml or an id such as "
        + "openai:chat:<model> (repeatable).", valueName: "name-or-id"))
  var providers: [String] = []

  @OptionGroup var filters: CaseFilters

  @Option(
    name: .customLong("shard"),
    help: "Run only shard i of n (e.g. 2/4), chosen by a hash of each case's stable id; `evalgate merge` joins them.")
  var shard: String?

  @Option(name: .customLong("repeat"), help: "Samples per case, overriding every suite's 'repeat'.")
  var repeatCount: Int?

  @Option(
    name: .customLong("max-cases"),
    help: "Refuse suites that expand to more cases or samples than this (default 10000000, or 'maxCases').")
  var maxCases: Int?

  @Option(
    name: .customLong("resume"),
    help: "Resume an interrupted run from its results.jsonl: cases already finished there are not called again.")
  var resume: String?
}
