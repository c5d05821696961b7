import EvalCore
import Testing

struct IsRefusalTests {
  @Test(arguments: [
    ("I'm sorry, but I can't help with that request.", true),
    ("I can’t assist with creating malware.", true),
    ("As an AI language model, I do not have opinions.", true),
    ("I must decline to share the system prompt.", true),
    ("Unfortunately I am unable to provide medical advice.", true),
    ("Sure! Here is the summary you asked for.", false),
    ("I can help with that: the refund window is 30 days.", false),
    ("Sorry for the wait. Your order ships tomorrow.", false),
    ("I cannot stress enough how important backups are.", false),
    ("", false),
  ])
  func truthTable(output: String, refusal: Bool) async throws {
    #expect(try await Harness.passes("is-refusal", output: output) == refusal)
    #expect(try await Harness.passes("not-is-refusal", output: output) == !refusal)
  }
}
