/// A suite's tests, in file order: tests held as values (written in the suite, or read from a small file)
/// and streamed rows (``TestRows``: a vars CSV), read again each time the list is walked.
///
/// Walking the list never holds more than one streamed row; ``count`` and the facts the planner needs
/// (``varNames(mergedWith:)``, ``rowJudges``) come from what the loader found when it checked the rows.
public struct TestList: Sequence, Sendable, ExpressibleByArrayLiteral {
  /// Streamed rows, with what was done to them since they were read: each transform runs on each row as it
  /// is walked, in order.
  struct Streamed: Sendable {
    var rows: any TestRows
    var transforms: [@Sendable (TestSpec) -> TestSpec] = []
    /// The judges the transforms gave the rows' assertions (plain rows have none of their own).
    var judges: [ProviderSpec] = []
  }

  enum Part: Sendable {
    case listed([TestSpec])
    case streamed(Streamed)
  }

  private(set) var parts: [Part]

  /// The tests `specs`, held.
  public init(_ specs: [TestSpec] = []) {
    parts = specs.isEmpty ? [] : [.listed(specs)]
  }

  public init(arrayLiteral elements: TestSpec...) { self.init(elements) }

  /// The tests `rows` makes, read as the list is walked.
  public init(rows: any TestRows) {
    parts = [.streamed(Streamed(rows: rows))]
  }

  /// How many tests, without reading a row.
  public var count: Int {
    parts.reduce(0) { total, part in
      switch part {
      case .listed(let specs): total + specs.count
      case .streamed(let s): total + s.rows.facts.count
      }
    }
  }

  /// Whether there is no test.
  public var isEmpty: Bool { count == 0 }

  /// Whether some tests are streamed rows.
  public var hasStreamedRows: Bool {
    parts.contains { if case .streamed = $0 { true } else { false } }
  }

  /// The held tests only (streamed rows left out): what to look at for the things plain rows never set
  /// (a judge, a filter, `storeOutputAs`, …; see ``TestRows``).
  public var listed: [TestSpec] {
    parts.flatMap { part -> [TestSpec] in
      if case .listed(let specs) = part { return specs }
      return []
    }
  }

  /// The facts of the streamed parts, in order.
  public var streamedFacts: [TestRowFacts] {
    parts.compactMap { if case .streamed(let s) = $0 { s.rows.facts } else { nil } }
  }

  /// The judges that transforms gave the streamed rows' assertions.
  public var rowJudges: [ProviderSpec] {
    parts.flatMap { part -> [ProviderSpec] in
      if case .streamed(let s) = part { return s.judges }
      return []
    }
  }

  /// Appends `other`'s tests after these.
  public mutating func append(contentsOf other: TestList) {
    for part in other.parts {
      if case .listed(let more) = part, case .listed(let specs)? = parts.last {
        parts[parts.count - 1] = .listed(specs + more)
      } else {
        parts.append(part)
      }
    }
  }

  /// Appends `specs` after these tests.
  public mutating func append(contentsOf specs: [TestSpec]) { append(contentsOf: TestList(specs)) }

  /// Every test changed by `transform`: held tests now, streamed rows as they are read. The transform must
  /// keep plain rows plain (it may add tags, metadata, or judges it names in `addingJudges`).
  public func map(
    addingJudges judges: [ProviderSpec] = [], _ transform: @escaping @Sendable (TestSpec) -> TestSpec
  ) -> TestList {
    mapParts(listed: transform) { _ in (transform, judges) }
  }

  /// Each held test changed by `listed`, and each streamed part by the transform `streamed` gives for its
  /// facts (`nil`: unchanged) with the judges that transform adds.
  public func mapParts(
    listed: (TestSpec) -> TestSpec,
    streamed: (TestRowFacts) -> (transform: @Sendable (TestSpec) -> TestSpec, judges: [ProviderSpec])?
  ) -> TestList {
    var out = self
    out.parts = parts.map { part in
      switch part {
      case .listed(let specs): return .listed(specs.map(listed))
      case .streamed(var s):
        if let (transform, judges) = streamed(s.rows.facts) {
          s.transforms.append(transform)
          s.judges += judges
        }
        return .streamed(s)
      }
    }
    return out
  }

  /// The names of the vars some test defines once merged with `defaults`, without reading a row.
  public func varNames(mergedWith defaults: TestSpec?) -> Set<String> {
    if isEmpty { return [] }
    var names = Set(defaults?.vars.keys.map { $0 } ?? [])
    for part in parts {
      switch part {
      case .listed(let specs):
        for spec in specs { names.formUnion(spec.vars.keys) }
      case .streamed(let s): names.formUnion(s.rows.facts.varNames)
      }
    }
    return names
  }

  public func makeIterator() -> Iterator { Iterator(parts: parts) }

  /// Walks the parts in order, reading streamed rows one at a time.
  public struct Iterator: IteratorProtocol {
    private let parts: [Part]
    private var part = 0
    private var listed: IndexingIterator<[TestSpec]>?
    private var rows: AnyIterator<Result<TestSpec, Diagnostic>>?
    private var transforms: [@Sendable (TestSpec) -> TestSpec] = []
    /// Why a streamed part ended early (its file changed since it was checked); the walk ends there.
    public private(set) var failure: Diagnostic?

    init(parts: [Part]) { self.parts = parts }

    public mutating func next() -> TestSpec? {
      while failure == nil {
        if let spec = listed?.next() { return spec }
        if let item = rows?.next() {
          switch item {
          case .success(var spec):
            for transform in transforms { spec = transform(spec) }
            return spec
          case .failure(let d):
            failure = d
            return nil
          }
        }
        guard part < parts.count else { return nil }
        (listed, rows, transforms) = (nil, nil, [])
        switch parts[part] {
        case .listed(let specs): listed = specs.makeIterator()
        case .streamed(let s): (rows, transforms) = (s.rows.makeRowIterator(), s.transforms)
        }
        part += 1
      }
      return nil
    }
  }
}
