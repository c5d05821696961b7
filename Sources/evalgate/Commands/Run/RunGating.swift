import ArgumentParser

/// `run --help`'s "Gating" section: the baselines, the pass rate and the verdict's options.
struct RunGating: ParsableArguments {
  @Option(help: "Compare with this baseline file, results.json or directory (default: baselines/ when it exists).")
  var baseline: String?

  @Flag(name: .customLong("no-baseline"), help: "Gate on the plain pass rate; do not compare with baselines.")
  var noBaseline = false

  @Option(name: .customLong("min-pass-rate"), help: "Gate: minimum fraction of cases that must pass, 0…1 (default 1).")
  var minPassRate: Double?

  @OptionGroup var verdict: VerdictOptions
}
