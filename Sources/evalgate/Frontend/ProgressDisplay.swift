import EvalCore
import EvalReports
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Progress on standard error (``ProgressLine``). On a terminal: one live line with done/total,
/// pass/fail/error counts, calls in flight, rate, ETA and the slowest provider, cut to the terminal's
/// width. Elsewhere (CI logs): the same as a plain line every 10 seconds. `--quiet`: nothing.
actor ProgressDisplay {
  private let totalCases: Int
  private let totalSamples: Int
  private let live: Bool
  private let interval: Duration
  private let start = ContinuousClock.now
  private var lastPrint = ContinuousClock.now
  private var samplesDone = 0
  private var casesDone = 0
  private var counts: [Outcome: Int] = [:]
  private var status: String?
  private var statusUntil: ContinuousClock.Instant?
  private var enabled: Bool
  /// Counts the calls in flight and each provider's call time (wrap the run's providers with it).
  nonisolated let gauge = CallGauge()

  init(totalCases: Int, totalSamples: Int, live: Bool, enabled: Bool = true) {
    self.totalCases = totalCases
    self.totalSamples = totalSamples
    self.live = live
    self.enabled = enabled
    interval = live ? .milliseconds(100) : .seconds(10)
  }

  func sampleFinished() {
    samplesDone += 1
    refresh(force: false)
  }

  func caseFinished(_ outcome: Outcome) {
    casesDone += 1
    counts[outcome, default: 0] += 1
    refresh(force: false)
  }

  /// `samples` more samples and a case more for each of `outcomes` finished.
  func finished(samples: Int, outcomes: [Outcome]) {
    samplesDone += samples
    casesDone += outcomes.count
    for outcome in outcomes { counts[outcome, default: 0] += 1 }
    refresh(force: false)
  }

  /// Shows a state such as "stopping: waiting for 3 calls", for a while or until replaced.
  func setStatus(_ text: String?, for duration: Duration? = nil) {
    status = text
    statusUntil = duration.map { ContinuousClock.now + $0 }
    refresh(force: true)
  }

  /// Called periodically so a hung call still shows elapsed time.
  func tick() { refresh(force: false) }

  /// Clears the live line before the summary prints.
  func finish() {
    guard enabled else { return }
    // The summary that follows says the same; in a log only the periodic lines stay.
    if live { Terminal.error("\r\u{1B}[2K") }
    enabled = false
  }

  private func refresh(force: Bool) {
    guard enabled else { return }
    let now = ContinuousClock.now
    guard force || now - lastPrint >= interval else { return }
    lastPrint = now
    if live {
      Terminal.error("\r\u{1B}[2K" + line())
    } else {
      Terminal.error(line() + "\n")
    }
  }

  private func line() -> String {
    var state = ProgressLine(
      casesDone: casesDone, totalCases: totalCases, samplesDone: samplesDone, totalSamples: totalSamples,
      elapsed: (ContinuousClock.now - start).inSeconds)
    state.passed = counts[.passed, default: 0]
    state.failed = counts[.failed, default: 0]
    state.errored = counts[.errored, default: 0]
    state.inFlight = gauge.inFlight
    state.slowest = gauge.slowest
    if let until = statusUntil, ContinuousClock.now > until {
      status = nil
      statusUntil = nil
    }
    state.status = status
    return state.render(width: live ? ProgressDisplay.terminalWidth() : nil)
  }

  /// Standard error's width in columns, when it is a terminal that says.
  static func terminalWidth() -> Int? {
    var size = winsize()
    if ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
    return ProcessInfo.processInfo.environment["COLUMNS"].flatMap { Int($0) }
  }

}
