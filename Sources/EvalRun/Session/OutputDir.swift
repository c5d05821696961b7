import EvalCore
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A run's output dir, claimed before the first call is paid for: created, proven writable, locked
/// against a second run writing into it at the same time, and cleared of the previous run's reports, so
/// a run's reports replace the last run's as a set and no green file survives a red run.
public final class OutputDir: Sendable {
  /// The reports a run writes; the previous run's are removed when a run claims the dir (`results.jsonl`
  /// is replaced atomically by the run itself, after `--resume` read it).
  public static let reports = [
    "results.json", "junit.xml", "report.html", "summary.md", "gl-code-quality.json", "verdict.md",
  ]
  /// The lock file: held (flock) for the run's lifetime, released by the kernel however the process ends.
  public static let lockName = ".evalgate.lock"

  /// The dir, as given.
  public let path: String
  private let lock: Int32

  private init(path: String, lock: Int32) {
    self.path = path
    self.lock = lock
  }

  deinit { close(lock) }

  /// Creates, tests, locks and clears `path`.
  /// - Throws: ``Diagnostic`` with the reason: the dir cannot be created or written (read-only, full disk,
  ///   not a folder), or another evalgate run is writing into it.
  public static func claim(_ path: String) throws -> OutputDir {
    do {
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
      throw Diagnostic("cannot create the output dir '\(path)': \(reason(error)); choose another with -o")
    }
    // A real write, so a read-only dir or a full disk is found before any call is made.
    let probe = path + "/.evalgate-write-test-\(getpid())"
    let fd = open(probe, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else {
      throw Diagnostic("cannot write to the output dir '\(path)': \(errnoText()); choose another with -o")
    }
    let written = Foundation.write(fd, "evalgate\n", 9)
    let synced = fsync(fd)
    close(fd)
    unlink(probe)
    guard written == 9, synced == 0 else {
      throw Diagnostic("cannot write to the output dir '\(path)': \(errnoText()); choose another with -o")
    }
    let lock = open(path + "/" + lockName, O_RDWR | O_CREAT, 0o644)
    guard lock >= 0 else { throw Diagnostic("cannot create \(path)/\(lockName): \(errnoText())") }
    guard flock(lock, LOCK_EX | LOCK_NB) == 0 else {
      let holder = (try? String(contentsOfFile: path + "/" + lockName, encoding: .utf8))?
        .trimmingCharacters(in: .whitespacesAndNewlines)
      close(lock)
      throw Diagnostic(
        "another evalgate run (pid \(holder.flatMap { $0.isEmpty ? nil : $0 } ?? "unknown")) is writing to '\(path)'; "
          + "wait for it, or give this run its own dir with -o")
    }
    _ = ftruncate(lock, 0)
    let pid = "\(getpid())\n"
    _ = Foundation.write(lock, pid, pid.utf8.count)
    for name in reports { unlink(path + "/" + name) }
    return OutputDir(path: path, lock: lock)
  }

  /// The last system call's error, in words.
  static func errnoText() -> String { String(cString: strerror(errno)) }

  /// A file-system error, in words.
  static func reason(_ error: any Error) -> String {
    (error as NSError).localizedDescription
  }
}
