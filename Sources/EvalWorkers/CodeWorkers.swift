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
/// explicitly, never the parent's environment with its keys. Code providers are the exception: like
/// promptfoo's, they call endpoints with the user's credentials, so their calls
/// (``CodeCall/withCredentials``) go to pools of their own, started with the parent's whole environment;
/// an assertion or transform never runs in one of those.
public final class CodeWorkers: CodeRunner {
  /// How long one call may take before its worker is killed.
  public let timeout: Duration
  private let pools: [CodeLanguage: WorkerPool]
  /// The code providers' workers, with the parent's environment.
  private let providerPools: [CodeLanguage: WorkerPool]
  private let interpreters: [CodeLanguage: String]

  /// Creates the pools (no process starts before the first call).
  /// - Parameters:
  ///   - size: workers per language at most.
  ///   - timeout: per call.
  ///   - parentEnvironment: where `PATH`, `HOME` and `LANG` come from (nothing else is taken), and the
  ///     whole environment of the code providers' workers.
  ///   - environment: variables the suite sets for its code, added as they are.
  public init(
    size: Int = CodeWorkers.defaultSize, timeout: Duration = .seconds(30),
    parentEnvironment: [String: String] = ProcessInfo.processInfo.environment, environment: [String: String] = [:]
  ) {
    self.timeout = timeout
    let env = CodeWorkers.workerEnvironment(parent: parentEnvironment, suite: environment)
    let providerEnv = CodeWorkers.providerEnvironment(parent: parentEnvironment, suite: environment)
    var interpreters: [CodeLanguage: String] = [:]
    var pools: [CodeLanguage: WorkerPool] = [:]
    var providerPools: [CodeLanguage: WorkerPool] = [:]
    for language in CodeLanguage.allCases {
      let found = CodeWorkers.find(language.interpreter, path: parentEnvironment["PATH"] ?? "")
      interpreters[language] = found
      let start = { @Sendable (environment: [String: String]) throws -> WorkerProcess in
        guard let found else {
          throw ProviderError(.configuration, "\(language.interpreter) was not found on PATH")
        }
        return try WorkerProcess(
          language: language, executable: found, arguments: CodeWorkers.arguments(for: language, executable: found),
          environment: environment)
      }
      pools[language] = WorkerPool(language: language, size: size) { try start(env) }
      providerPools[language] = WorkerPool(language: language, size: size) { try start(providerEnv) }
    }
    self.pools = pools
    self.providerPools = providerPools
    self.interpreters = interpreters
    // A worker that dies while a request is written to it must not take evalgate down with SIGPIPE.
    signal(SIGPIPE, SIG_IGN)
  }

  /// Two workers per language on a small machine, up to four.
  public static var defaultSize: Int { min(4, max(2, ProcessInfo.processInfo.activeProcessorCount)) }

  /// The interpreter's path for `language`, or `nil` when it is not on `PATH`.
  public func interpreter(for language: CodeLanguage) -> String? { interpreters[language] ?? nil }

  public func call(_ call: CodeCall) async -> Result<JSONValue?, ProviderError> {
    guard let pool = (call.withCredentials ? providerPools : pools)[call.language] else {
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
    for pool in providerPools.values { await pool.shutdown() }
  }

  /// Workers alive now, per language (for tests and benchmarks); the code providers' are not counted.
  public func running(_ language: CodeLanguage) async -> Int { await pools[language]?.running ?? 0 }

  /// Code providers' workers alive now, per language.
  public func runningProviders(_ language: CodeLanguage) async -> Int { await providerPools[language]?.running ?? 0 }

  /// The interpreter's arguments: for node, the flags that let it load TypeScript (its version asked once).
  static func arguments(for language: CodeLanguage, executable: String) -> [String] {
    switch language {
    case .javascript:
      return (NodeVersion.of(executable: executable)?.typeScriptFlags ?? []) + ["-e", WorkerScripts.node]
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

  /// The code providers' environment: the parent's whole environment (keys included, as promptfoo gives its
  /// providers), the workers' own settings, then the suite's variables.
  static func providerEnvironment(parent: [String: String], suite: [String: String]) -> [String: String] {
    var env = workerEnvironment(parent: parent, suite: [:])
    env.merge(parent) { _, parents in parents }
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
