import Synchronization

/// What a run has spent so far, against its ``Budget``; shared by the calls in flight, so the call that
/// reaches the budget stops the next one before it starts.
final class SpendMeter: Sendable {
  private struct Spent {
    var cost = 0.0
    var tokens = 0
    var reason: String?
  }

  let budget: Budget
  private let spent = Mutex(Spent())

  init(budget: Budget) { self.budget = budget }

  /// Adds one call's spending; returns the reason when this call reached the budget.
  func add(cost: Double?, usage: Usage?) -> String? {
    guard budget.maxCost != nil || budget.maxTokens != nil else { return nil }
    return spent.withLock { s in
      s.cost += cost ?? 0
      s.tokens += (usage?.promptTokens ?? 0) + (usage?.completionTokens ?? 0)
      guard s.reason == nil, let reason = budget.exhausted(cost: s.cost, tokens: s.tokens) else { return nil }
      s.reason = reason
      return reason
    }
  }

  /// Why the budget stopped the run, if it did.
  var reason: String? { spent.withLock { $0.reason } }
}
