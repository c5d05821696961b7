import EvalCore
import EvalLoading
import EvalProviders
import EvalRun
import EvalWorkers
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What `evalgate run` would refuse before its first call, found without calling an endpoint or writing a
/// file: the config and suites, the interpreters code needs, each provider's configuration and API key,
/// a code provider's module, the baselines, the `--resume` log and the output dir.
struct RunPreflight {
  /// The run to check.
  let plan: RunPlan
  let environment: [String: String]
  /// Skip the API-key check (for checking a project on a machine without the keys).
  var offline = false

  /// What was checked, for the OK line.
  struct Checked {
    var prepared: RunPlanner.Prepared
    /// Providers built (their configuration and keys checked).
    var providers: Int
    /// Providers whose API key was not checked (`--offline`).
    var keysSkipped: [String]
    /// The baseline read, when there is one.
    var baseline: String?
    /// The output dir, as checked.
    var outputDir: String
  }

  /// Checks everything, collecting every problem.
  /// - Throws: ``DiagnosticList`` with every problem found (the suites' own first, as `run` stops there).
  func check() async throws -> Checked {
    let (prepared, _) = try RunPlanner(plan: plan, environment: environment, phase: PhaseTimer.mark).prepare()
    var problems: [Diagnostic] = []
    func collect(_ body: () throws -> Void) {
      do { try body() } catch let d as Diagnostic { problems.append(d) } catch let list as DiagnosticList {
        problems += list.diagnostics
      } catch { problems.append(Diagnostic("\(error)")) }
    }
    var workers: CodeWorkers?
    collect {
      workers = try CodeWorkerSetup.workers(for: prepared, environment: environment)
    }
    let factory = ProviderFactory(environment: environment, concurrency: prepared.concurrency, code: workers)
    var seen: Set<String> = []
    var built = 0
    var keysSkipped: [String] = []
    let suites = prepared.suites + RunPlanner.endpointSuites(prepared.fixtures)
    for spec in suites.flatMap({ $0.callProviders + $0.judges }) where seen.insert(spec.key).inserted {
      do {
        let provider = try factory.make(spec)
        built += 1
        if let code = provider as? CodeProvider, let error = await code.check() {
          problems.append(
            Diagnostic("provider '\(spec.label)' cannot be loaded: \(error.message)", at: spec.location))
        }
      } catch let d as Diagnostic where offline && RunPreflight.isMissingKey(d) {
        keysSkipped.append(spec.label)
      } catch let d as Diagnostic {
        problems.append(d)
      } catch {
        problems.append(Diagnostic("provider '\(spec.label)': \(error)", at: spec.location))
      }
    }
    await factory.shutdown()
    await workers?.shutdown()
    let store = BaselineStore.resolve(flag: plan.baseline, disabled: plan.noBaseline)
    if let store { collect { _ = try store.load() } }
    if let resume = plan.resume { collect { _ = try ResumeLog(path: resume, wanted: { _ in true }) } }
    collect { try RunPreflight.checkWritable(prepared.outputDir) }
    if !problems.isEmpty { throw DiagnosticList(problems) }
    return Checked(
      prepared: prepared, providers: built, keysSkipped: keysSkipped, baseline: store?.path,
      outputDir: prepared.outputDir)
  }

  /// Whether `d` is a provider's missing API key (``ProviderFactory``'s wording).
  static func isMissingKey(_ d: Diagnostic) -> Bool { d.message.contains("needs an API key") }

  /// Whether `run` could create and write `path`, found without creating or changing anything: the dir (or
  /// its nearest existing parent, where it would be created) is a writable folder.
  /// - Throws: ``Diagnostic`` with the reason, worded as `run` words it.
  static func checkWritable(_ path: String) throws {
    var candidate = (path as NSString).standardizingPath
    if candidate.isEmpty { candidate = "." }
    var isDirectory: ObjCBool = false
    while !FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory) {
      let parent = (candidate as NSString).deletingLastPathComponent
      candidate = parent.isEmpty ? "." : parent
    }
    let target = candidate == (path as NSString).standardizingPath ? "" : " (it would be created in '\(candidate)')"
    guard isDirectory.boolValue else {
      throw Diagnostic("cannot create the output dir '\(path)': '\(candidate)' is not a folder; choose another with -o")
    }
    guard access(candidate, W_OK | X_OK) == 0 else {
      throw Diagnostic(
        "cannot write to the output dir '\(path)'\(target): \(String(cString: strerror(errno))); "
          + "choose another with -o")
    }
  }
}
