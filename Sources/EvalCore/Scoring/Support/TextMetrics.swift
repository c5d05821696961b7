import Foundation

/// Text-overlap metrics that reproduce the packages papers cite: ROUGE-1/2/L F-measure as Google's
/// `rouge-score` computes it (its default tokenizer, no stemming), sentence BLEU as `sacrebleu`'s
/// `sentence_bleu` (13a tokenizer, exponential smoothing, effective order) and chrF as `sacrebleu`'s
/// `sentence_chrf` (character 6-grams, β = 2, whitespace removed). Strings are handled as Unicode scalars,
/// which is how Python indexes them. Scores are 0…1 (sacrebleu's 0…100 divided by 100).
public enum TextMetrics {
  // MARK: ROUGE

  /// rouge-score's tokens: the lowercased text's runs of ASCII letters and digits.
  public static func rougeTokens(_ text: String) -> [String] {
    var tokens: [String] = []
    var current = ""
    for scalar in text.lowercased().unicodeScalars {
      if (0x61...0x7A).contains(scalar.value) || (0x30...0x39).contains(scalar.value) {
        current.unicodeScalars.append(scalar)
      } else if !current.isEmpty {
        tokens.append(current)
        current = ""
      }
    }
    if !current.isEmpty { tokens.append(current) }
    return tokens
  }

  /// ROUGE-N F-measure of `prediction` against `reference`.
  public static func rougeN(_ n: Int, prediction: String, reference: String) -> Double {
    let target = ngrams(rougeTokens(reference), n)
    let predicted = ngrams(rougeTokens(prediction), n)
    let overlap = target.reduce(0) { $0 + min($1.value, predicted[$1.key] ?? 0) }
    let p = Double(overlap) / Double(max(predicted.values.reduce(0, +), 1))
    let r = Double(overlap) / Double(max(target.values.reduce(0, +), 1))
    return fMeasure(p, r)
  }

  /// ROUGE-L F-measure (longest common subsequence of tokens).
  public static func rougeL(prediction: String, reference: String) -> Double {
    let a = rougeTokens(reference)
    let b = rougeTokens(prediction)
    guard !a.isEmpty, !b.isEmpty else { return 0 }
    var previous = [Int](repeating: 0, count: b.count + 1)
    var row = previous
    for i in 1...a.count {
      for j in 1...b.count { row[j] = a[i - 1] == b[j - 1] ? previous[j - 1] + 1 : max(previous[j], row[j - 1]) }
      swap(&previous, &row)
    }
    let lcs = Double(previous[b.count])
    return fMeasure(lcs / Double(b.count), lcs / Double(a.count))
  }

  static func fMeasure(_ p: Double, _ r: Double) -> Double { p + r > 0 ? 2 * p * r / (p + r) : 0 }

  static func ngrams<T: Hashable>(_ items: [T], _ n: Int) -> [[T]: Int] {
    var out: [[T]: Int] = [:]
    guard n > 0, items.count >= n else { return out }
    for i in 0...(items.count - n) { out[Array(items[i..<(i + n)]), default: 0] += 1 }
    return out
  }

  // MARK: BLEU

  /// sacrebleu's 13a tokenizer (mteval-v13a), applied to the right-stripped line.
  public static func tokens13a(_ text: String) -> [String] {
    var line = text
    while let last = line.unicodeScalars.last, last.properties.isWhitespace { line.unicodeScalars.removeLast() }
    line = line.replacingOccurrences(of: "<skipped>", with: "").replacingOccurrences(of: "-\n", with: "")
      .replacingOccurrences(of: "\n", with: " ")
    if line.contains("&") {
      line = line.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
        .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
    }
    var s = Array((" " + line + " ").unicodeScalars)
    // ([\{-\~\[-\` -\&\(-\+\:-\@\/]) → " \1 "
    s = s.flatMap { c -> [Unicode.Scalar] in
      let v = c.value
      let punct =
        (0x7B...0x7E).contains(v) || (0x5B...0x60).contains(v) || (0x20...0x26).contains(v)
        || (0x28...0x2B).contains(v) || (0x3A...0x40).contains(v) || v == 0x2F
      return punct ? [" ", c, " "] : [c]
    }
    let digit = { (c: Unicode.Scalar) in (0x30...0x39).contains(c.value) }
    let periodOrComma = { (c: Unicode.Scalar) in c == "." || c == "," }
    // ([^0-9])([\.,]) → "\1 \2 "; ([\.,])([^0-9]) → " \1 \2"; ([0-9])(-) → "\1 \2 "
    s = substitutePairs(s, first: { !digit($0) }, second: periodOrComma) { [$0, " ", $1, " "] }
    s = substitutePairs(s, first: periodOrComma, second: { !digit($0) }) { [" ", $0, " ", $1] }
    s = substitutePairs(s, first: digit, second: { $0 == "-" }) { [$0, " ", $1, " "] }
    var view = String.UnicodeScalarView()
    view.append(contentsOf: s)
    return String(view).split(whereSeparator: { $0.unicodeScalars.allSatisfy(\.properties.isWhitespace) }).map(
      String.init)
  }

  /// Python's `re.sub` for a two-character pattern: leftmost, non-overlapping matches.
  static func substitutePairs(
    _ s: [Unicode.Scalar], first: (Unicode.Scalar) -> Bool, second: (Unicode.Scalar) -> Bool,
    replacement: (Unicode.Scalar, Unicode.Scalar) -> [Unicode.Scalar]
  ) -> [Unicode.Scalar] {
    var out: [Unicode.Scalar] = []
    out.reserveCapacity(s.count + 16)
    var i = 0
    while i < s.count {
      if i + 1 < s.count, first(s[i]), second(s[i + 1]) {
        out += replacement(s[i], s[i + 1])
        i += 2
      } else {
        out.append(s[i])
        i += 1
      }
    }
    return out
  }

  /// sacrebleu's `sentence_bleu(prediction, [reference])`, 0…1.
  public static func bleu(prediction: String, reference: String) -> Double {
    let hyp = tokens13a(prediction)
    let ref = tokens13a(reference)
    var correct = [Int](repeating: 0, count: 4)
    var total = [Int](repeating: 0, count: 4)
    for n in 1...4 {
      let r = ngrams(ref, n)
      for (gram, count) in ngrams(hyp, n) {
        total[n - 1] += count
        correct[n - 1] += min(count, r[gram] ?? 0)
      }
    }
    guard correct.contains(where: { $0 > 0 }) else { return 0 }
    let brevity = hyp.count < ref.count ? (hyp.isEmpty ? 0 : exp(1 - Double(ref.count) / Double(hyp.count))) : 1
    var precisions = [Double](repeating: 0, count: 4)
    var smooth = 1.0
    var order = 4
    for n in 1...4 {
      if total[n - 1] == 0 { break }
      order = n  // effective order: orders the hypothesis has
      if correct[n - 1] == 0 {
        smooth *= 2
        precisions[n - 1] = 100 / (smooth * Double(total[n - 1]))
      } else {
        precisions[n - 1] = 100 * Double(correct[n - 1]) / Double(total[n - 1])
      }
    }
    let logs = precisions.prefix(order).reduce(0.0) { $0 + ($1 == 0 ? -9_999_999_999 : log($1)) }
    return brevity * exp(logs / Double(order)) / 100
  }

  // MARK: chrF

  /// sacrebleu's `sentence_chrf(prediction, [reference])`, 0…1.
  public static func chrF(prediction: String, reference: String, order: Int = 6, beta: Double = 2) -> Double {
    let squeeze = { (t: String) in t.unicodeScalars.filter { !$0.properties.isWhitespace } }
    let hyp = Array(squeeze(prediction))
    let ref = Array(squeeze(reference))
    var precision = 0.0
    var recall = 0.0
    var effective = 0
    for n in 1...order {
      let h = ngrams(hyp, n)
      let r = ngrams(ref, n)
      let hypCount = h.values.reduce(0, +)
      let refCount = r.values.reduce(0, +)
      guard hypCount > 0, refCount > 0 else { continue }
      let matches = h.reduce(0) { $0 + min($1.value, r[$1.key] ?? 0) }
      precision += Double(matches) / Double(hypCount)
      recall += Double(matches) / Double(refCount)
      effective += 1
    }
    guard effective > 0 else { return 0 }
    precision /= Double(effective)
    recall /= Double(effective)
    let factor = beta * beta
    guard precision + recall > 0 else { return 0 }
    return (1 + factor) * precision * recall / (factor * precision + recall)
  }
}
