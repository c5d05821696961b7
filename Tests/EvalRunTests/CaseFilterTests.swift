import EvalCore
import EvalRun
import Foundation
import Testing

/// `--filter-tag`, `--filter-id` and `--filter-failing` as a plain value.
struct CaseFilterTests {
  static func evalCase(_ id: String, testID: String? = nil, tags: [String] = []) -> EvalCase {
    EvalCase(
      id: CaseID(rawValue: id), suiteID: "s", location: SourceLocation(file: "s.yaml", line: 3, column: 1),
      title: id, testID: testID, tags: tags, promptLabel: "p", providerLabel: "echo", providerKey: "echo",
      vars: [:], messages: [], plan: ScoringPlan(items: [], threshold: nil))
  }

  @Test func anEmptyFilterKeepsEveryCase() throws {
    #expect(CaseFilter().isEmpty)
    #expect(try CaseFilter().predicate()(Self.evalCase("a")))
  }

  @Test func tagsKeepCasesWithAnyOfThem() throws {
    let keep = try CaseFilter(tags: ["smoke", "nightly"]).predicate()
    #expect(keep(Self.evalCase("a", tags: ["nightly"])))
    #expect(!keep(Self.evalCase("b", tags: ["slow"])))
    #expect(!keep(Self.evalCase("c")))
  }

  @Test func idGlobsMatchTheCaseIdOrTheTestId() throws {
    let keep = try CaseFilter(ids: ["support-*"]).predicate()
    #expect(keep(Self.evalCase("support-1")))
    #expect(keep(Self.evalCase("x1", testID: "support-refund")))
    #expect(!keep(Self.evalCase("billing-1", testID: "billing")))
    #expect(CaseFilter.matches("a?c", "abc") && !CaseFilter.matches("a?c", "abbc"))
  }

  @Test func conditionsCombine() throws {
    let keep = try CaseFilter(tags: ["smoke"], ids: ["a*"]).predicate()
    #expect(keep(Self.evalCase("a1", tags: ["smoke"])))
    #expect(!keep(Self.evalCase("a2")))
    #expect(!keep(Self.evalCase("b1", tags: ["smoke"])))
  }

  @Test func anUnreadableFailingFileIsADiagnostic() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID().uuidString).json").path
    #expect {
      _ = try CaseFilter(failing: path).predicate()
    } throws: { error in
      (error as? Diagnostic)?.description == "error: cannot read '\(path)'"
    }
  }

  @Test func aFailingFileThatIsNotResultsIsLocated() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("not-results-\(UUID().uuidString).json")
    try Data("[1, 2]".utf8).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    #expect {
      _ = try CaseFilter(failing: url.path).predicate()
    } throws: { error in
      (error as? Diagnostic)?.location?.file == url.path
    }
  }
}
