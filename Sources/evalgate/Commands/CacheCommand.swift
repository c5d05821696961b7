import ArgumentParser
import EvalCore
import EvalStore
import Foundation

/// `evalgate cache stats|clear|prune`: look after the response cache.
struct CacheCommand: AsyncParsableCommand {
  static let defaultPath = ".evalgate/cache.sqlite"

  static let configuration = CommandConfiguration(
    commandName: "cache",
    abstract: "Inspect or empty the response cache.",
    discussion: """
      Examples:
        evalgate cache stats
        evalgate cache prune --cache-ttl 7d
      """,
    subcommands: [Stats.self, Clear.self, Prune.self])

  struct Options: ParsableArguments {
    @Option(name: .customLong("cache-path"), help: "The response cache file.")
    var path = CacheCommand.defaultPath

    @Option(name: .customLong("cache-ttl"), help: "How long cached responses count, e.g. 14d or 12h.")
    var ttl = ResponseCache.defaultTTLText

    func open() throws -> ResponseCache {
      guard let ttl = DurationText.parse(ttl) else {
        throw ValidationError("--cache-ttl must look like 14d, 12h or 30m")
      }
      return try ResponseCache(path: path, ttl: ttl)
    }
  }

  struct Stats: AsyncParsableCommand {
    // Named here: a name derived from the type is spelled by reflection, 3 ms of every start-up.
    static let configuration = CommandConfiguration(
      commandName: "stats", abstract: "Entries, expired entries and file size.",
      usage: "evalgate cache stats [<options>]")
    @OptionGroup var options: Options

    func run() async throws {
      let (entries, expired, bytes) = try await options.open().stats()
      print("\(options.path): \(entries) entries (\(expired) expired), \(bytes) bytes")
    }
  }

  struct Clear: AsyncParsableCommand {
    // Named here: a name derived from the type is spelled by reflection, 3 ms of every start-up.
    static let configuration = CommandConfiguration(
      commandName: "clear", abstract: "Delete every cached response.", usage: "evalgate cache clear [<options>]")
    @OptionGroup var options: Options

    func run() async throws {
      print("removed \(try await options.open().clear()) entries from \(options.path)")
    }
  }

  struct Prune: AsyncParsableCommand {
    // Named here: a name derived from the type is spelled by reflection, 3 ms of every start-up.
    static let configuration = CommandConfiguration(
      commandName: "prune", abstract: "Delete cached responses older than the TTL.",
      usage: "evalgate cache prune [<options>]")
    @OptionGroup var options: Options

    func run() async throws {
      print("removed \(try await options.open().prune()) expired entries from \(options.path)")
    }
  }
}
