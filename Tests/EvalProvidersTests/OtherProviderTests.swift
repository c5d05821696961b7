import EvalCore
import EvalProviders
import EvalTestSupport
import Foundation
import Testing

@Suite(.offThePool) struct ExecProviderTests {
  static func request(_ text: String) -> CompletionRequest {
    CompletionRequest(messages: [ChatMessage(role: "user", content: text)], caseID: "abc")
  }

  @Test func promptOnStdinOutputFromStdout() async throws {
    let p = ExecProvider(label: "tr", command: "tr a-z A-Z")
    #expect(try await p.complete(Self.request("hello")).text == "HELLO")
  }

  @Test func environmentCarriesTheCaseID() async throws {
    let p = ExecProvider(
      label: "env", command: "printf %s \"$EVALGATE_CASE_ID-$GREETING\"", environment: ["GREETING": "hi"])
    #expect(try await p.complete(Self.request("x")).text == "abc-hi")
  }

  @Test func nonZeroExitIsAProcessErrorWithStderr() async throws {
    let p = ExecProvider(label: "fail", command: "echo boom >&2; exit 3")
    await #expect {
      _ = try await p.complete(Self.request("x"))
    } throws: { error in
      guard let e = error as? ProviderError else { return false }
      return e.kind == .process && e.message == "command exited with status 3: boom"
    }
  }

  @Test func largeOutputAndIgnoredInputDoNotDeadlock() async throws {
    let p = ExecProvider(label: "big", command: "head -c 300000 /dev/zero | tr '\\0' 'a'")
    let prompt = String(repeating: "x", count: 500_000)
    #expect(try await p.complete(Self.request(prompt)).text.count == 300_000)
  }

  @Test func timeoutKillsTheCommand() async throws {
    let plan = try ScoringPlan.build([], threshold: nil, registry: .standard)
    let c = EvalCase(
      id: CaseID(rawValue: "s"), suiteID: "s", location: .init(file: "s.yaml"), title: "sleep", promptLabel: "p",
      providerLabel: "sleep", providerKey: "k", vars: [:], messages: [ChatMessage(role: "user", content: "x")],
      plan: plan)
    // The command writes its pid, then sleeps an hour in that same process.
    let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("exec-\(UUID().uuidString).pid")
    defer { try? FileManager.default.removeItem(at: pidFile) }
    let results = await Runner(concurrency: 1, timeout: .milliseconds(300), retry: .none).run(
      [c], providers: ["k": ExecProvider(label: "sleep", command: "echo $$ > '\(pidFile.path)'; exec sleep 3600")])
    #expect(results[0].attempts[0].error?.kind == .timeout)
    // The run ended long before the hour, and the command is gone: killed, not left behind nor waited for.
    let pid = try #require(
      Int32(String(contentsOf: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespaces.union(.newlines))))
    var gone = false
    for _ in 0..<500 where !gone {
      gone = kill(pid, 0) != 0 && errno == ESRCH
      if !gone { try await Task.sleep(for: .milliseconds(10)) }
    }
    #expect(gone, "the command (pid \(pid)) is still running")
  }
}
