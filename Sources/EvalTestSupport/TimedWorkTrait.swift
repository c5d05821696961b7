import Testing

/// Runs each test of a suite on ``TimedWork``'s threads: for loopback tests whose deadlines start before an
/// `await` (see ``TimedWork`` for what the cooperative pool's queue does to them in a full run).
public struct TimedWorkTrait: SuiteTrait, TestTrait, TestScoping {
  /// Applies to every test in the suite.
  public var isRecursive: Bool { true }

  /// The trait (see ``Trait/offThePool``).
  public init() {}

  /// Runs `function` on one of ``TimedWork/executors``.
  public func provideScope(
    for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
  ) async throws {
    try await TimedWork.run { try await function() }
  }
}

extension Trait where Self == TimedWorkTrait {
  /// Runs the suite's tests off the cooperative pool, on ``TimedWork``'s threads.
  public static var offThePool: Self { Self() }
}
