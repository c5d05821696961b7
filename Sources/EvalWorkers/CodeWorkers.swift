import EvalCore
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Runs user code in long-lived `node` and `python3` workers: a small pool per language, JSON lines over
/// pipes, a timeout per call. A worker that dies or times out is replaced and its call fails with a typed
/// error; nothing here can hang a run.
///
/// Workers get an environment built from scratch: `PATH`, `HOME`, `LANG` and what the suite sets
/// explicitly, never the parent's environment with its keys.
public final class CodeWorkers: CodeRunner {
  /// How long one call may take before its worker is killed.
  public let timeout: Duration
  private let pools: [CodeLanguage: WorkerPool]
  private let interpreters: [CodeLanguage: String]

  /// Creates the pools (no process starts before the first call).
  /// - Parameters:
  ///   - size: workers per language at most.
  ///   - timeout: per call.
  ///   - parentEnvironment: where `PATH`, `HOME` and `LANG` come from (nothing else is taken).
  ///   - environment: variables the suite sets for its code, added as they are.
  public init(
    size: Int = CodeWorkers.defaultSize, timeout: Duration = .seconds(30),
    parentEnvironment: [String: String] = ProcessInfo.processInfo.environment, environment: [String: String] = [:]
  ) {
    self.timeout = timeout
    let env = CodeWorkers.workerEnvironment(parent: parentEnvironment, suite: environment)
    var interpreters: [CodeLanguage: String] = [:]
    var pools: [CodeLanguage: WorkerPool] = [:]
    for language in CodeLanguage.allCases {
      let found = CodeWorkers.find(language.interpreter, path: parentEnvironment["PATH"] ?? "")
      interpreters[language] = found
      pools[language] = WorkerPool(language: language, size: size) {
        guard let found else {
          throw ProviderError(.configuration, "\(language.interpreter) was not found on PATH")
        }
        return try WorkerProcess(
          language: language, executable: found, arguments: CodeWorkers.arguments(for: language),
          environment: env)
      }
    }
    self.pools = pools
    self.interpreters = interpreters
    // A worker that dies while a request is written to it must not take evalgate down with SIGPIPE.
    signal(SIGPIPE, SIG_IGN)
  }

  /// Two workers per language on a small machine, up to four.
  public static var defaultSize: Int { min(4, max(2, ProcessInfo.processInfo.activeProcessorCount)) }

  /// The interpreter's path for `language`, or `nil` when it is not on `PATH`.
  public func interpreter(for language: CodeLanguage) -> String? { interpreters[language] ?? nil }

  public func call(_ call: CodeCall) async -> Result<JSONValue?, ProviderError> {
    guard let pool = pools[call.language] else {
      return .failure(ProviderError(.configuration, "no worker for \(call.language.rawValue)"))
    }
    var request: [String: JSONValue] = ["args": .array(call.arguments)]
    if let parameters = call.parameters { request["params"] = .array(parameters.map(JSONValue.string)) }
    if let method = call.method { request["method"] = .string(method) }
    if let construct = call.construct { request["construct"] = construct }
    if call.loadOnly { request["load"] = .bool(true) }
    switch call.source {
    case .inline(let code): request["code"] = .string(code)
    case .file(let path, let function):
      request["file"] = .string(path)
      if let name = function ?? (call.language == .python ? call.defaultFunction : nil) {
        request["fn"] = .string(name)
      }
    }
    let worker: WorkerProcess
    do {
      worker = try await pool.acquire()
    } catch {
      return .failure(error as? ProviderError ?? ProviderError(.configuration, "\(error)"))
    }
    let result = await worker.call(request, timeout: timeout)
    await pool.release(worker)
    return result
  }

  /// Ends every worker.
  public func shutdown() async {
    for pool in pools.values { await pool.shutdown() }
  }

  /// Workers alive now, per language (for tests and benchmarks).
  public func running(_ language: CodeLanguage) async -> Int { await pools[language]?.running ?? 0 }

  static func arguments(for language: CodeLanguage) -> [String] {
    switch language {
    case .javascript: return ["-e", WorkerScripts.node]
    case .python: return ["-u", "-c", WorkerScripts.python]
    }
  }

  /// `PATH`, `HOME` and `LANG` from the parent (with defaults), then the suite's variables.
  static func workerEnvironment(parent: [String: String], suite: [String: String]) -> [String: String] {
    var env: [String: String] = [
      "PATH": parent["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
      "HOME": parent["HOME"] ?? NSTemporaryDirectory(),
      "LANG": parent["LANG"] ?? "C.UTF-8",
      "PYTHONDONTWRITEBYTECODE": "1",
      "PYTHONIOENCODING": "utf-8",
    ]
    env.merge(suite) { _, own in own }
    return env
  }

  /// The first executable `name` in the colon-separated `path`.
  public static func find(_ name: String, path: String) -> String? {
    for folder in path.split(separator: ":") where !folder.isEmpty {
      let candidate = String(folder) + "/" + name
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }
}
