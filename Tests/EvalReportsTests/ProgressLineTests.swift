import EvalReports
import Testing

/// The progress line: every figure it promises, computed from the state, and never wider than asked.
struct ProgressLineTests {
  static func state() -> ProgressLine {
    var s = ProgressLine(casesDone: 12, totalCases: 40, samplesDone: 24, totalSamples: 80, elapsed: 8)
    s.passed = 9
    s.failed = 2
    s.errored = 1
    s.inFlight = 6
    s.slowest = (label: "prod-endpoint", seconds: 1.918)
    return s
  }

  @Test func lineShowsCountsInFlightRateETAAndSlowestProvider() {
    let s = Self.state()
    let line = s.render()
    #expect(line.hasPrefix("[\(s.casesDone)/\(s.totalCases) cases] "))
    #expect(line.contains("\(s.passed) passed, \(s.failed) failed, \(s.errored) errored"))
    #expect(line.contains("· \(s.inFlight) in flight ·"))
    // 24 samples in 8 s: 3 calls/s; 56 left: about 19 s.
    #expect(s.rate == Double(s.samplesDone) / s.elapsed)
    #expect(line.contains("3.0 calls/s"))
    #expect(line.contains("0:08, ETA \(ProgressLine.clock(Double(s.totalSamples - s.samplesDone) / s.rate))"))
    #expect(line.hasSuffix("slowest prod-endpoint 1.92 s/call"))
  }

  @Test func noRateNoETAAndLiveLineIsCutToWidth() {
    var s = ProgressLine(casesDone: 0, totalCases: 5, samplesDone: 0, totalSamples: 5, elapsed: 0)
    #expect(s.eta == nil && !s.render().contains("ETA"))
    s = Self.state()
    s.status = "waiting for rate limit on prod-endpoint (3 s)"
    for width in [40, 80, 100] {
      let cut = s.render(width: width)
      #expect(cut.count <= width && cut.hasSuffix("…"), "\(width): \(cut)")
      #expect(s.render().hasPrefix(String(cut.dropLast())))
    }
    #expect(s.render(width: 1000) == s.render())
    #expect(ProgressLine.clock(3725) == "1:02:05" && ProgressLine.clock(65) == "1:05")
  }
}
