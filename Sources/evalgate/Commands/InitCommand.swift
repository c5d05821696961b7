import ArgumentParser
import EvalCore
import EvalRun
import Foundation

/// `evalgate init`: a starting point in the current folder: `evalgate.yaml`, an example suite that runs
/// offline, and a GitHub Actions workflow. Never overwrites a file.
struct InitCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "init",
    abstract: "Scaffold evalgate.yaml, an example suite and a CI workflow (never overwriting a file).",
    discussion: """
      Examples:
        mkdir my-evals && cd my-evals && evalgate init && evalgate run
        evalgate init --dir evals/
      """)

  @Option(name: .customLong("dir"), help: "Where to scaffold (. is the current folder).") var dir = "."

  static let config = """
    # evalgate project config (docs/suite-format.md). Suites under `suites` run with `evalgate run`.
    version: 1
    suites: [suites]
    outputDir: reports
    concurrency: 8
    timeout: 60s
    # providers:
    #   local:
    #     id: openai:chat:my-model
    #     config: { apiBaseUrl: "http://127.0.0.1:8080/v1" }
    # defaultProviders: [local]

    """

  static let suite = """
    # An example suite: runs offline on the built-in `scripted` model. Point `providers` at your endpoint
    # (for example `openai:chat:gpt-4o-mini`) to gate a real model on the same tests.
    description: Example assistant
    prompts:
      - "Answer briefly: {{ question }}"
    providers:
      - id: scripted
        config:
          rules:
            - contains: capital of France
              reply: "Paris."
            - contains: capital of Japan
              reply: "Tokyo."
            - contains: "2 + 2"
              reply: "4"
          default: "I don't know."
    tests:
      - id: capital
        vars: { question: "What is the capital of France?" }
        assert:
          - { type: icontains, value: paris }
          - { type: not-is-refusal }
      - id: capital-japan
        vars: { question: "What is the capital of Japan?" }
        assert:
          - { type: icontains, value: tokyo }
      - id: arithmetic
        vars: { question: "What is 2 + 2?" }
        assert:
          - { type: equals, value: "4" }

    """

  /// The GitHub Actions workflow: installs this version's wheel with pip (no Swift toolchain) and gates the
  /// pull request on `evalgate run`; the actions are majors that run on node24.
  static let workflow = """
    name: evalgate
    on:
      pull_request:
    jobs:
      evalgate:
        runs-on: ubuntu-24.04
        steps:
          - uses: actions/checkout@v5
          - uses: actions/setup-python@v6
            with:
              python-version: "3.13"
          - run: pip install evalgate-bin==\(EvalgateCommand.version)
          - run: evalgate run --fail-on hold
            # env:
            #   OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}
          - uses: actions/upload-artifact@v6
            if: always()
            with:
              name: evalgate-reports
              path: reports

    """

  func run() async throws {
    try await CommandOutcome.finish {
      let files = [
        ("evalgate.yaml", Self.config), ("suites/example.yaml", Self.suite),
        (".github/workflows/evalgate.yml", Self.workflow),
      ]
      for (name, text) in files {
        let path = dir + "/" + name
        if FileManager.default.fileExists(atPath: path) {
          print("kept \(name) (exists)")
          continue
        }
        try FileManager.default.createDirectory(
          atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try AtomicFile.write(text, to: path)
        print("created \(name)")
      }
      print("next: evalgate run")
      return .passed
    }
  }
}
