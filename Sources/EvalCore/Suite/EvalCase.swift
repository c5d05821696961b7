import Foundation

/// One cell of the matrix (prompt × provider × test × var combination), rendered and ready to run.
public struct EvalCase: Sendable {
  /// Stable id.
  public var id: CaseID
  /// The suite's id.
  public var suiteID: String
  /// The test's location (file and line of its `tests:` entry, or its CSV/JSONL line).
  public var location: SourceLocation
  /// A readable name: the test's description or id, else its vars.
  public var title: String
  /// The test's explicit id, if any.
  public var testID: String?
  /// Tags.
  public var tags: [String]
  /// Metadata.
  public var metadata: [String: JSONValue]
  /// The prompt's label.
  public var promptLabel: String
  /// The provider's label.
  public var providerLabel: String
  /// The provider key (see ``ProviderSpec/key``) that selects the provider instance.
  public var providerKey: String
  /// This combination's variables.
  public var vars: [String: JSONValue]
  /// The rendered messages.
  public var messages: [ChatMessage]
  /// The built assertions.
  public var plan: ScoringPlan
  /// Samples to take.
  public var repeatCount: Int
  /// Code that rewrites each output before it is scored (`options.transform`).
  public var transform: TransformSpec? {
    get { rare?.fields.transform }
    set { updateRare { $0.transform = newValue } }
  }
  /// Set when the case must wait for the earlier cases of its suite (`storeOutputAs`, `_conversation`):
  /// its messages are rendered when its turn comes.
  public var sequence: CaseSequence? {
    get { rare?.fields.sequence }
    set { updateRare { $0.sequence = newValue } }
  }
  /// Set when the test has `max-score` or `select-best`: the cases with the same value compare their outputs
  /// (the test's cases across prompts and providers, with the same vars).
  public var comparisonGroup: String? {
    get { rare?.fields.comparisonGroup }
    set { updateRare { $0.comparisonGroup = newValue } }
  }
  /// promptfoo's `providerOutput`: scored as the answer, with no call.
  public var fixedOutput: String? {
    get { rare?.fields.fixedOutput }
    set { updateRare { $0.fixedOutput = newValue } }
  }
  /// What code must compute before the case is sent (vars from code, a prompt function); `nil` for a
  /// case rendered at load time.
  public var deferred: DeferredPrompt? {
    get { rare?.fields.deferred }
    set { updateRare { $0.deferred = newValue } }
  }
  /// Code that decides the sample's pass and score from the named metric scores (`assertScoringFunction`).
  public var scoringFunction: TransformSpec? {
    get { rare?.fields.scoringFunction }
    set { updateRare { $0.scoringFunction = newValue } }
  }
  /// The fields above, which most cases leave empty, behind one reference (``Rare``); `nil` when all are empty.
  private var rare: RareBox?

  private mutating func updateRare(_ change: (inout Rare) -> Void) {
    var fields = rare?.fields ?? Rare()
    change(&fields)
    rare = fields.isEmpty ? nil : RareBox(fields)
  }

  /// Creates a case.
  public init(
    id: CaseID, suiteID: String, location: SourceLocation, title: String, testID: String? = nil, tags: [String] = [],
    metadata: [String: JSONValue] = [:], promptLabel: String, providerLabel: String, providerKey: String,
    vars: [String: JSONValue], messages: [ChatMessage], plan: ScoringPlan, repeatCount: Int = 1
  ) {
    self.id = id
    self.suiteID = suiteID
    self.location = location
    self.title = title
    self.testID = testID
    self.tags = tags
    self.metadata = metadata
    self.promptLabel = promptLabel
    self.providerLabel = providerLabel
    self.providerKey = providerKey
    self.vars = vars
    self.messages = messages
    self.plan = plan
    self.repeatCount = repeatCount
  }

  /// What `--shard` slices by: the case's id, except that a suite's ordered cases (`storeOutputAs`,
  /// `_conversation`) and the cases whose outputs are compared (`max-score`, `select-best`) stay together.
  public var shardKey: CaseID {
    if sequence != nil { return CaseID(canonicalText: "ordered\u{1F}" + suiteID) }
    if let comparisonGroup { return CaseID(canonicalText: "compared\u{1F}" + suiteID + "\u{1F}" + comparisonGroup) }
    return id
  }

  /// The request for one sample.
  public func request(repeatIndex: Int) -> CompletionRequest {
    CompletionRequest(messages: messages, vars: vars, repeatIndex: repeatIndex, caseID: id.rawValue)
  }
}
