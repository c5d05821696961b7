import EvalCore
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `exec:<command>`: runs a shell command per call with the prompt on standard input and takes standard
/// output as the model output. A non-zero exit is a typed `process` error carrying the last line of
/// standard error. Cancellation (timeout, Ctrl-C) kills the command.
///
/// Standard input and output go through temporary files, so a command that ignores its input or writes
/// a lot can never deadlock the call.
public struct ExecProvider: Provider {
  public let label: String
  let command: String
  let environment: [String: String]
  let workingDirectory: String?
  /// The environment the command starts from (`nil`: evalgate's own); `environment` is added over it.
  let baseEnvironment: [String: String]?

  /// Creates an exec provider.
  public init(
    label: String, command: String, environment: [String: String] = [:], workingDirectory: String? = nil,
    baseEnvironment: [String: String]? = nil
  ) {
    self.label = label
    self.command = command
    self.environment = environment
    self.workingDirectory = workingDirectory
    self.baseEnvironment = baseEnvironment
  }

  public func complete(_ request: CompletionRequest) async throws -> Completion {
    let fm = FileManager.default
    let base = fm.temporaryDirectory.appendingPathComponent("evalgate-exec-\(UUID().uuidString)")
    let input = base.appendingPathExtension("in")
    let output = base.appendingPathExtension("out")
    let errors = base.appendingPathExtension("err")
    defer { for url in [input, output, errors] { try? fm.removeItem(at: url) } }
    do {
      try Data(request.promptText.utf8).write(to: input)
      _ = fm.createFile(atPath: output.path, contents: nil)
      _ = fm.createFile(atPath: errors.path, contents: nil)
    } catch {
      throw ProviderError(.process, "cannot create temporary files: \(error.localizedDescription)")
    }

    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
    var env = baseEnvironment ?? ProcessInfo.processInfo.environment
    env.merge(environment) { _, new in new }
    env["EVALGATE_CASE_ID"] = request.caseID
    env["EVALGATE_REPEAT_INDEX"] = String(request.repeatIndex)
    process.environment = env
    guard let stdin = FileHandle(forReadingAtPath: input.path), let stdout = FileHandle(forWritingAtPath: output.path),
      let stderr = FileHandle(forWritingAtPath: errors.path)
    else { throw ProviderError(.process, "cannot open temporary files") }
    defer { for handle in [stdin, stdout, stderr] { try? handle.close() } }
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr

    let box = ProcessBox(process)
    let status: Int32 = try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
        process.terminationHandler = { p in continuation.resume(returning: p.terminationStatus) }
        do {
          try process.run()
        } catch {
          process.terminationHandler = nil
          continuation.resume(
            throwing: ProviderError(.process, "cannot start '/bin/sh': \(error.localizedDescription)"))
        }
      }
    } onCancel: {
      box.forceStop()
    }
    if Task.isCancelled { throw ProviderError(.cancelled, "command killed") }
    let text = String(decoding: (try? Data(contentsOf: output)) ?? Data(), as: UTF8.self)
    guard status == 0 else {
      let stderrText = String(decoding: (try? Data(contentsOf: errors)) ?? Data(), as: UTF8.self)
      let last = stderrText.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
      let reason =
        process.terminationReason == .uncaughtSignal ? "killed by signal \(status)" : "exited with status \(status)"
      throw ProviderError(.process, "command \(reason)" + (last.isEmpty ? "" : ": \(last.prefix(200))"))
    }
    let trimmed = text.hasSuffix("\n") ? String(text.dropLast()) : text
    return Completion(text: trimmed, finishReason: "stop")
  }
}

/// Lets the cancellation handler kill the child from another thread.
private final class ProcessBox: @unchecked Sendable {
  private let process: Process
  init(_ process: Process) { self.process = process }
  func forceStop() {
    guard process.isRunning else { return }
    // SIGKILL, not terminate(): a timed-out command gets no chance to ignore it. Foundation starts the
    // shell in its own process group, so the group signal also reaches the commands the shell started.
    _ = killpg(process.processIdentifier, SIGKILL)
    _ = kill(process.processIdentifier, SIGKILL)
  }

}
