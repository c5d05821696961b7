import ArgumentParser
import EvalRun

/// `--filter-tag`, `--filter-id`, `--filter-failing`: which expanded cases a run (or `list`) keeps.
struct CaseFilters: ParsableArguments {
  @Option(name: .customLong("filter-tag"), help: "Only cases with this tag (repeatable: any of them).")
  var tags: [String] = []

  @Option(
    name: .customLong("filter-id"), help: "Only cases whose case id or test id matches this glob (repeatable).")
  var ids: [String] = []

  @Option(name: .customLong("filter-failing"), help: "Only cases that failed or errored in this results.json.")
  var failing: String?

  /// The filter these flags describe.
  var filter: CaseFilter { CaseFilter(tags: tags, ids: ids, failing: failing) }
}
