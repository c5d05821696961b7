import EvalCore
import Foundation

/// Progress on standard error. On a terminal: one live line with done/total, pass/fail/error counts,
/// rate and ETA. Elsewhere (CI logs): a plain line every few seconds.
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

  init(totalCases: Int, totalSamples: Int, live: Bool, enabled: Bool = true) {
    self.totalCases = totalCases
    self.totalSamples = totalSamples
    self.live = live
    self.enabled = enabled
    interval = live ? .milliseconds(100) : .seconds(5)
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
    let elapsed = (ContinuousClock.now - start).inSeconds
    let rate = elapsed > 0 ? Double(samplesDone) / elapsed : 0
    let remaining = totalSamples - samplesDone
    let eta = rate > 0 ? " ETA \(ProgressDisplay.clock(Double(remaining) / rate))" : ""
    var text =
      "[\(casesDone)/\(totalCases)] \(counts[.passed, default: 0]) passed, \(counts[.failed, default: 0]) failed, "
    text += "\(counts[.errored, default: 0]) errored · \(String(format: "%.1f", rate)) calls/s ·"
    text += " \(ProgressDisplay.clock(elapsed))\(eta)"
    if let until = statusUntil, ContinuousClock.now > until {
      status = nil
      statusUntil = nil
    }
    if let status { text += " · \(status)" }
    return text
  }

  static func clock(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    return s >= 3600
      ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
  }
}
