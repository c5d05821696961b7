import EvalCore
import EvalRun
import Foundation
import Testing

/// The one mapping from a run's decision to its exit status.
struct ExitStatusTests {
  /// A gate decision as results.json records it.
  static func gate(_ status: String, reason: String = "9 of 10 passed") throws -> Gate.Decision {
    let json = #"{"status":"\#(status)","passRate":0.9,"minPassRate":1,"reason":"\#(reason)"}"#
    return try JSONDecoder().decode(Gate.Decision.self, from: Data(json.utf8))
  }

  @Test(arguments: [
    (RunDecision.Status.passed, RunDecision.FailOn.hold, EvalRun.ExitStatus.passed),
    (.passed, .rollback, .passed),
    (.promote, .hold, .passed),
    (.promote, .rollback, .passed),
    (.failed, .hold, .gateFailed),
    (.failed, .rollback, .gateFailed),
    (.rollback, .hold, .gateFailed),
    (.rollback, .rollback, .gateFailed),
    (.hold, .hold, .hold),
    (.hold, .rollback, .passed),
    (.couldNotEvaluate, .hold, .couldNotEvaluate),
    (.couldNotEvaluate, .rollback, .couldNotEvaluate),
    (.interrupted, .hold, .interrupted),
    (.interrupted, .rollback, .interrupted),
  ])
  func table(status: RunDecision.Status, failOn: RunDecision.FailOn, expected: EvalRun.ExitStatus) {
    #expect(EvalRun.ExitStatus(status, failOn: failOn) == expected)
  }

  @Test func codesNeverChangeMeaning() {
    #expect(EvalRun.ExitStatus.allCases.map(\.rawValue) == [0, 1, 2, 3, 4, 130])
    #expect(EvalRun.ExitStatus.rollback == .gateFailed)
  }

  @Test func theGateDecidesWithoutABaseline() throws {
    let passed = EvalRun.ExitStatus.conclude(gate: try Self.gate("passed"))
    #expect(passed.status == .passed && passed.decision.word == "GATE PASSED")
    let failed = EvalRun.ExitStatus.conclude(gate: try Self.gate("failed"), failOn: .rollback)
    #expect(failed.status == .gateFailed && failed.decision.word == "GATE FAILED")
    let nothing = EvalRun.ExitStatus.conclude(gate: try Self.gate("could_not_evaluate", reason: "every call timed out"))
    #expect(nothing.status == .couldNotEvaluate && nothing.decision.reason == "every call timed out")
  }

  @Test func anInterruptionDecidesOverTheGate() throws {
    for gate in ["passed", "failed", "could_not_evaluate"] {
      let ended = EvalRun.ExitStatus.conclude(gate: try Self.gate(gate), interrupted: true, finished: 3, total: 10)
      #expect(ended.status == .interrupted, "\(gate)")
      #expect(ended.decision.reason.hasPrefix("stopped after 3 of 10 cases finished"))
    }
  }

  /// The exit status agrees with the code the decision itself records in results.json and the history.
  @Test func agreesWithTheDecisionsRecordedCode() throws {
    for failOn in RunDecision.FailOn.allCases {
      for (gate, interrupted) in [
        ("passed", false), ("failed", false), ("could_not_evaluate", false), ("passed", true),
      ] {
        let (decision, status) = EvalRun.ExitStatus.conclude(
          gate: try Self.gate(gate), failOn: failOn, interrupted: interrupted)
        #expect(status.rawValue == decision.exitCode, "\(gate) \(failOn) interrupted: \(interrupted)")
      }
    }
  }

  @Test func verdictWordsNameOnlyVerdicts() {
    #expect(EvalRun.ExitStatus.verdictWord(.promote) == "PROMOTE")
    #expect(EvalRun.ExitStatus.verdictWord(.hold) == "HOLD")
    #expect(EvalRun.ExitStatus.verdictWord(.rollback) == "ROLLBACK")
    #expect(EvalRun.ExitStatus.verdictWord(.passed) == nil && EvalRun.ExitStatus.verdictWord(.couldNotEvaluate) == nil)
  }

  static func record(_ id: String, _ outcome: Outcome) -> CaseRecord {
    CaseRecord(CanaryRunTests.result(id, outcome))
  }

  @Test func aComparisonWithNoPairedCaseCannotBeEvaluated() {
    let comparison = Comparison(baseline: [Self.record("a", .passed)], candidate: [Self.record("b", .passed)])
    for failOn in RunDecision.FailOn.allCases {
      let (decision, status) = EvalRun.ExitStatus.conclude(comparison, context: "against baselines/", failOn: failOn)
      #expect(status == .couldNotEvaluate && decision.status == .couldNotEvaluate)
      #expect(decision.reason.contains("(against baselines/)"))
    }
  }

  /// Whatever the verdict, the exit status is the code the decision records, under either `--fail-on`.
  @Test func aComparisonsStatusAgreesWithItsDecision() throws {
    let baseline = (0..<20).map { Self.record("c\($0)", .passed) }
    let mixed = (0..<20).map { Self.record("c\($0)", $0 < 12 ? .passed : .failed) }
    for candidate in [baseline, mixed] {
      let comparison = Comparison(baseline: baseline, candidate: candidate)
      for failOn in RunDecision.FailOn.allCases {
        let (decision, status) = EvalRun.ExitStatus.conclude(comparison, failOn: failOn)
        #expect(status.rawValue == decision.exitCode, "\(decision.headline) \(failOn)")
        let gated = EvalRun.ExitStatus.conclude(gate: try Self.gate("passed"), comparison: comparison, failOn: failOn)
        #expect(gated.status == status, "the comparison decides over a passing gate")
      }
    }
  }
}
