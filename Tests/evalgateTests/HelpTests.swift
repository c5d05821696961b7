import Foundation
import Testing

/// Every command's `--help` as an 80-column terminal shows it: nothing wider than 80 columns, no option
/// stating its default twice, and every flag of the 200-column rendering still there.
struct HelpTests {
  /// Every command path (`[]`, `["run"]`, `["cache", "stats"]`, …) from ArgumentParser's help dump. The dump is
  /// over 100 KB: read through a pipe only after the process exits, it fills the pipe's 64 KB buffer and
  /// never exits (the earlier walk's hang); `CLI.run` writes it to a file instead.
  static func commandPaths(in dir: URL) async throws -> [[String]] {
    let dump = try await CLI.run(["--experimental-dump-help"], in: dir, timeout: .seconds(60))
    #expect(dump.status == 0, "\(dump.stderr)")
    let root = try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any]
    var paths: [[String]] = []
    func walk(_ command: [String: Any], _ path: [String]) {
      paths.append(path)
      for sub in command["subcommands"] as? [[String: Any]] ?? [] {
        if let name = sub["commandName"] as? String, name != "help" { walk(sub, path + [name]) }
      }
    }
    if let command = root?["command"] as? [String: Any] { walk(command, []) }
    return paths
  }

  /// The flags a help text names (`--output-dir`, `-j`).
  static func flags(_ help: String) -> Set<String> {
    let words = help.split { !($0.isLetter || $0.isNumber || $0 == "-") }
    return Set(words.map(String.init).filter { $0.wholeMatch(of: /--?[A-Za-z][A-Za-z0-9-]*/) != nil })
  }

  /// The options section's entries: a line at two spaces' indent and its deeper-indented continuation lines.
  static func entries(_ help: String) -> [String] {
    guard let usage = help.range(of: "\nUSAGE:") else { return [] }
    var entries: [String] = []
    for line in help[usage.upperBound...].split(separator: "\n", omittingEmptySubsequences: true) {
      if line.hasPrefix("  "), !line.hasPrefix("   ") {
        entries.append(String(line))
      } else if line.hasPrefix("   "), !entries.isEmpty {
        entries[entries.count - 1] += " " + line.trimmingCharacters(in: .whitespaces)
      } else {
        entries.append("")
      }
    }
    return entries
  }

  @Test func everyCommandsHelpFitsEightyColumns() async throws {
    let dir = try CLI.scratch()
    let paths = try await Self.commandPaths(in: dir)
    #expect(paths.count >= 20, "\(paths)")
    #expect(paths.contains(["run"]) && paths.contains(["history", "trend"]) && paths.contains(["explain"]))
    for path in paths {
      let narrow = try await CLI.run(path + ["--help"], in: dir, environment: ["COLUMNS": "80"], timeout: .seconds(60))
      let wide = try await CLI.run(path + ["--help"], in: dir, environment: ["COLUMNS": "200"], timeout: .seconds(60))
      let name = (["evalgate"] + path).joined(separator: " ")
      #expect(narrow.status == 0 && wide.status == 0, "\(name) --help: \(narrow.stderr)")
      #expect(narrow.stdout.contains("USAGE: evalgate"), "\(name)")
      for line in narrow.stdout.split(separator: "\n") where line.count > 80 {
        Issue.record("\(name) --help at 80 columns: \(line.count) columns: \(line)")
      }
      // A line that fits 80 columns is not rewrapped (ArgumentParser breaks lines of 80 or more, so an example
      // must stay under 80); the tail of a paragraph the wide rendering wrapped is not such a line.
      let narrowLines = Set(narrow.stdout.split(separator: "\n", omittingEmptySubsequences: false))
      let wideLines = wide.stdout.split(separator: "\n", omittingEmptySubsequences: false)
      for (i, line) in wideLines.enumerated() where line.count <= 80 && !narrowLines.contains(line) {
        if i > 0, wideLines[i - 1].count > 150 { continue }
        Issue.record("\(name) --help at 80 columns rewraps a line that fits: \(line)")
      }
      let missing = Self.flags(wide.stdout).subtracting(Self.flags(narrow.stdout))
      #expect(missing.isEmpty, "\(name) --help at 80 columns lost \(missing.sorted())")
      for entry in Self.entries(narrow.stdout) {
        let defaults = entry.lowercased().ranges(of: "default").count
        #expect(defaults <= 1, "\(name): an option states its default \(defaults) times: \(entry)")
      }
    }
  }

  @Test func everyExampleInAHelpUsesFlagsThatCommandHas() async throws {
    let dir = try CLI.scratch()
    let paths = try await Self.commandPaths(in: dir)
    var helps: [[String]: String] = [:]
    for path in paths {
      helps[path] = try await CLI.run(path + ["--help"], in: dir, environment: ["COLUMNS": "200"]).stdout
    }
    var examples = 0
    for (path, help) in helps {
      guard let discussion = help.components(separatedBy: "\nUSAGE:").first else { continue }
      for line in discussion.split(separator: "\n") {
        // An example: `evalgate <command…> [args] [flags]`, after an optional `VAR=value` and before a comment.
        let code = line.split(separator: "#", maxSplits: 1).first.map(String.init) ?? ""
        let words = code.split(separator: " ").map(String.init).filter { $0 != "\\" && $0 != "&&" }
        guard let start = words.firstIndex(of: "evalgate"), line.hasPrefix("  ") else { continue }
        var command: [String] = []
        for word in words[(start + 1)...] {
          if helps[command + [word]] != nil { command.append(word) } else { break }
        }
        let target = try #require(helps[command], "evalgate \(path.joined(separator: " ")) --help: \(line)")
        examples += 1
        for flag in words[(start + 1)...].filter({ $0.hasPrefix("-") }) {
          let name = String(flag.split(separator: "=").first ?? "")
          #expect(
            Self.flags(target).contains(name),
            "evalgate \(path.joined(separator: " ")) --help shows \(name), which evalgate \(command.joined(separator: " ")) lacks"
          )
        }
      }
    }
    #expect(examples >= 25, "only \(examples) examples found")
  }

  @Test func runHelpIsGroupedWithExamples() async throws {
    let dir = try CLI.scratch()
    let help = try await CLI.run(["run", "--help"], in: dir, environment: ["COLUMNS": "80"]).stdout
    let sections = ["WHAT TO RUN:", "WHERE OUTPUT GOES:", "GATING:", "PERFORMANCE:"]
    let positions = sections.compactMap { help.range(of: "\n" + $0 + "\n")?.lowerBound }
    #expect(positions.count == sections.count, "\(help)")
    #expect(positions == positions.sorted())
    #expect(help.contains("Examples:\n  # "))
    // Each section holds its own flags.
    let gating = help[positions[2]..<positions[3]]
    #expect(gating.contains("--baseline") && gating.contains("--fail-on") && !gating.contains("--concurrency"))
  }
}
