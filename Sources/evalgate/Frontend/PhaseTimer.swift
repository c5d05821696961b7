import EvalCore
import Foundation

/// With `EVALGATE_TIMINGS=1`, prints how long each phase of a run took (milliseconds since `main` began)
/// to standard error; used by `scripts/bench` to show where time goes. Silent otherwise.
enum PhaseTimer {
  private static let start = ContinuousClock.now
  private static let enabled = ProcessInfo.processInfo.environment["EVALGATE_TIMINGS"] == "1"

  /// Starts the clock (call first thing in `main`).
  static func begin() { _ = start }

  /// Notes that `phase` has ended.
  static func mark(_ phase: String) {
    guard enabled else { return }
    Terminal.error("timing: \(phase) \(String(format: "%.1f", (ContinuousClock.now - start).inMilliseconds)) ms\n")
  }
}
