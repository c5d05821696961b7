import EvalCore
import Foundation
import Testing

struct ContainsSecretTests {
  /// A synthetic GitHub token, assembled here so the file itself holds none.
  static let token = "gh" + "p_" + String(repeating: "a1B2c3", count: 6)

  @Test(arguments: [
    ("here is the key: \(Self.token)", true),
    ("-----BEGIN " + "RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx4Yb3kq\n-----END RSA PRIVATE KEY-----", true),
    // A header over no key body is not a key.
    ("-----BEGIN " + "RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----", false),
    ("Set OPENAI_API_KEY=sk-... in your shell", false),
    ("commit 9fceb02d0ae598e95dc970b74767f19372d61af8", false),
    ("", false),
  ])
  func truthTable(output: String, found: Bool) async throws {
    #expect(try await Harness.passes("contains-secret", output: output) == found)
    #expect(try await Harness.passes("not-contains-secrets", output: output) == !found)
  }

  @Test func theReasonNeverRepeatsTheSecret() async throws {
    let r = try await Harness.result("contains-secret", output: Self.token)
    #expect(r.reason.contains("github-token") && !r.reason.contains(Self.token))
  }
}
