/// How many cases and samples a suite expands to, computed from its shape before anything is built, so a
/// suite that would expand past the limit (a `repeat` of 10^11, a 1000⁴ vars matrix) is a located error
/// rather than an allocation that kills the process.
extension Expansion {
  /// Cases (prompts × providers × each test's vars combinations) and samples (cases × repeats); `Int.max` when
  /// the product overflows.
  public struct Size: Sendable, Hashable {
    /// Cases.
    public var cases: Int
    /// Samples: calls to make.
    public var samples: Int

    /// `a + b`, saturating at `Int.max`.
    public static func sum(_ a: Int, _ b: Int) -> Int { Expansion.add(a, b) }
  }

  /// The size of `suite`, without expanding it.
  public func size(of suite: Suite) -> Size {
    var total = Size(cases: 0, samples: 0)
    let shared = Expansion.multiply(suite.prompts.count, suite.providers.count)
    for test in suite.tests.listed.lazy.map({ $0.merged(with: suite.defaultTest) }) {
      let cases = Expansion.multiply(shared, Expansion.combinationCount(of: test.vars))
      let repeats = max(1, repeatOverride ?? test.repeatCount ?? suite.repeatCount)
      total.cases = Expansion.add(total.cases, cases)
      total.samples = Expansion.add(total.samples, Expansion.multiply(cases, repeats))
    }
    // Streamed rows are plain (see ``TestRows``): each sets a string for every one of its part's var names
    // and no `repeat`, so all of a part's rows expand alike, to what `defaultTest`'s other vars make.
    for facts in suite.tests.streamedFacts {
      let defaults = (suite.defaultTest?.vars ?? [:]).filter { !facts.varNames.contains($0.key) }
      let cases = Expansion.multiply(
        Expansion.multiply(shared, Expansion.combinationCount(of: defaults)), facts.count)
      let repeats = max(1, repeatOverride ?? suite.defaultTest?.repeatCount ?? suite.repeatCount)
      total.cases = Expansion.add(total.cases, cases)
      total.samples = Expansion.add(total.samples, Expansion.multiply(cases, repeats))
    }
    return total
  }

  /// Throws when `suite` expands past `limit` cases or samples, naming what multiplied it.
  /// - Throws: ``Diagnostic`` at the test (or the suite) that grew too large.
  public func checkSize(of suite: Suite, limit: Int) throws {
    let size = size(of: suite)
    guard size.cases > limit || size.samples > limit else { return }
    let tests = suite.tests.lazy.map { $0.merged(with: suite.defaultTest) }
    let shared = Expansion.multiply(suite.prompts.count, suite.providers.count)
    // The test that contributes most, and why (one test at a time: the rows of a CSV are not all held).
    let sizes = tests.map { test -> (TestSpec, Int, Int) in
      let cases = Expansion.multiply(shared, Expansion.combinationCount(of: test.vars))
      let repeats = max(1, repeatOverride ?? test.repeatCount ?? suite.repeatCount)
      return (test, cases, Expansion.multiply(cases, repeats))
    }
    let limitText = "the limit of \(Expansion.grouped(limit)) (maxCases in evalgate.yaml, or --max-cases)"
    guard let (test, cases, samples) = sizes.max(by: { $0.2 < $1.2 }) else { return }
    var factors: [String] = []
    if suite.prompts.count > 1 { factors.append("\(suite.prompts.count) prompts") }
    if suite.providers.count > 1 { factors.append("\(suite.providers.count) providers") }
    for key in test.vars.keys.sorted() {
      if let value = test.vars[key], Expansion.expands(value), case .array(let options) = value {
        factors.append("vars.\(key) (\(Expansion.grouped(options.count)) values)")
      }
    }
    let repeats = max(1, repeatOverride ?? test.repeatCount ?? suite.repeatCount)
    let repeatSource = repeatOverride != nil ? "--repeat" : test.repeatCount != nil ? "the test's 'repeat'" : "'repeat'"
    if cases <= limit, repeats > 1 {
      throw Diagnostic(
        "\(repeatSource) \(Expansion.grouped(repeats)) makes \(Expansion.grouped(samples)) samples of "
          + "\(Expansion.grouped(cases)) case\(cases == 1 ? "" : "s"), over \(limitText)",
        at: test.repeatCount != nil
          ? test.location : suite.repeatLocation ?? SourceLocation(file: suite.file, line: 1, column: 1))
    }
    throw Diagnostic(
      "this test expands to \(Expansion.grouped(cases)) cases (\(factors.joined(separator: " × "))), over \(limitText)",
      at: test.location)
  }

  /// The number of combinations `vars` expands to (each list that expands multiplies), saturating.
  static func combinationCount(of vars: [String: JSONValue]) -> Int {
    vars.values.reduce(1) { product, value in
      if Expansion.expands(value), case .array(let options) = value { return multiply(product, options.count) }
      return product
    }
  }

  static func multiply(_ a: Int, _ b: Int) -> Int {
    let (product, overflow) = a.multipliedReportingOverflow(by: b)
    return overflow ? .max : product
  }

  static func add(_ a: Int, _ b: Int) -> Int {
    let (sum, overflow) = a.addingReportingOverflow(b)
    return overflow ? .max : sum
  }

  /// `10,000,000`; `more than 9.2e18` for a saturated count.
  static func grouped(_ n: Int) -> String {
    if n == .max { return "more than 9.2·10¹⁸" }
    var digits = String(n)
    var out = ""
    while digits.count > 3 {
      out = "," + digits.suffix(3) + out
      digits.removeLast(3)
    }
    return digits + out
  }
}
