import Foundation

/// The cases of a large run held in a few flat arrays instead of one `CaseResult` each: a row of fixed
/// size per case and per sample, the strings every case repeats (suite, file, prompt, provider, model,
/// assertion types and metric names) stored once, titles and error messages in one byte buffer, and a
/// 16-hex-digit case id as the 64-bit number it spells. A sample's provider error and its named-metric scores
/// are rows of their own (an error the run repeats, a down endpoint's, is stored once), and so is a skipped
/// case's reason (an interrupt or a spent budget gives every skipped case the same one, stored once). A case
/// reads back (``subscript(_:)``) equal to the compacted result that went in (``CaseResult/compacted()``), so
/// every report renders it as before; a case with anything the rows have no field for (vars, a metric score
/// that could not be checked) is kept whole beside them.
///
/// Written by hand because nothing listed packs structs: a compacted `CaseResult` costs about 1 KB in
/// memory (its struct, its attempts array, its id and title strings); a row costs about 170 bytes, which
/// is what holds a 100,000-case run under 100 MB (docs/benchmarks.md, sessions 9 and 13).
struct PackedCases: Sendable {
  /// Where a string is in ``text``.
  struct Span: Sendable, Hashable {
    var offset: UInt32
    var length: UInt32
  }

  /// One case.
  struct Row: Sendable {
    /// The id as a number, unless ``Flags/textID``.
    var id: UInt64
    /// The id's text, when it is not 16 lowercase hex digits (``Flags/textID``).
    var idText: Span
    var title: Span
    var suite: UInt32
    var file: UInt32
    var prompt: UInt32
    var provider: UInt32
    /// The line, or −1.
    var line: Int32
    var repeatCount: Int32
    /// The score (``Flags/hasScore``); for a skipped case, which has none, its reason's index in ``reasons`` as
    /// the bit pattern (``Flags/hasSkipReason``): a field of its own would take every row from 64 to 72 bytes.
    var score: Double
    /// Where the case's attempts start in ``attempts``, or its index in ``whole`` (``Flags/whole``).
    var first: UInt32
    var count: UInt16
    var flags: Flags
    /// The outcome's index in `Outcome.allCases`.
    var outcome: UInt8
  }

  struct Flags: OptionSet, Sendable {
    let rawValue: UInt8
    static let whole = Flags(rawValue: 1)
    static let hasScore = Flags(rawValue: 2)
    static let mustPass = Flags(rawValue: 4)
    static let textID = Flags(rawValue: 8)
    /// A sample holds a provider error.
    static let hasError = Flags(rawValue: 16)
    /// The case has a skip reason, its index in ``reasons`` held in ``Row/score``.
    static let hasSkipReason = Flags(rawValue: 32)
  }

  /// One sample.
  struct Attempt: Sendable {
    var latencyMs: Double
    var timeToFirstTokenMs: Double
    var tokensPerSecond: Double
    var cost: Double
    var score: Double
    /// Prompt, completion, total, cached and reasoning tokens; `Int32.min` for none.
    var tokens: (Int32, Int32, Int32, Int32, Int32)
    var index: Int32
    var retries: Int32
    /// The model's index in ``strings`` + 1, 0 for none.
    var model: UInt32
    /// The error's index in ``errors`` + 1, 0 for none.
    var error: UInt32
    /// Where the sample's named-metric scores start in ``metrics``.
    var firstMetric: UInt32
    var metricCount: UInt16
    var outcome: UInt8
    var flags: AttemptFlags
  }

  /// A sample's provider error.
  struct PackedError: Sendable {
    /// Where the message is in ``errorText``.
    var message: Span
    var retryAfterMs: Double
    /// The HTTP status, or `Int32.min`.
    var status: Int32
    /// The kind's index in `ProviderError.Kind.allCases`.
    var kind: UInt8
    var hasRetryAfter: Bool
  }

  /// A named-metric score, as ``CaseResult/compacted()`` keeps it (no reason, line or children).
  struct Metric: Sendable {
    var score: Double
    var weight: Double
    /// The type's and the metric's index in ``strings``.
    var type: UInt32
    var metric: UInt32
    var pass: Bool
  }

  struct AttemptFlags: OptionSet, Sendable {
    let rawValue: UInt8
    static let hasTTFT = AttemptFlags(rawValue: 1)
    static let hasTPS = AttemptFlags(rawValue: 2)
    static let hasCost = AttemptFlags(rawValue: 4)
    static let hasScore = AttemptFlags(rawValue: 8)
    static let hasUsage = AttemptFlags(rawValue: 16)
    static let cached = AttemptFlags(rawValue: 32)
    static let notCached = AttemptFlags(rawValue: 64)
    static let gradingFailed = AttemptFlags(rawValue: 128)
  }

  // The rows, samples and titles are paged (``PagedArray``): at 10^6 cases they are most of a run's memory.
  private(set) var rows = PagedArray<Row>()
  private var attempts = PagedArray<Attempt>()
  private var whole: [CaseResult] = []
  private var strings: [String] = []
  private var stringIndex: [String: UInt32] = [:]
  private var text = PagedArray<UInt8>()
  // Not moved by ``sortInReportOrder(suiteOrder:)``: samples share their errors.
  private var errors = PagedArray<PackedError>()
  private var errorText = PagedArray<UInt8>()
  /// Errors already kept, to be kept once: a down endpoint's every sample says the same (at most
  /// ``errorIndexLimit`` distinct ones are looked up; later ones are kept each time).
  private var errorIndex: [ProviderError: UInt32] = [:]
  private static let errorIndexLimit = 4096
  private var metrics = PagedArray<Metric>()
  /// Skip reasons, each kept once as errors are (``errorIndexLimit`` of them looked up); as strings, so that
  /// reading a skipped case back shares its reason rather than decoding it again.
  private var reasons: [String] = []
  private var reasonIndex: [String: UInt32] = [:]

  /// Room for `count` cases of one attempt each.
  mutating func reserveCapacity(_ count: Int) {
    rows.reserveCapacity(count)
    attempts.reserveCapacity(count)
  }

  var count: Int { rows.count }

  /// How many cases are kept whole rather than packed.
  var wholeCount: Int { whole.count }

  /// Adds `result`: packed when it has only what the rows hold, else kept whole.
  mutating func append(_ result: CaseResult) {
    guard let row = pack(result) else {
      rows.append(wholeRow(result))
      return
    }
    rows.append(row)
  }

  /// The case at `i`.
  subscript(_ i: Int) -> CaseResult { read(i, scattered: false) }

  /// The case at `i`. `scattered`: one of reads spread over the cases (a page's sample, 1 case in 1,000): its
  /// samples, metrics and text count as scattered reads (``PagedArray/withElements(in:scattered:_:)``), each of
  /// which may map a 64 KB window. Counted as their own few bytes, such reads kept a 10^6-case run's sampled
  /// windows mapped until the end (136 → 179–197 MB, docs/benchmarks.md, session 15).
  func read(_ i: Int, scattered: Bool) -> CaseResult {
    let row = rows[i]
    if row.flags.contains(.whole) { return whole[Int(row.first)] }
    // The samples first, then the case made around them: filling the case's own array in a closure copied the
    // whole case twice a read, and the reports read each case 7 times (docs/benchmarks.md, session 15).
    let samples = attempts.withElements(in: Int(row.first)..<Int(row.first) + Int(row.count), scattered: scattered) {
      $0.map { unpack($0, scattered: scattered) }
    }
    func string(at span: Span) -> String { Self.string(at: span, in: text, scattered: scattered) }
    return CaseResult(
      packedID: row.flags.contains(.textID) ? CaseID(rawValue: string(at: row.idText)) : CaseID(number: row.id),
      suite: strings[Int(row.suite)], file: strings[Int(row.file)], line: row.line < 0 ? nil : Int(row.line),
      title: string(at: row.title), prompt: strings[Int(row.prompt)], provider: strings[Int(row.provider)],
      tags: row.flags.contains(.mustPass) ? [CaseRecord.mustPassTag] : [], outcome: Outcome.allCases[Int(row.outcome)],
      score: row.flags.contains(.hasScore) ? row.score : nil, repeatCount: Int(row.repeatCount), attempts: samples,
      skipReason: row.flags.contains(.hasSkipReason) ? reasons[Int(row.score.bitPattern)] : nil)
  }

  /// The suite of the case at `i`, without unpacking it.
  func suite(at i: Int) -> String {
    let row = rows[i]
    return row.flags.contains(.whole) ? whole[Int(row.first)].suite : strings[Int(row.suite)]
  }

  /// The id of the case at `i`, without unpacking it.
  func id(at i: Int) -> CaseID {
    let row = rows[i]
    if row.flags.contains(.whole) { return whole[Int(row.first)].id }
    return row.flags.contains(.textID) ? CaseID(rawValue: string(at: row.idText)) : CaseID(number: row.id)
  }

  /// Whether the case at `i` is kept whole rather than packed.
  func isWhole(at i: Int) -> Bool { rows[i].flags.contains(.whole) }

  /// Whether the case at `i` may hold a provider error or a skip reason: it is kept whole, a sample of it
  /// errored, or it was skipped.
  func mayHoldErrorOrSkipReason(at i: Int) -> Bool {
    !rows[i].flags.isDisjoint(with: [.whole, .hasError, .hasSkipReason])
  }

  /// The outcome of the case at `i`, without unpacking it.
  func outcome(at i: Int) -> Outcome {
    let row = rows[i]
    return row.flags.contains(.whole) ? whole[Int(row.first)].outcome : Outcome.allCases[Int(row.outcome)]
  }

  /// The prompt of the case at `i`, without unpacking it.
  func prompt(at i: Int) -> String {
    let row = rows[i]
    return row.flags.contains(.whole) ? whole[Int(row.first)].prompt : strings[Int(row.prompt)]
  }

  /// Puts the rows in the order the reports list cases: by `suiteOrder` of their suite (unknown suites
  /// last), then line (none first), then case id.
  mutating func sortInReportOrder(suiteOrder: [String: Int]) {
    // Sorted as keys of 24 bytes, then the rows are copied in that order into new pages: sorting the rows in
    // place would bring every page of them in at once.
    struct Key {
      var rank: Int32
      var line: Int32
      var id: UInt64
      var index: UInt32
      /// Whether `id` is the case id (16 hex digits) rather than standing for one kept as text.
      var numeric: Bool
    }
    let rank = strings.map { Int32(clamping: suiteOrder[$0] ?? .max) }
    var keys: [Key] = []
    keys.reserveCapacity(count)
    for i in 0..<count {
      let r = rows[i]
      if r.flags.contains(.whole) {
        let c = whole[Int(r.first)]
        keys.append(
          Key(
            rank: Int32(clamping: suiteOrder[c.suite] ?? .max), line: Int32(clamping: c.line ?? 0), id: 0,
            index: UInt32(i), numeric: false))
      } else {
        keys.append(
          Key(
            rank: rank[Int(r.suite)], line: r.line < 0 ? 0 : r.line, id: r.id, index: UInt32(i),
            numeric: !r.flags.contains(.textID)))
      }
    }
    func id(_ k: Key) -> String {
      let r = rows[Int(k.index)]
      if r.flags.contains(.whole) { return whole[Int(r.first)].id.rawValue }
      return r.flags.contains(.textID) ? string(at: r.idText) : CaseID(number: r.id).rawValue
    }
    keys.sort { a, b in
      if (a.rank, a.line) != (b.rank, b.line) { return (a.rank, a.line) < (b.rank, b.line) }
      // Two ids of 16 hex digits order as their numbers do.
      if a.numeric, b.numeric { return a.id < b.id }
      return id(a) < id(b)
    }
    guard keys.enumerated().contains(where: { $0.offset != Int($0.element.index) }) else { return }
    // Each row's samples and strings are copied beside it, so the reports, which read in this order, read every
    // array front to back (read in finishing order, each case's samples would be on a page of their own).
    var (newRows, newAttempts, newText) = (PagedArray<Row>(), PagedArray<Attempt>(), PagedArray<UInt8>())
    newRows.reserveCapacity(rows.count)
    newAttempts.reserveCapacity(attempts.count)
    newText.reserveCapacity(text.count)
    // The old arrays are read in no order: counted as scattered reads, so their pages are handed back as often
    // as they come in. An array of 12 MB or less stays in whole (a 100,000-case run's rows are 6.4 MB, its samples
    // 8 MB): each window is faulted in once, not again every 32 reads (90 % of such a run's page faults, 1.3 s of
    // CPU). A larger one is handed back every 2 MB as before: allowing it 12 MB took a 10^6-case run from 98.5 to
    // 136.7 MB (docs/benchmarks.md, session 12).
    rows.allowScatteredReadsWhenWhole(upTo: 12 << 20)
    attempts.allowScatteredReadsWhenWhole(upTo: 12 << 20)
    text.allowScatteredReadsWhenWhole(upTo: 12 << 20)
    func moved(_ span: Span) -> Span {
      let offset = UInt32(newText.count)
      text.withElements(in: Int(span.offset)..<Int(span.offset + span.length), scattered: true) {
        newText.append(contentsOf: $0)
      }
      return Span(offset: offset, length: span.length)
    }
    for key in keys {
      var row = rows.withElements(in: Int(key.index)..<Int(key.index) + 1, scattered: true) { $0[0] }
      if !row.flags.contains(.whole) {
        let first = UInt32(newAttempts.count)
        attempts.withElements(in: Int(row.first)..<Int(row.first) + Int(row.count), scattered: true) {
          newAttempts.append(contentsOf: $0)
        }
        row.first = first
        row.title = moved(row.title)
        if row.flags.contains(.textID) { row.idText = moved(row.idText) }
      }
      newRows.append(row)
    }
    (rows, attempts, text) = (newRows, newAttempts, newText)
  }

  // MARK: - Packing

  private mutating func wholeRow(_ result: CaseResult) -> Row {
    whole.append(result)
    return Row(
      id: 0, idText: Span(offset: 0, length: 0), title: Span(offset: 0, length: 0), suite: 0, file: 0, prompt: 0,
      provider: 0, line: 0, repeatCount: 0, score: 0, first: UInt32(whole.count - 1), count: 0, flags: .whole,
      outcome: 0)
  }

  private mutating func pack(_ c: CaseResult) -> Row? {
    guard c.vars.isEmpty, c.metadata.isEmpty, c.messages.isEmpty, c.testID == nil,
      c.skipReason == nil || c.score == nil, reasons.count < Int(UInt32.max),
      let outcome = Outcome.allCases.firstIndex(of: c.outcome), c.tags.isEmpty || c.tags == [CaseRecord.mustPassTag],
      c.line.map({ $0 > 0 }) ?? true, let line = Int32(exactly: c.line ?? -1),
      let repeatCount = Int32(exactly: c.repeatCount),
      c.attempts.count <= Int(UInt16.max), attempts.count + c.attempts.count <= Int(UInt32.max),
      c.title.utf8.count < Int(UInt32.max)
    else { return nil }
    // Checked before anything is kept: a case that cannot be packed whole leaves no rows behind.
    for a in c.attempts {
      guard Self.canPack(a) else { return nil }
    }
    var packed: [Attempt] = []
    packed.reserveCapacity(c.attempts.count)
    for a in c.attempts {
      guard let p = pack(a) else { return nil }
      packed.append(p)
    }
    let first = UInt32(attempts.count)
    attempts.append(contentsOf: packed)
    var flags: Flags = []
    if c.score != nil { flags.insert(.hasScore) }
    var score = c.score ?? 0
    if let reason = c.skipReason {
      flags.insert(.hasSkipReason)
      score = Double(bitPattern: UInt64(keep(reason: reason)))
    }
    if c.attempts.contains(where: { $0.error != nil }) { flags.insert(.hasError) }
    if !c.tags.isEmpty { flags.insert(.mustPass) }
    let hex = c.id.number
    if hex == nil { flags.insert(.textID) }
    return Row(
      id: hex ?? 0, idText: hex == nil ? keep(c.id.rawValue) : Span(offset: 0, length: 0), title: keep(c.title),
      suite: intern(c.suite), file: intern(c.file), prompt: intern(c.prompt), provider: intern(c.provider),
      line: line, repeatCount: repeatCount, score: score, first: first, count: UInt16(c.attempts.count),
      flags: flags, outcome: UInt8(outcome))
  }

  /// Whether the rows have a field for everything `a` holds: no output or other compacted-away fields, its
  /// assertions named-metric scores as ``CaseResult/compacted()`` keeps them, and numbers that fit.
  private static func canPack(_ a: AttemptResult) -> Bool {
    guard a.output == nil, a.finishReason == nil, a.contextIDs == nil, a.gradingFailed != false,
      Int32(exactly: a.index) != nil, Int32(exactly: a.retries) != nil, a.assertions.count <= Int(UInt16.max)
    else { return false }
    if let e = a.error {
      guard e.status.map({ Int32(exactly: $0) != nil && $0 != Int(Int32.min) }) ?? true,
        e.message.utf8.count < Int(UInt32.max)
      else { return false }
    }
    return a.assertions.allSatisfy {
      $0.metric != nil && $0.reason.isEmpty && $0.line == nil && $0.children == nil && $0.error == nil
    }
  }

  private mutating func pack(_ a: AttemptResult) -> Attempt? {
    guard Self.canPack(a), let index = Int32(exactly: a.index), let retries = Int32(exactly: a.retries),
      metrics.count + a.assertions.count <= Int(UInt32.max), errors.count < Int(UInt32.max)
    else { return nil }
    func tokens(_ n: Int?) -> Int32? {
      guard let n else { return Int32.min }
      guard let t = Int32(exactly: n), t != Int32.min else { return nil }
      return t
    }
    var flags: AttemptFlags = []
    var counts: (Int32, Int32, Int32, Int32, Int32) = (.min, .min, .min, .min, .min)
    if let u = a.usage {
      guard let p = tokens(u.promptTokens), let c = tokens(u.completionTokens), let t = tokens(u.totalTokens),
        let ca = tokens(u.cachedTokens), let r = tokens(u.reasoningTokens)
      else { return nil }
      counts = (p, c, t, ca, r)
      flags.insert(.hasUsage)
    }
    if a.timeToFirstTokenMs != nil { flags.insert(.hasTTFT) }
    if a.tokensPerSecond != nil { flags.insert(.hasTPS) }
    if a.cost != nil { flags.insert(.hasCost) }
    if a.score != nil { flags.insert(.hasScore) }
    if let cached = a.cached { flags.insert(cached ? .cached : .notCached) }
    if a.gradingFailed == true { flags.insert(.gradingFailed) }
    guard let outcome = Outcome.allCases.firstIndex(of: a.outcome) else { return nil }
    let firstMetric = UInt32(metrics.count)
    for r in a.assertions {
      metrics.append(
        Metric(
          score: r.score, weight: r.weight, type: intern(r.type), metric: intern(r.metric ?? ""), pass: r.pass))
    }
    return Attempt(
      latencyMs: a.latencyMs, timeToFirstTokenMs: a.timeToFirstTokenMs ?? 0, tokensPerSecond: a.tokensPerSecond ?? 0,
      cost: a.cost ?? 0, score: a.score ?? 0, tokens: counts, index: index, retries: retries,
      model: a.model.map { intern($0) + 1 } ?? 0, error: a.error.map { keep($0) + 1 } ?? 0, firstMetric: firstMetric,
      metricCount: UInt16(a.assertions.count), outcome: UInt8(outcome), flags: flags)
  }

  /// `e`'s index in ``errors``: one kept before, or a new one.
  private mutating func keep(_ e: ProviderError) -> UInt32 {
    if let i = errorIndex[e] { return i }
    let i = UInt32(errors.count)
    let message = Self.keep(e.message, in: &errorText)
    errors.append(
      PackedError(
        message: message, retryAfterMs: e.retryAfterMs ?? 0, status: e.status.map { Int32($0) } ?? .min,
        kind: UInt8(ProviderError.Kind.allCases.firstIndex(of: e.kind) ?? 0), hasRetryAfter: e.retryAfterMs != nil))
    if errorIndex.count < Self.errorIndexLimit { errorIndex[e] = i }
    return i
  }

  /// `reason`'s index in ``reasons``: one kept before, or a new one.
  private mutating func keep(reason: String) -> UInt32 {
    if let i = reasonIndex[reason] { return i }
    let i = UInt32(reasons.count)
    reasons.append(reason)
    if reasonIndex.count < Self.errorIndexLimit { reasonIndex[reason] = i }
    return i
  }

  private func unpack(_ e: PackedError, scattered: Bool) -> ProviderError {
    ProviderError(
      ProviderError.Kind.allCases[Int(e.kind)], Self.string(at: e.message, in: errorText, scattered: scattered),
      status: e.status == .min ? nil : Int(e.status), retryAfterMs: e.hasRetryAfter ? e.retryAfterMs : nil)
  }

  private func unpack(_ a: Attempt, scattered: Bool) -> AttemptResult {
    let f = a.flags
    func n(_ t: Int32) -> Int? { t == Int32.min ? nil : Int(t) }
    var out = AttemptResult(
      index: Int(a.index), outcome: Outcome.allCases[Int(a.outcome)],
      model: a.model == 0 ? nil : strings[Int(a.model - 1)], latencyMs: a.latencyMs, retries: Int(a.retries),
      timeToFirstTokenMs: f.contains(.hasTTFT) ? a.timeToFirstTokenMs : nil,
      cost: f.contains(.hasCost) ? a.cost : nil,
      cached: f.contains(.cached) ? true : f.contains(.notCached) ? false : nil,
      score: f.contains(.hasScore) ? a.score : nil)
    if f.contains(.hasUsage) {
      var usage = Usage()
      usage.promptTokens = n(a.tokens.0)
      usage.completionTokens = n(a.tokens.1)
      usage.totalTokens = n(a.tokens.2)
      usage.cachedTokens = n(a.tokens.3)
      usage.reasoningTokens = n(a.tokens.4)
      out.usage = usage
    }
    out.tokensPerSecond = f.contains(.hasTPS) ? a.tokensPerSecond : nil
    if a.error > 0 { out.error = unpack(errors[Int(a.error - 1)], scattered: scattered) }
    if f.contains(.gradingFailed) { out.gradingFailed = true }
    if a.metricCount > 0 {
      out.assertions.reserveCapacity(Int(a.metricCount))
      metrics.withElements(in: Int(a.firstMetric)..<Int(a.firstMetric) + Int(a.metricCount), scattered: scattered) {
        for m in $0 {
          out.assertions.append(
            AssertionResult(
              packedType: strings[Int(m.type)], pass: m.pass, score: m.score, weight: m.weight,
              metric: strings[Int(m.metric)]))
        }
      }
    }
    return out
  }

  private mutating func intern(_ s: String) -> UInt32 {
    if let i = stringIndex[s] { return i }
    let i = UInt32(strings.count)
    strings.append(s)
    stringIndex[s] = i
    return i
  }

  private mutating func keep(_ s: String) -> Span { Self.keep(s, in: &text) }

  private func string(at span: Span) -> String { Self.string(at: span, in: text) }

  private static func keep(_ s: String, in text: inout PagedArray<UInt8>) -> Span {
    let offset = UInt32(text.count)
    text.append(contentsOf: s.utf8)
    return Span(offset: offset, length: UInt32(text.count) - offset)
  }

  private static func string(at span: Span, in text: PagedArray<UInt8>, scattered: Bool = false) -> String {
    text.withElements(in: Int(span.offset)..<Int(span.offset + span.length), scattered: scattered) {
      String(decoding: $0, as: UTF8.self)
    }
  }
}

extension CaseResult {
  /// A compacted case from its packed fields (``PackedCases``).
  fileprivate init(
    packedID id: CaseID, suite: String, file: String, line: Int?, title: String, prompt: String, provider: String,
    tags: [String], outcome: Outcome, score: Double?, repeatCount: Int, attempts: [AttemptResult], skipReason: String?
  ) {
    self.id = id
    self.suite = suite
    self.file = file
    self.line = line
    self.title = title
    testID = nil
    self.prompt = prompt
    self.provider = provider
    vars = [:]
    self.tags = tags
    metadata = [:]
    messages = []
    self.outcome = outcome
    self.score = score
    self.repeatCount = repeatCount
    self.attempts = attempts
    self.skipReason = skipReason
  }
}

extension AssertionResult {
  /// A named-metric score from its packed fields (``PackedCases``), as ``CaseResult/compacted()`` keeps it.
  fileprivate init(packedType type: String, pass: Bool, score: Double, weight: Double, metric: String) {
    self.type = type
    self.pass = pass
    self.score = score
    reason = ""
    self.weight = weight
    self.metric = metric
    line = nil
    children = nil
    error = nil
  }
}
