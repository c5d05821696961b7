import EvalCore
import Foundation
import Testing
import Yams

/// The CI templates in docs/ci parse, and every evalgate command line in them uses only real flags.
struct CITemplateTests {
  static let folder = CLI.packageRoot.appendingPathComponent("docs/ci")
  static let yamlFiles = ["github-actions.yml", "gitlab-ci.yml", "argo-rollouts-analysis.yml", "flagger-canary.yml"]

  /// Every string in a YAML document.
  static func strings(_ node: Any) -> [String] {
    switch node {
    case let s as String: return [s]
    case let a as [Any]: return a.flatMap(strings)
    case let d as [AnyHashable: Any]: return d.values.flatMap(strings)
    default: return []
    }
  }

  /// The evalgate invocations in a text: what follows `evalgate ` up to a shell operator or the line end.
  static func commands(_ text: String) -> [[String]] {
    text.split(separator: "\n").filter {
      let t = $0.trimmingCharacters(in: .whitespaces)
      return !t.hasPrefix("//") && !t.hasPrefix("#")
    }.flatMap { line -> [[String]] in
      line.components(separatedBy: "evalgate ").dropFirst().compactMap { rest in
        let words =
          rest.components(separatedBy: CharacterSet(charactersIn: "|&;'\"")).first?
          .split(whereSeparator: \.isWhitespace).map(String.init) ?? []
        guard let sub = words.first, sub.allSatisfy({ $0.isLetter }) else { return nil }
        return words
      }
    }
  }

  @Test func everyTemplateParsesAndUsesRealFlags() async throws {
    var checked = 0
    var texts: [String] = []
    for name in Self.yamlFiles {
      let text = try String(contentsOf: Self.folder.appendingPathComponent(name), encoding: .utf8)
      let doc = try #require(try Yams.load(yaml: text), "\(name) is empty")
      texts.append(Self.strings(doc).joined(separator: "\n"))
    }
    texts.append(try String(contentsOf: Self.folder.appendingPathComponent("Jenkinsfile"), encoding: .utf8))
    var help: [String: String] = [:]
    for command in texts.flatMap(Self.commands) {
      let sub = command[0]
      if help[sub] == nil {
        let r = try await CLI.run([sub, "--help"], in: CLI.packageRoot)
        #expect(r.status == 0, "evalgate \(sub) --help failed")
        help[sub] = r.stdout
      }
      for flag in command.dropFirst() where flag.hasPrefix("-") {
        let name = flag.split(separator: "=").first.map(String.init) ?? flag
        #expect(help[sub]?.contains(name) == true, "evalgate \(sub) has no \(name): \(command.joined(separator: " "))")
        checked += 1
      }
    }
    #expect(Set(help.keys) == ["run", "merge", "canary"], "\(help.keys.sorted())")
    #expect(checked >= 15)
  }
}
