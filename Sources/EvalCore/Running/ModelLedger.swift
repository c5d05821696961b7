import Synchronization

/// Which models answered the calls made to graders (judges and embedding providers), by provider key:
/// their answers are not case results, so the models they name are collected here during a run, to be
/// recorded in the report and checked against the model that was asked for.
public final class ModelLedger: Sendable {
  /// What one grader provider answered as.
  public struct Entry: Sendable, Hashable, Codable {
    /// The provider's label.
    public var provider: String
    /// The models its answers named, each once, in the order first seen.
    public var models: [String]
    /// Answers counted (cached ones included).
    public var answers: Int
  }

  private let entries = Mutex<[String: Entry]>([:])

  /// An empty ledger.
  public init() {}

  /// Notes one answer of the provider at `key`.
  public func record(key: String, label: String, model: String?) {
    entries.withLock { all in
      var entry = all[key] ?? Entry(provider: label, models: [], answers: 0)
      entry.answers += 1
      if let model, !model.isEmpty, !entry.models.contains(model) { entry.models.append(model) }
      all[key] = entry
    }
  }

  /// Every provider's entry, by key.
  public var snapshot: [String: Entry] { entries.withLock { $0 } }
}
