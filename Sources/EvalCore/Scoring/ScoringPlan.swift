import Foundation

/// A case's assertions, built and ready to score: a tree, because `assert-set` nests.
public struct ScoringPlan: Sendable {
  /// One node of the plan.
  public struct Item: Sendable {
    /// The templated spec (type, weight, metric, threshold, location).
    public var spec: AssertionSpec
    /// What the node does.
    public var kind: Kind

    /// Creates an item.
    public init(spec: AssertionSpec, kind: Kind) {
      self.spec = spec
      self.kind = kind
    }
  }

  /// A single assertion or a group.
  public enum Kind: Sendable {
    /// A built assertion.
    case single(any Assertion)
    /// An `assert-set` with its children.
    case set([Item])
  }

  /// Top-level items in order.
  public var items: [Item]
  /// The test-level threshold over the weighted score, if any.
  public var threshold: Double?

  /// Creates a plan.
  public init(items: [Item], threshold: Double?) {
    self.items = items
    self.threshold = threshold
  }

  /// Builds the plan from templated specs.
  /// - Throws: ``Diagnostic`` for unknown types, bad values, or `not-assert-set`.
  public static func build(
    _ specs: [AssertionSpec], threshold: Double?, registry: AssertionRegistry
  ) throws -> ScoringPlan {
    ScoringPlan(items: try specs.map { try item($0, registry: registry) }, threshold: threshold)
  }

  private static func item(_ spec: AssertionSpec, registry: AssertionRegistry) throws -> Item {
    if spec.type == AssertionRegistry.setType {
      if spec.negated {
        throw Diagnostic("'not-assert-set' is not supported; negate the inner assertions", at: spec.location)
      }
      if spec.children.isEmpty { throw Diagnostic("'assert-set' needs a non-empty 'assert' list", at: spec.location) }
      return Item(spec: spec, kind: .set(try spec.children.map { try item($0, registry: registry) }))
    }
    return Item(spec: spec, kind: .single(try registry.make(spec)))
  }
}
