import EvalCore
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One long-lived interpreter running a worker script: requests go in as JSON lines on its standard
/// input, one at a time; replies come back on its standard output, read by a thread of its own. Standard
/// error is drained on another thread, its last lines kept for the message when the worker dies.
final class WorkerProcess: Sendable {
  /// A worker's answer to one request.
  enum Reply: Sendable {
    /// The function returned (`nil`: nothing).
    case value(JSONValue?)
    /// The function threw; the message.
    case threw(String)
    /// The worker exited or could not be written to; what it said last.
    case died(String)
  }

  private struct State {
    var pending: (id: Int, continuation: CheckedContinuation<Reply, Never>)?
    var exited = false
    var stderrTail = ""
    var nextID = 0
    /// The worker said it is ready (its `{"id": 0}` line).
    var ready = false
  }

  /// How long a worker may take to start (an interpreter behind a version manager's shim on a loaded
  /// machine is slow); not counted in any call's timeout.
  static let startupTimeout: Duration = .seconds(60)

  private let process: Process
  private let input: FileHandle
  private let state = Mutex(State())
  private let stderrDone = DispatchSemaphore(value: 0)
  let language: CodeLanguage

  /// Starts `executable` with `arguments` in `environment` (nothing inherited).
  /// - Throws: ``ProviderError`` (`configuration`) when it cannot start.
  init(language: CodeLanguage, executable: String, arguments: [String], environment: [String: String]) throws {
    self.language = language
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = environment
    let stdin = Pipe()
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    self.process = process
    input = stdin.fileHandleForWriting
    do {
      try process.run()
    } catch {
      throw ProviderError(.configuration, "cannot start \(executable): \(error.localizedDescription)")
    }
    // The child's ends are closed here, so end of file arrives when the child exits.
    try? stdin.fileHandleForReading.close()
    try? stdout.fileHandleForWriting.close()
    try? stderr.fileHandleForWriting.close()
    let out = stdout.fileHandleForReading
    let err = stderr.fileHandleForReading
    Thread.detachNewThread { [self] in readReplies(out) }
    Thread.detachNewThread { [self] in drainErrors(err) }
  }

  /// False once the worker has exited (or was stopped).
  var isAlive: Bool { !state.withLock { $0.exited } }

  /// Sends one request and waits for its reply, at most `timeout`; a worker that does not answer in time is
  /// killed (so its pool starts a fresh one) and the call fails with a `timeout` error.
  func call(_ request: [String: JSONValue], timeout: Duration) async -> Result<JSONValue?, ProviderError> {
    if !state.withLock({ $0.ready }) {
      switch await exchange(nil, timeout: WorkerProcess.startupTimeout) {
      case .value?: break
      case .threw(let message)?, .died(let message)?: return .failure(ProviderError(.process, message))
      case nil:
        return .failure(
          ProviderError(
            .timeout,
            "\(language.interpreter) did not start within \(WorkerProcess.seconds(WorkerProcess.startupTimeout)) s"))
      }
    }
    let reply = await exchange(request, timeout: timeout)
    switch reply {
    case .value(let value)?: return .success(value)
    case .threw(let message)?: return .failure(ProviderError(.process, message))
    case .died(let message)?: return .failure(ProviderError(.process, message))
    case nil:
      if Task.isCancelled { return .failure(ProviderError(.cancelled, "\(language.interpreter) call cancelled")) }
      return .failure(
        ProviderError(
          .timeout,
          "\(language.interpreter) did not answer within \(WorkerProcess.seconds(timeout)) s; the worker was restarted"
        ))
    }
  }

  /// Sends `request` (or, for `nil`, waits for the worker's ready line) and waits for the reply at most
  /// `timeout`; `nil` when it did not come in time, and then the worker is killed.
  private func exchange(_ request: [String: JSONValue]?, timeout: Duration) async -> Reply? {
    await withTaskGroup(of: Reply?.self) { group in
      group.addTask { await self.send(request) }
      group.addTask {
        try? await Task.sleep(for: timeout)
        return nil
      }
      let first = await group.next() ?? nil
      if first == nil { stop() }  // timed out (or cancelled): the send task now ends with `died`
      group.cancelAll()
      return first
    }
  }

  private func send(_ request: [String: JSONValue]?) async -> Reply {
    await withCheckedContinuation { (continuation: CheckedContinuation<Reply, Never>) in
      enum Step { case died, ready, wait(Int) }
      let step: Step = state.withLock { s in
        if s.exited { return .died }
        guard request != nil else {
          if s.ready { return .ready }
          s.pending = (0, continuation)
          return .wait(0)
        }
        s.nextID += 1
        s.pending = (s.nextID, continuation)
        return .wait(s.nextID)
      }
      let id: Int
      switch step {
      case .died:
        continuation.resume(returning: .died(diedMessage()))
        return
      case .ready:
        continuation.resume(returning: .value(nil))
        return
      case .wait(let n): id = n
      }
      guard let request else { return }
      var line = request
      line["id"] = .number(Double(id))
      let data = Data((JSONValue.object(line).canonicalJSON + "\n").utf8)
      do {
        try input.write(contentsOf: data)
      } catch {
        // The reader sees end of file and resumes the call with `died`.
        stop()
      }
    }
  }

  /// Kills the worker; a call under way ends with `died`.
  func stop() {
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
  }

  /// Ends the worker: end of input, then a kill for one that is busy or ignores it.
  func shutdown() {
    try? input.close()
    stop()
  }

  private func readReplies(_ handle: FileHandle) {
    var buffer = Data()
    while true {
      let chunk = handle.availableData
      if chunk.isEmpty { break }
      buffer.append(chunk)
      while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
        let line = buffer[buffer.startIndex..<newline]
        buffer.removeSubrange(buffer.startIndex...newline)
        deliver(line)
      }
    }
    try? handle.close()
    // Let standard error finish, so the message has the interpreter's last words.
    _ = stderrDone.wait(timeout: .now() + 2)
    process.waitUntilExit()
    let pending = state.withLock { s in
      s.exited = true
      defer { s.pending = nil }
      return s.pending
    }
    pending?.continuation.resume(returning: .died(diedMessage()))
  }

  private func deliver(_ line: Data) {
    guard let reply = JSONValue.parse(String(decoding: line, as: UTF8.self))?.objectValue,
      let id = reply["id"]?.numberValue.map(Int.init)
    else { return }
    let pending: CheckedContinuation<Reply, Never>? = state.withLock { s in
      if id == 0 { s.ready = true }
      guard let p = s.pending, p.id == id else { return nil }
      s.pending = nil
      return p.continuation
    }
    guard let pending else { return }
    if reply["ok"] == .bool(true) {
      pending.resume(returning: .value(reply["value"]))
    } else {
      pending.resume(returning: .threw(reply["error"]?.stringValue ?? "failed"))
    }
  }

  private func drainErrors(_ handle: FileHandle) {
    while true {
      let chunk = handle.availableData
      if chunk.isEmpty { break }
      let text = String(decoding: chunk, as: UTF8.self)
      state.withLock { s in
        s.stderrTail += text
        if s.stderrTail.utf8.count > 4096 { s.stderrTail = String(s.stderrTail.suffix(2048)) }
      }
    }
    try? handle.close()
    stderrDone.signal()
  }

  private func diedMessage() -> String {
    let tail = state.withLock { $0.stderrTail }
    let last = tail.split(whereSeparator: \.isNewline).last(where: { !$0.allSatisfy(\.isWhitespace) }).map(String.init)
    let how: String
    if process.isRunning {
      how = "stopped"
    } else if process.terminationReason == .uncaughtSignal {
      how = "was killed by signal \(process.terminationStatus)"
    } else {
      how = "exited with status \(process.terminationStatus)"
    }
    return "the \(language.interpreter) worker \(how)" + (last.map { ": \($0.prefix(300))" } ?? "")
  }

  static func seconds(_ d: Duration) -> String {
    JSONValue.format(d.inSeconds)
  }
}
