import Foundation

/// The words of a run's progress line, on a terminal (redrawn in place) or in a CI log (a line every
/// 10 seconds): done/total, pass/fail/error counts, calls in flight, rate, elapsed time, ETA and the
/// slowest provider so far.
public struct ProgressLine: Sendable {
  /// Cases finished, and in all.
  public var casesDone: Int
  /// Cases in the run.
  public var totalCases: Int
  /// Samples (calls) finished, and in all.
  public var samplesDone: Int
  /// Samples in the run.
  public var totalSamples: Int
  /// Finished cases by outcome.
  public var passed = 0, failed = 0, errored = 0
  /// Calls sent and not yet answered.
  public var inFlight = 0
  /// Seconds since the run started.
  public var elapsed: Double
  /// The provider with the highest mean call time so far, and that time in seconds.
  public var slowest: (label: String, seconds: Double)?
  /// A passing state ("waiting for rate limit on x (3 s)").
  public var status: String?

  /// Creates a line's state.
  public init(casesDone: Int, totalCases: Int, samplesDone: Int, totalSamples: Int, elapsed: Double) {
    self.casesDone = casesDone
    self.totalCases = totalCases
    self.samplesDone = samplesDone
    self.totalSamples = totalSamples
    self.elapsed = elapsed
  }

  /// Samples per second so far.
  public var rate: Double { elapsed > 0 ? Double(samplesDone) / elapsed : 0 }

  /// Seconds left at the rate so far, when there is a rate.
  public var eta: Double? {
    rate > 0 ? Double(max(0, totalSamples - samplesDone)) / rate : nil
  }

  /// `[12/40 cases] 10 passed, 1 failed, 1 errored · 8 in flight · 3.2 calls/s · 0:04, ETA 0:09 ·
  /// slowest prod 1.92 s/call`, cut to `width` columns when given (a live line must not wrap).
  public func render(width: Int? = nil) -> String {
    var parts = ["[\(casesDone)/\(totalCases) cases] \(passed) passed, \(failed) failed, \(errored) errored"]
    parts.append("\(inFlight) in flight")
    parts.append(String(format: "%.1f calls/s", rate))
    parts.append(ProgressLine.clock(elapsed) + (eta.map { ", ETA " + ProgressLine.clock($0) } ?? ""))
    if let slowest { parts.append("slowest \(slowest.label) \(String(format: "%.2f", slowest.seconds)) s/call") }
    if let status { parts.append(status) }
    let text = parts.joined(separator: " · ")
    guard let width, width > 1, text.count > width else { return text }
    return String(text.prefix(width - 1)) + "…"
  }

  /// `m:ss`, or `h:mm:ss` from an hour.
  public static func clock(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    return s >= 3600
      ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
  }

}
