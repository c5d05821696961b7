import ArgumentParser
import EvalCore
import EvalRun

/// How a command's work ends: its exit status, with located problems printed and turned into exit 2.
enum CommandOutcome {
  /// Runs `body`; a ``Diagnostic`` or ``DiagnosticList`` is printed and exits 2, any status but
  /// `.passed` becomes the process's exit code.
  static func finish(_ body: () async throws -> ExitStatus) async throws {
    let status: ExitStatus
    do {
      status = try await body()
    } catch let d as Diagnostic {
      Terminal.error("\(d)\n")
      throw ExitStatus.usage.exitCode
    } catch let list as DiagnosticList {
      Terminal.error("\(list)\n")
      throw ExitStatus.usage.exitCode
    }
    if status != .passed { throw status.exitCode }
  }
}
