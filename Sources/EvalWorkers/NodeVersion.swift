import EvalCore
import Foundation
import Synchronization

/// A `node`'s version (`node --version`), and the flags that make it load TypeScript: node strips types by
/// default from 23.6 and 22.18, behind `--experimental-strip-types` from 22.6; an older node cannot, and the
/// worker says so, naming the file and both versions.
public struct NodeVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The version's parts.
  public var major: Int, minor: Int, patch: Int

  /// Creates a version.
  public init(_ major: Int, _ minor: Int, _ patch: Int = 0) {
    (self.major, self.minor, self.patch) = (major, minor, patch)
  }

  /// Reads `v22.6.0` (or `22.6.0`); `nil` for anything else.
  public init?(_ text: String) {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    let digits = trimmed.hasPrefix("v") ? trimmed.dropFirst() : Substring(trimmed)
    let parts = digits.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
    guard parts.count == 3, let major = parts[0], let minor = parts[1], let patch = parts[2] else { return nil }
    self.init(major, minor, patch)
  }

  /// The first node that loads TypeScript (with `--experimental-strip-types`).
  public static let typeScriptMinimum = NodeVersion(22, 6)

  /// `v22.6.0`.
  public var description: String { "v\(major).\(minor).\(patch)" }

  public static func < (a: NodeVersion, b: NodeVersion) -> Bool {
    (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch)
  }

  /// Whether this node loads `.ts`, `.mts` and `.cts` files (with ``typeScriptFlags``).
  public var loadsTypeScript: Bool { self >= NodeVersion.typeScriptMinimum }

  /// The flags a worker is started with so that it loads TypeScript: `--experimental-strip-types` where
  /// type stripping exists but is off by default (22.6 to 22.17, 23.0 to 23.5); none elsewhere.
  public var typeScriptFlags: [String] {
    let flagged =
      (NodeVersion(22, 6)..<NodeVersion(22, 18)).contains(self)
      || (NodeVersion(23, 0)..<NodeVersion(23, 6)).contains(self)
    return flagged ? ["--experimental-strip-types"] : []
  }

  private static let known = Mutex<[String: NodeVersion?]>([:])

  /// The version of the node at `executable`, asked once per executable for the process's life; `nil` when
  /// it does not say.
  public static func of(executable: String) -> NodeVersion? {
    if let cached = known.withLock({ $0[executable] }) { return cached }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = ["--version"]
    process.environment = ["PATH": (executable as NSString).deletingLastPathComponent]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    var version: NodeVersion?
    if (try? process.run()) != nil {
      let data = out.fileHandleForReading.readDataToEndOfFile()
      process.waitUntilExit()
      version = NodeVersion(String(decoding: data, as: UTF8.self))
    }
    known.withLock { $0[executable] = version }
    return version
  }
}
