import EvalCore

/// A case that finished, as the reporters see it (``Reporter/caseFinished(_:)``).
public struct FinishedCase: Sendable {
  /// Its result.
  public var result: CaseResult
  /// Its line of results.jsonl (also its entry in results.json), encoded once for every reporter; `nil` when
  /// it could not be encoded.
  public var line: [UInt8]?
  /// Whether an earlier run finished it (`--resume`): its line is already in results.jsonl.
  public var carried: Bool
  /// Whether it did not run (skipped when the run stopped): results.jsonl leaves it out, so `--resume` runs
  /// it; the other reporters keep their pieces of it.
  public var notRun: Bool

  /// The case `result`, encoded as `line`.
  public init(result: CaseResult, line: [UInt8]?, carried: Bool = false, notRun: Bool = false) {
    self.result = result
    self.line = line
    self.carried = carried
    self.notRun = notRun
  }
}
