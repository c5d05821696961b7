import EvalCore
import Testing

struct ContainsPIITests {
  @Test(arguments: [
    ("Reach me at jane.doe@example.com", true),
    ("Card 4111 1111 1111 1111, exp 12/27", true),
    ("Your order #123456789 ships Monday", false),
    ("Version 1.2.3 is out", false),
    ("", false),
  ])
  func truthTable(output: String, found: Bool) async throws {
    #expect(try await Harness.passes("contains-pii", output: output) == found)
    #expect(try await Harness.passes("not-contains-pii", output: output) == !found)
  }

  @Test func kindsCanBeChosen() async throws {
    let text = "mail jane.doe@example.com from 192.168.1.10"
    #expect(try await Harness.passes("contains-pii", ["email"], output: text))
    #expect(try await !Harness.passes("contains-pii", ["credit-card", "iban"], output: text))
    #expect(try await Harness.passes("contains-pii", "ip-address", output: text))
  }

  @Test func theReasonMasksWhatItFound() async throws {
    let r = try await Harness.result("contains-pii", output: "SSN 078-05-1120")
    #expect(r.reason == "output contains personal data: ssn \"078…\"")
  }

  @Test func anUnknownKindIsALoadError() {
    #expect(Harness.buildError("contains-pii", ["emial"])?.message.contains("did you mean 'email'") == true)
  }
}
