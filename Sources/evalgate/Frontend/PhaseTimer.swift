import EvalCore
import Foundation

/// With `EVALGATE_TIMINGS=1`, prints how long each phase of a run took (milliseconds since `main` began)
/// the CPU time so far, and the resident memory at its end (Linux) to standard error; used by `scripts/bench` and
/// `scripts/bench-scale` to show where time and memory go. Silent otherwise.
enum PhaseTimer {
  private static let start = ContinuousClock.now
  private static let enabled = ProcessInfo.processInfo.environment["EVALGATE_TIMINGS"] == "1"

  /// Starts the clock (call first thing in `main`).
  static func begin() { _ = start }

  /// Notes that `phase` has ended.
  static func mark(_ phase: String) {
    guard enabled else { return }
    let ms = String(format: "%.1f", (ContinuousClock.now - start).inMilliseconds)
    Terminal.error(
      "timing: \(phase) \(ms) ms, CPU \(String(format: "%.1f", cpuMilliseconds)) ms"
        + "\(residentMegabytes.map { String(format: ", RSS %.1f MB", $0) } ?? "")"
        + "\(peakMegabytes.map { String(format: " (peak %.1f MB)", $0) } ?? "")\n")
  }

  /// The process's CPU time so far (user and system, every thread): a phase's share of a run's work, which a
  /// loaded machine does not distort as it does the wall time.
  private static var cpuMilliseconds: Double {
    var usage = rusage()
    #if os(Linux)
      getrusage(RUSAGE_SELF.rawValue, &usage)
    #else
      getrusage(RUSAGE_SELF, &usage)
    #endif
    func ms(_ t: timeval) -> Double { Double(t.tv_sec) * 1000 + Double(t.tv_usec) / 1000 }
    return ms(usage.ru_utime) + ms(usage.ru_stime)
  }

  /// The process's resident set now (`/proc/self/statm`), when the system says.
  private static var residentMegabytes: Double? {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Double(fields[1]) else { return nil }
    return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
  }

  /// The process's peak resident set so far (`VmHWM` in `/proc/self/status`), when the system says: which phase
  /// the run's peak falls in.
  private static var peakMegabytes: Double? {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
      let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
      let kB = Double(line.dropFirst("VmHWM:".count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
    else { return nil }
    return kB / 1024
  }
}
