import EvalCore

/// Writes one ``CaseResult`` as the same bytes as `JSONEncoder` with `.sortedKeys` and
/// `.withoutEscapingSlashes` (the `results.jsonl` line format), about five times faster: a run writes one
/// line per case as it finishes, and a 10,000-case cached re-run spent a quarter of its CPU in
/// `JSONEncoder`. `CaseResultJSONTests` holds it to `JSONEncoder`'s output, field for field, so a field
/// added to a result type without a line here fails a test.
struct CaseResultJSON {
  private var w = JSONWriter()

  /// The line for `result`, without the newline.
  static func encode(_ result: CaseResult) -> [UInt8] {
    var json = CaseResultJSON()
    json.w.bytes.reserveCapacity(1024)
    json.caseResult(result)
    return json.w.bytes
  }

  private mutating func caseResult(_ r: CaseResult) {
    var o = ObjectWriter()
    o.key("attempts", &self)
    array(r.attempts) { $0.attempt($1) }
    o.key("file", &self)
    string(r.file)
    o.key("id", &self)
    string(r.id.rawValue)
    if let line = r.line { o.key("line", &self); int(line) }
    o.key("messages", &self)
    array(r.messages) { $0.message($1) }
    o.key("metadata", &self)
    value(.object(r.metadata))
    o.key("outcome", &self)
    string(r.outcome.rawValue)
    o.key("prompt", &self)
    string(r.prompt)
    o.key("provider", &self)
    string(r.provider)
    o.key("repeatCount", &self)
    int(r.repeatCount)
    if let score = r.score { o.key("score", &self); double(score) }
    if let reason = r.skipReason { o.key("skipReason", &self); string(reason) }
    o.key("suite", &self)
    string(r.suite)
    o.key("tags", &self)
    array(r.tags) { $0.string($1) }
    if let testID = r.testID { o.key("testID", &self); string(testID) }
    o.key("title", &self)
    string(r.title)
    o.key("vars", &self)
    value(.object(r.vars))
    o.close(&self)
  }

  private mutating func attempt(_ a: AttemptResult) {
    var o = ObjectWriter()
    o.key("assertions", &self)
    array(a.assertions) { $0.assertion($1) }
    if let cached = a.cached { o.key("cached", &self); bool(cached) }
    if let ids = a.contextIDs { o.key("contextIDs", &self); array(ids) { $0.string($1) } }
    if let cost = a.cost { o.key("cost", &self); double(cost) }
    if let error = a.error { o.key("error", &self); providerError(error) }
    if let reason = a.finishReason { o.key("finishReason", &self); string(reason) }
    o.key("index", &self)
    int(a.index)
    o.key("latencyMs", &self)
    double(a.latencyMs)
    if let model = a.model { o.key("model", &self); string(model) }
    o.key("outcome", &self)
    string(a.outcome.rawValue)
    if let output = a.output { o.key("output", &self); string(output) }
    o.key("retries", &self)
    int(a.retries)
    if let score = a.score { o.key("score", &self); double(score) }
    if let ttft = a.timeToFirstTokenMs { o.key("timeToFirstTokenMs", &self); double(ttft) }
    if let tps = a.tokensPerSecond { o.key("tokensPerSecond", &self); double(tps) }
    if let usage = a.usage { o.key("usage", &self); self.usage(usage) }
    o.close(&self)
  }

  private mutating func assertion(_ a: AssertionResult) {
    var o = ObjectWriter()
    if let children = a.children { o.key("children", &self); array(children) { $0.assertion($1) } }
    if let line = a.line { o.key("line", &self); int(line) }
    if let metric = a.metric { o.key("metric", &self); string(metric) }
    o.key("pass", &self)
    bool(a.pass)
    o.key("reason", &self)
    string(a.reason)
    o.key("score", &self)
    double(a.score)
    o.key("type", &self)
    string(a.type)
    o.key("weight", &self)
    double(a.weight)
    o.close(&self)
  }

  private mutating func providerError(_ e: ProviderError) {
    var o = ObjectWriter()
    o.key("kind", &self)
    string(e.kind.rawValue)
    o.key("message", &self)
    string(e.message)
    if let ms = e.retryAfterMs { o.key("retryAfterMs", &self); double(ms) }
    if let status = e.status { o.key("status", &self); int(status) }
    o.close(&self)
  }

  private mutating func usage(_ u: Usage) {
    var o = ObjectWriter()
    if let n = u.cachedTokens { o.key("cachedTokens", &self); int(n) }
    if let n = u.completionTokens { o.key("completionTokens", &self); int(n) }
    if let n = u.promptTokens { o.key("promptTokens", &self); int(n) }
    if let n = u.reasoningTokens { o.key("reasoningTokens", &self); int(n) }
    if let n = u.totalTokens { o.key("totalTokens", &self); int(n) }
    o.close(&self)
  }

  private mutating func message(_ m: ChatMessage) {
    var o = ObjectWriter()
    o.key("content", &self)
    string(m.content)
    o.key("role", &self)
    string(m.role)
    o.close(&self)
  }

  /// A ``JSONValue`` as its `Codable` conformance encodes it: whole numbers below 10¹⁵ as integers.
  private mutating func value(_ v: JSONValue) {
    switch v {
    case .null: w.raw("null".utf8)
    case .bool(let b): bool(b)
    case .number(let n):
      if n == n.rounded(), abs(n) < 1e15 { w.int(Int(n)) } else { double(n) }
    case .bigInteger: w.raw(v.canonicalJSON.utf8)
    case .string(let s): string(s)
    case .array(let items): array(items) { $0.value($1) }
    case .object(let members):
      var o = ObjectWriter()
      for (key, member) in members.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
        o.key(member: key, &self)
        value(member)
      }
      o.close(&self)
    }
  }

  private mutating func array<T>(_ items: [T], _ element: (inout CaseResultJSON, T) -> Void) {
    w.raw(UInt8(ascii: "["))
    for (i, item) in items.enumerated() {
      if i > 0 { w.raw(UInt8(ascii: ",")) }
      element(&self, item)
    }
    w.raw(UInt8(ascii: "]"))
  }

  private mutating func int(_ n: Int) { w.int(n) }
  private mutating func bool(_ b: Bool) { w.bool(b) }
  private mutating func double(_ d: Double) { w.double(d) }
  mutating func string(_ s: String) { w.string(s) }
}

/// ``JSONWriter/Object`` over a ``CaseResultJSON``.
private struct ObjectWriter {
  private var object = JSONWriter.Object()

  /// A field's name: a literal, written as it is.
  mutating func key(_ name: StaticString, _ json: inout CaseResultJSON) {
    json.withWriter { object.key(literal: name, &$0) }
  }
  /// A member's name (vars, metadata), escaped as a string.
  mutating func key(member name: String, _ json: inout CaseResultJSON) { json.withWriter { object.key(name, &$0) } }
  mutating func close(_ json: inout CaseResultJSON) { json.withWriter { object.close(&$0) } }
}

extension CaseResultJSON {
  fileprivate mutating func withWriter(_ body: (inout JSONWriter) -> Void) { body(&w) }
}
