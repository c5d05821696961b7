import ArgumentParser
import EvalCore
import EvalLoading
import EvalRun
import Foundation

/// `evalgate validate`: everything `evalgate run` would refuse before its first call — evalgate.yaml, every
/// suite and fixture and their expansion, interpreters, providers and their API keys, the baselines, the
/// output dir — each problem as `file:line:col: error: …`; calls nothing, writes nothing. Exit 0 when
/// clean, 2 otherwise.
struct ValidateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Check what run would refuse (config, suites, keys, files, output dir) without calling anything.",
    usage: "evalgate validate [<options>] [<paths> ...]",
    discussion: """
      Checks evalgate.yaml, the suites and the fixtures (every case expanded), the interpreters code \
      assertions need, every provider's configuration and API key variable, a code provider's module, the \
      baselines (baselines/ or --baseline) and that the output dir can be written. Every problem is \
      listed as file:line:col: error: …, as run would list it.

      Exit codes: 0 run would start, 2 it would refuse (as run would exit).

      Examples:
        evalgate validate
        # in CI before the secrets are there
        evalgate validate --offline
        evalgate validate suites/support.yaml -c ci/evalgate.yaml -o out/
      """)

  @OptionGroup var project: ProjectPaths

  @Option(
    name: .customLong("max-cases"),
    help: "Refuse suites that expand to more cases or samples than this (default 10000000, or 'maxCases').")
  var maxCases: Int?

  @Flag(help: "Do not check the providers' API key variables (everything else is still checked).")
  var offline = false

  @Option(
    name: [.customShort("o"), .customLong("output-dir")],
    help: "The output dir to check (default: evalgate.yaml's 'outputDir', else reports).")
  var outputDir: String?

  @Option(help: "The baseline file or folder to check (default: baselines/ when it exists).")
  var baseline: String?

  @Option(
    name: .customLong("provider"), help: ArgumentHelp("Check as run --provider would run.", valueName: "name-or-id"))
  var providers: [String] = []

  func run() async throws {
    try await CommandOutcome.finish {
      var plan = RunPlan()
      plan.paths = project.paths
      plan.config = project.config
      plan.maxCases = maxCases
      plan.outputDir = outputDir
      plan.baseline = baseline
      plan.providers = providers
      let preflight = RunPreflight(plan: plan, environment: ProcessInfo.processInfo.environment, offline: offline)
      let checked = try await preflight.check()
      Terminal.output(Self.okLine(checked))
      for note in checked.prepared.skipped { Terminal.output("note: \(note)") }
      if !checked.keysSkipped.isEmpty {
        Terminal.output(
          "note: --offline: API keys not checked for \(checked.keysSkipped.map { "'\($0)'" }.joined(separator: ", "))")
      }
      return .passed
    }
  }

  /// `OK: 2 suites, 21 prompt cases, 1 retrieval fixture; 3 providers ready; baselines/ read; reports/ writable`.
  static func okLine(_ c: RunPreflight.Checked) -> String {
    func count(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
    let (cases, samples) = (c.prepared.survey.cases, c.prepared.survey.samples)
    var text = "OK: " + count(c.prepared.suites.count, "suite") + ", " + count(cases, "prompt case")
    if samples != cases { text += " (\(samples) samples with repeats)" }
    text += ", " + count(c.prepared.fixtures.count, "retrieval fixture")
    if !c.prepared.fixtures.isEmpty {
      let measures = c.prepared.fixtures.reduce(0) { $0 + $1.fixture.measures.count }
      let queries = c.prepared.fixtures.reduce(0) { $0 + $1.fixture.queries.count }
      text += " (" + count(measures, "measure") + " over " + (queries == 1 ? "1 query" : "\(queries) queries") + ")"
    }
    text += "; " + count(c.providers, "provider") + " ready"
    if let baseline = c.baseline { text += "; baselines read from \(baseline)" }
    text += "; output dir \(c.outputDir) writable"
    return text
  }
}
