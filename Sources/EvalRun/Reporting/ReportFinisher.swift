import EvalCore

/// Finishes a run's reporters (``Reporter/finish(_:)``) side by side, each with the pieces it kept.
public struct ReportFinisher: Sendable {
  let reporters: [any Reporter]
  let slots: [Int?]
  /// What the run kept of each case.
  public let fragments: CaseFragments

  /// Finishes `reporters` with nothing kept per case (every artifact renders every case).
  public init(reporters: [any Reporter]) {
    self.init(reporters: reporters, slots: reporters.map { _ in nil }, fragments: .none)
  }

  init(reporters: [any Reporter], slots: [Int?], fragments: CaseFragments) {
    self.reporters = reporters
    self.slots = slots
    self.fragments = fragments
  }

  /// Tells every reporter that the run's cases are all in (``Reporter/casesEnded()``), side by side.
  public func casesEnded() async {
    await withTaskGroup(of: Void.self) { group in
      for reporter in reporters { group.addTask { await reporter.casesEnded() } }
    }
  }

  /// Writes every artifact for `report` into `outputDir`, side by side; the SHA-256 of those the reporters hashed
  /// as they wrote them (``FinishedRun/wrote(_:sha256:)``), by artifact.
  /// - Throws: the first failure (the others are still written).
  @discardableResult
  public func finish(_ report: RunReport, outputDir: String, trends: [SuiteTrend] = []) async throws -> [String:
    String]
  {
    try await finish(report, outputDir: outputDir, trends: { trends })
  }

  /// Writes every artifact for `report` into `outputDir`, side by side; the reporters that read no trends
  /// (``Reporter/readsTrends``) start before `trends` is made, which then runs beside them (at 100,000 cases the
  /// run's own trend point took 90 ms, which every artifact waited for).
  /// Returns the SHA-256 of the artifacts the reporters hashed as they wrote them, by artifact.
  /// - Throws: the first failure (the others are still written).
  @discardableResult
  public func finish(_ report: RunReport, outputDir: String, trends: () -> [SuiteTrend]) async throws -> [String:
    String]
  {
    let digests = FinishedRun.Digests()
    try await withThrowingTaskGroup(of: Void.self) { group in
      let all = Array(zip(reporters, slots))
      let jobs = all.filter { !$0.0.readsTrends } + all.filter { $0.0.readsTrends }
      var made: [SuiteTrend]?
      for (reporter, slot) in jobs {
        if reporter.readsTrends, made == nil { made = trends() }
        let run = FinishedRun(
          report: report, outputDir: outputDir, trends: made ?? [], fragments: fragments, slot: slot,
          digests: digests)
        group.addTask { try await reporter.finish(run) }
      }
      var first: (any Error)?
      while let next = await group.nextResult() {
        if case .failure(let error) = next, first == nil { first = error }
      }
      if let first { throw first }
    }
    return digests.all
  }
}
