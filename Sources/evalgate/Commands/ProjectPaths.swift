import ArgumentParser

/// The suites and the project config of `list` and `validate`.
struct ProjectPaths: ParsableArguments {
  @Argument(help: "Suite files or folders (default: evalgate.yaml's 'suites').") var paths: [String] = []

  @Option(name: [.customShort("c"), .customLong("config")], help: "Project config (default: evalgate.yaml).")
  var config: String?
}
