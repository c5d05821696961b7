import EvalCore
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Standard error and terminal facts.
enum Terminal {
  /// The run's credentials, removed from everything written to standard error and standard output.
  private static let redactor = Mutex(Redactor())

  /// Redacts the run's credentials from everything written from now on.
  static func redact(with redactor: Redactor) {
    self.redactor.withLock { $0 = redactor }
  }

  /// Writes text to standard error, credentials redacted.
  static func error(_ text: String) {
    FileHandle.standardError.write(Data(redactor.withLock { $0.redact(text) }.utf8))
  }

  /// Writes text to standard output, credentials redacted.
  static func output(_ text: String, terminator: String = "\n") {
    print(redactor.withLock { $0.redact(text) }, terminator: terminator)
  }

  /// True when standard error is a terminal.
  static var stderrIsTTY: Bool { isatty(2) == 1 }

  /// True when standard output is a terminal.
  static var stdoutIsTTY: Bool { isatty(1) == 1 }

  /// This machine's name, from `gethostname` (no name-service lookup).
  static var hostname: String? {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count) == 0 else { return nil }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// Colour on when stdout is a terminal and `NO_COLOR` is unset.
  static var useColor: Bool { stdoutIsTTY && ProcessInfo.processInfo.environment["NO_COLOR"] == nil }
}
