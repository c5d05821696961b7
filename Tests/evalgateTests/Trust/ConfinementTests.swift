import EvalCore
import Foundation
import Testing

/// Suites read files only inside the project root and `allowPaths`; never `/proc`, `/sys` or `/dev`.
struct ConfinementTests {
  static func suite(_ reference: String) -> String {
    """
    prompts: ["{{ doc }}"]
    providers: [echo]
    tests:
      - vars: { doc: "\(reference)" }
    """
  }

  @Test(arguments: ["file:///etc/hostname", "file://../../../../../../etc/hostname"])
  func aPathOutsideTheProjectIsALocatedError(reference: String) async throws {
    let dir = try CLI.scratch(["suites/s.yaml": Self.suite(reference)])
    let r = try await CLI.run(["run"], in: dir)
    #expect(r.status == 2, "\(r.stdout)\(r.stderr)")
    #expect(r.stderr.contains("suites/s.yaml:4:"), "\(r.stderr)")
    #expect(r.stderr.contains("is outside the project root"), "\(r.stderr)")
    #expect(r.stderr.contains("'allowPaths:' in evalgate.yaml"))
    #expect(!CLI.exists(dir, "reports"))
  }

  @Test func aSymbolicLinkOutOfTheProjectIsOutside() async throws {
    let dir = try CLI.scratch(["suites/s.yaml": Self.suite("file://link.txt")])
    try FileManager.default.createSymbolicLink(
      atPath: dir.appendingPathComponent("suites/link.txt").path, withDestinationPath: "/etc/hostname")
    let r = try await CLI.run(["run"], in: dir)
    #expect(r.status == 2)
    #expect(r.stderr.contains("(/etc/hostname) is outside the project root"), "\(r.stderr)")
  }

  @Test func devicesAndProcessFilesAreNeverReadEvenWhenAllowed() async throws {
    let dir = try CLI.scratch([
      "evalgate.yaml": "version: 1\nallowPaths: [/]\n",
      "suites/s.yaml": Self.suite("file:///proc/self/environ"),
    ])
    let r = try await CLI.run(["run"], in: dir)
    #expect(r.status == 2)
    #expect(r.stderr.contains("is under /proc, which evalgate never reads"), "\(r.stderr)")
  }

  @Test func allowPathsLetsASuiteReadAFolderOutsideTheRoot() async throws {
    let outside = try CLI.scratch(["shared/doc.txt": "shared words"])
    let dir = try CLI.scratch([
      "evalgate.yaml": "version: 1\nallowPaths: [\(outside.path)/shared]\n",
      "suites/s.yaml": Self.suite("file://\(outside.path)/shared/doc.txt"),
    ])
    let r = try await CLI.run(["run", "--no-baseline"], in: dir)
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    let results = try String(contentsOf: dir.appendingPathComponent("reports/results.json"), encoding: .utf8)
    #expect(results.contains("shared words"))
  }
}
