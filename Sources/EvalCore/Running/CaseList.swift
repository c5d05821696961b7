import Foundation

/// A run's cases, as ``RunReport/cases`` holds them: an array of results, or, for a run that streamed its
/// cases (``Builder``), cases compacted (``CaseResult/compacted()``) and packed into flat rows
/// (``PackedCases``), read back one at a time. Reads the same either way; changing a packed list (rare:
/// merging, tests) unpacks it first. What a compacted case left out (a failure's assertion reasons) is read
/// back through ``wholeReader`` where a report lists the case (``failures``).
public struct CaseList: RandomAccessCollection, MutableCollection, RangeReplaceableCollection, Sendable {
  private var array: [CaseResult]
  private var packed: PackedCases?
  /// Reads a compacted case back whole (from what the run kept of it: its results.jsonl line); set by a run
  /// that compacts its cases. Without one, a case reads as it is held.
  public var wholeReader: (@Sendable (CaseResult) -> CaseResult)?

  /// An empty list.
  public init() { array = [] }

  /// The results in `cases`, in order.
  public init<S: Sequence<CaseResult>>(_ cases: S) { array = Array(cases) }

  private init(packed: PackedCases) {
    array = []
    self.packed = packed
  }

  public var startIndex: Int { 0 }
  public var endIndex: Int { packed?.count ?? array.count }

  public subscript(position: Int) -> CaseResult {
    get { packed.map { $0[position] } ?? array[position] }
    set {
      unpack()
      array[position] = newValue
    }
  }

  public mutating func replaceSubrange<C: Collection<CaseResult>>(_ subrange: Range<Int>, with newElements: C) {
    unpack()
    array.replaceSubrange(subrange, with: newElements)
  }

  public mutating func reserveCapacity(_ n: Int) {
    if packed == nil { array.reserveCapacity(n) }
  }

  /// The case at `position`, read as one of a sample spread thinly over a large list (report.html's passing
  /// rows): its reads of the packed pages count as scattered, so the pages they map are handed back in time.
  public func sample(at position: Int) -> CaseResult {
    packed.map { $0.read(position, scattered: true) } ?? array[position]
  }

  /// The suite of the case at `position`, read without unpacking the case.
  public func suite(at position: Int) -> String {
    packed.map { $0.suite(at: position) } ?? array[position].suite
  }

  /// The id of the case at `position`, read without unpacking the case.
  public func id(at position: Int) -> CaseID {
    packed.map { $0.id(at: position) } ?? array[position].id
  }

  /// The outcome of the case at `position`, read without unpacking the case.
  public func outcome(at position: Int) -> Outcome {
    packed.map { $0.outcome(at: position) } ?? array[position].outcome
  }

  /// Whether the cases of `suite` come from more than one prompt, read without unpacking a case.
  public func hasManyPrompts(inSuite suite: String) -> Bool {
    var first: String?
    for i in indices where self.suite(at: i) == suite {
      let prompt = packed.map { $0.prompt(at: i) } ?? array[i].prompt
      guard let seen = first else {
        first = prompt
        continue
      }
      if prompt != seen { return true }
    }
    return false
  }

  /// The cases of `suite`, in order, each unpacked as it is read; the others are passed over by their suite
  /// alone. A pass of the reports over one suite unpacked every case of the run twice through
  /// `lazy.filter` (half of JUnit's time at 100,000 cases, docs/benchmarks.md session 12).
  public func cases(ofSuite suite: String) -> LazyMapCollection<LazyFilterCollection<Range<Int>>, CaseResult> {
    (startIndex..<endIndex).lazy.filter { self.suite(at: $0) == suite }.map { self[$0] }
  }

  /// The cases that failed or errored, in order, each read whole (``whole(_:)``) as it is read, for the reports
  /// that list them with their reasons; passing cases (most of a large run) are not unpacked. Counting them
  /// reads no case.
  public var failures: LazyMapCollection<LazyFilterCollection<Range<Int>>, CaseResult> {
    (startIndex..<endIndex).lazy.filter {
      let outcome = self.outcome(at: $0)
      return outcome == .failed || outcome == .errored
    }.map { self.whole(self[$0]) }
  }

  /// `c` whole: read back through ``wholeReader`` when the list has one, else as it is.
  public func whole(_ c: CaseResult) -> CaseResult { wholeReader.map { $0(c) } ?? c }

  /// The cases that may hold a provider error or a skip reason, in order (every case of an array): a packed
  /// case is passed over unless a sample of it errored or it was skipped.
  public var casesWithErrorsOrSkipReasons: LazyMapCollection<LazyFilterCollection<Range<Int>>, CaseResult> {
    (startIndex..<endIndex).lazy.filter { self.packed?.mayHoldErrorOrSkipReason(at: $0) ?? true }.map { self[$0] }
  }

  /// Whether the list holds packed rows (a streamed run's cases).
  public var isPacked: Bool { packed != nil }

  /// How many of a packed list's cases are kept whole (`nil` for an array).
  var wholeCount: Int? { packed?.wholeCount }

  private mutating func unpack() {
    guard let p = packed else { return }
    packed = nil
    array = (0..<p.count).map { p[$0] }
  }

  /// Collects a run's results as they finish: cases whose report pieces are kept elsewhere, whether they ran
  /// (passed, failed or errored) or were skipped, are packed (compacted: ``CaseResult/compacted()``; a skipped
  /// case keeps its reason), the others kept whole.
  public struct Builder: Sendable {
    private var packed = PackedCases()

    /// A builder with room for `expected` cases.
    public init(expected: Int = 0) { packed.reserveCapacity(expected) }

    /// Adds `result`, compacted and packed when `compact` is set (a skipped case keeps its reason).
    public mutating func append(_ result: CaseResult, compact: Bool) {
      packed.append(compact ? result.compacted() : result)
    }

    /// How many results were added.
    public var count: Int { packed.count }

    /// The results added so far, in order (a view: nothing is copied until one of the two changes).
    public var list: CaseList { CaseList(packed: packed) }

    /// Puts the results in report order: by `suiteOrder` of their suite (unknown last), then test line,
    /// then case id.
    public mutating func sortInReportOrder(suiteOrder: [String: Int]) {
      packed.sortInReportOrder(suiteOrder: suiteOrder)
    }

    /// The list, handed over once (the builder is left empty).
    public mutating func take() -> CaseList {
      defer { packed = PackedCases() }
      return CaseList(packed: packed)
    }
  }
}

extension CaseList: ExpressibleByArrayLiteral {
  public init(arrayLiteral elements: CaseResult...) { array = elements }
}

extension CaseList: Equatable {
  public static func == (a: CaseList, b: CaseList) -> Bool { a.elementsEqual(b) }
}

extension CaseList: Codable {
  /// Decodes a JSON array of results.
  public init(from decoder: any Decoder) throws {
    array = try [CaseResult](from: decoder)
  }

  /// Encodes the results as a JSON array.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.unkeyedContainer()
    for c in self { try container.encode(c) }
  }
}
