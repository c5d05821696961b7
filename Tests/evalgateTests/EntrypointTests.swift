import Foundation
import Testing

/// `run` is parsed as a command of its own first; what does not parse so is said as the root says it.
struct EntrypointTests {
  @Test func runsUsageErrorsAndHelpReadAsFromTheRoot() async throws {
    let dir = try CLI.scratch()
    let unknown = try await CLI.run(["run", "--no-such-flag"], in: dir)
    #expect(unknown.status == 2)
    #expect(unknown.stderr.contains("Error: Unknown option '--no-such-flag'"))
    #expect(unknown.stderr.contains("Usage: evalgate run [<options>] [<paths> ...]"))
    let invalid = try await CLI.run(["run", "-j", "0"], in: dir)
    #expect(invalid.status == 2)
    #expect(invalid.stderr.contains("--concurrency must be at least 1"))
    #expect(invalid.stderr.contains("See 'evalgate run --help'"))
    let help = try await CLI.run(["run", "--help"], in: dir)
    #expect(help.status == 0)
    #expect(help.stdout.contains("USAGE: evalgate run [<options>] [<paths> ...]"))
  }
}
