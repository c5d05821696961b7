/// The cases a run makes, in report order: the suites' cases expanded as the run asks for them
/// (``SuiteCases``) and kept when a filter lets them through (`--filter-*`, `--shard`), or, when something
/// must see or change every case before the first call (prompt functions, `--resume`), a list.
///
/// Iterating it again expands the cases again, the same ones: expansion is deterministic. A case that
/// fails to render is passed over here; ``survey(_:keep:)`` is where such problems are collected, before the run.
public struct CasePlan: Sequence, Sendable {
  /// The suites' lazy cases, in suite order.
  public let suites: [SuiteCases]
  /// Which cases the run keeps.
  public let keep: @Sendable (EvalCase) -> Bool
  /// Every case, when they have been listed (``materialize()``).
  public private(set) var list: [EvalCase]?

  /// The cases of `suites` that `keep` lets through, made as they are asked for.
  public init(_ suites: [SuiteCases], keep: @escaping @Sendable (EvalCase) -> Bool = { _ in true }) {
    self.suites = suites
    self.keep = keep
  }

  /// A plan of listed cases.
  public init(list: [EvalCase]) {
    self.init([])
    self.list = list
  }

  /// Lists every case (held from now on).
  public mutating func materialize() {
    if list == nil { list = Array(self) }
  }

  /// Replaces the listed cases (after prompt functions computed their messages, say).
  public mutating func replaceList(_ cases: [EvalCase]) { list = cases }

  /// The plan without the cases `more` turns away (the cases a resumed run finished before): listed cases
  /// are filtered now, lazy ones as they are made.
  public func keeping(_ more: @escaping @Sendable (EvalCase) -> Bool) -> CasePlan {
    if let list { return CasePlan(list: list.filter(more)) }
    let keep = self.keep
    return CasePlan(suites, keep: { keep($0) && more($0) })
  }

  public func makeIterator() -> Iterator { Iterator(plan: self) }

  /// Yields the listed cases, or the kept cases of each suite in turn.
  public struct Iterator: IteratorProtocol {
    private let plan: CasePlan
    private var listed: IndexingIterator<[EvalCase]>?
    private var suite = 0
    private var current: SuiteCases.Iterator?

    init(plan: CasePlan) {
      self.plan = plan
      listed = plan.list?.makeIterator()
    }

    public mutating func next() -> EvalCase? {
      if listed != nil { return listed?.next() }
      while suite < plan.suites.count {
        if current == nil { current = plan.suites[suite].makeIterator() }
        while let item = current?.next() {
          if case .success(let c) = item, plan.keep(c) { return c }
        }
        current = nil
        suite += 1
      }
      return nil
    }
  }

  /// What a pass over the cases found: counts, the suites that keep cases, and what must be ready first.
  public struct Survey: Sendable {
    /// Cases kept.
    public var cases = 0
    /// Samples of those cases (cases × repeats).
    public var samples = 0
    /// The suites with at least one case kept.
    public var suiteIDs: Set<String> = []
    /// Whether a case computes its prompt or vars with code first (``EvalCase/deferred``).
    public var hasDeferred = false
    /// Where the cases first need `node` or `python3`.
    public var code = CodeUse.Finder()
    /// The located problems of cases that failed to render, each once.
    public var problems: [Diagnostic] = []

    /// An empty survey.
    public init() {}

    /// Counts `c`.
    public mutating func add(_ c: EvalCase) {
      cases += 1
      samples = Expansion.add(samples, c.repeatCount)
      suiteIDs.insert(c.suiteID)
      if c.deferred != nil { hasDeferred = true }
      code.visit(c)
    }
  }

  /// One pass over every case of `suites`: the problems of those that do not render, and the survey of
  /// those `keep` lets through, each of which `visit` sees as it is made (in report order: what a pass over
  /// the plan would yield), so a caller that needs each case once (`list`) makes them once.
  public static func survey(
    _ suites: [SuiteCases], keep: (EvalCase) -> Bool, visit: (EvalCase) -> Void = { _ in }
  ) -> Survey {
    survey(suites, identified: true, keep: keep, visit: visit)
  }

  /// ``survey(_:keep:visit:)`` of every case, none filtered out and none seen: the cases are made without their
  /// ids and titles (``SuiteCases/makeSurveyIterator()``), which nothing here reads.
  public static func surveyAll(_ suites: [SuiteCases]) -> Survey {
    survey(suites, identified: false, keep: { _ in true }, visit: { _ in })
  }

  private static func survey(
    _ suites: [SuiteCases], identified: Bool, keep: (EvalCase) -> Bool, visit: (EvalCase) -> Void
  ) -> Survey {
    var survey = Survey()
    for suite in suites {
      var cases = identified ? suite.makeIterator() : suite.makeSurveyIterator()
      while let item = cases.next() {
        switch item {
        case .success(let c):
          if keep(c) {
            survey.add(c)
            visit(c)
          }
        case .failure(let d): if !survey.problems.contains(d) { survey.problems.append(d) }
        }
      }
    }
    return survey
  }
}
