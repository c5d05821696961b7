import EvalCore
import EvalTestSupport
import Foundation
import Testing

/// Every assertion is linear in its input (issue 14, item 9): `contains-pii` and `contains-secret` on 128 kB
/// outputs built to make a backtracking matcher blow up (a quadratic scan takes minutes at this size). The
/// bound is generous (5 s of CPU in a debug build); scripts/bench-safety measures an optimized build on 1 MB
/// (docs/assertions.md has its figures). Serialized and kept small: the suite's CPU-bound tests must not
/// starve the timing-sensitive ones of the test threads.
@Suite(.serialized)
struct AdversarialInputTests {
  static let size = 1 << 17

  /// `unit` repeated to 1 MB or just over.
  static func repeated(_ unit: String) -> String { String(repeating: unit, count: size / unit.utf8.count + 1) }

  /// Deterministic pseudo-random characters from `alphabet`, 1 MB.
  static func random(_ alphabet: String) -> String {
    let a = Array(alphabet.utf8)
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    var out: [UInt8] = []
    out.reserveCapacity(size)
    for _ in 0..<size {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      out.append(a[Int((state >> 33) % UInt64(a.count))])
    }
    return String(decoding: out, as: UTF8.self)
  }

  static let inputs: [(String, String)] = [
    ("digits", repeated("0123456789")),
    ("digit groups", repeated("1234 ")),
    ("hyphenated digits", repeated("12-")),
    ("dotted digits", repeated("1.")),
    ("at signs", repeated("@")),
    ("a@", repeated("aaaa@")),
    ("dotted local parts", repeated("a.")),
    ("+1", repeated("+1 ")),
    ("parentheses", repeated("(1) ")),
    ("colons", repeated(":")),
    ("hex and colons", repeated("a1:")),
    ("IBAN starts", repeated("DE89 ")),
    ("card starts", repeated("4111 ")),
    ("SSN starts", repeated("078-05-")),
    ("base64", random("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")),
    ("token characters", random("abcXYZ019_-")),
    ("sk-", repeated("sk-")),
    ("sk-proj-", "sk-proj-" + repeated("a")),
    ("ghp_", repeated("ghp_")),
    ("JWT parts", repeated("eyJa.")),
    ("PEM headers", repeated("-----BEGIN PRIVATE KEY-----\n")),
    ("dashes", repeated("-")),
    ("AWS names", repeated("aws_secret_access_key=")),
    ("Slack", repeated("xoxb-1234567-")),
    (
      "printable",
      random(" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~")
    ),
  ]

  @Test(.serialized, arguments: inputs.indices)
  func scansInLinearTime(_ i: Int) async {
    await HeavyWork.run { Self.scan(i) }
  }

  static func scan(_ i: Int) {
    let (name, output) = inputs[i]
    #expect(output.utf8.count >= size)
    // The assertions are these scans plus a reason; each scan is timed on this thread.
    let scans: [(String, () -> Int)] = [
      ("contains-pii", { PIIScanner().scan(output).count }),
      ("contains-secret", { SecretScanner().scan(output).count }),
    ]
    for (assertion, scan) in scans {
      let start = HeavyWork.threadCPUSeconds()
      let found = scan()
      let elapsed = HeavyWork.threadCPUSeconds() - start
      print("\(assertion) on 128 kB of \(name): \(String(format: "%.3f", elapsed)) s CPU, \(found) findings")
      #expect(elapsed < 5, "\(assertion) on \(name) took \(elapsed) s")
    }
  }
}
