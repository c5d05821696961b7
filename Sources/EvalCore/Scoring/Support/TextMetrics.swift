// Hand-written: no listed Swift package implements ROUGE, BLEU or chrF. This follows the reference packages'
// Python source line by line: rouge-score 0.1.2 (`tokenize.py`, `rouge_scorer.py`) and sacrebleu 2.6.0
// (`tokenizers/tokenizer_13a.py`, `tokenizer_re.py`, `metrics/bleu.py`, `metrics/chrf.py`, `metrics/helpers.py`).
import Foundation

/// Text-overlap metrics that reproduce the packages papers cite: ROUGE-1/2/L F-measure as Google's
/// `rouge-score` computes it (its default tokenizer, no stemming), sentence BLEU as `sacrebleu`'s
/// `sentence_bleu` (13a tokenizer, exponential smoothing, effective order, several references merged) and chrF
/// as `sacrebleu`'s `sentence_chrf` (character 6-grams, β = 2, whitespace removed, the best reference).
///
/// Texts are compared as Python compares `str`s: as sequences of Unicode scalars (code points), never under
/// canonical equivalence (`é` and `e` + U+0301 are different text, as are the Ångström sign and `Å`), and
/// "whitespace" is Python's `str.isspace()` set (``isPythonWhitespace(_:)``). Scores are 0…1 (sacrebleu's
/// 0…100 divided by 100). Every metric is linear in the texts' lengths except ROUGE-L, which is
/// O(n·⌈m/64⌉) and bounded by ``EditDistance/stepLimit``.
public enum TextMetrics {
  // MARK: Python's text model

  /// Whether Python's `str.isspace()` holds for `scalar`: the separators of `str.split()` and what
  /// `str.rstrip()` strips, which the reference packages use. Unicode's White_Space property (Swift's
  /// `properties.isWhitespace`) lacks U+001C…U+001F. The 29 scalars were computed with Python 3.11.7
  /// (Unicode 14.0.0): `[hex(c) for c in range(0x110000) if chr(c).isspace()]`.
  public static func isPythonWhitespace(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
      true
    default: false
    }
  }

  /// Python's `text.split()`: the runs of scalars between whitespace, as ranges of `scalars`.
  static func pythonSplit(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
    var ranges: [Range<Int>] = []
    var start: Int?
    for (i, scalar) in scalars.enumerated() {
      if isPythonWhitespace(scalar) {
        if let s = start { ranges.append(s..<i) }
        start = nil
      } else if start == nil {
        start = i
      }
    }
    if let s = start { ranges.append(s..<scalars.count) }
    return ranges
  }

  /// `str.replace(pattern, replacement)` on scalars: leftmost, non-overlapping.
  static func replacing(
    _ pattern: String, with replacement: String, in s: [Unicode.Scalar]
  ) -> [Unicode.Scalar] {
    let p = Array(pattern.unicodeScalars)
    let r = Array(replacement.unicodeScalars)
    guard let first = p.first, s.contains(first) else { return s }
    var out: [Unicode.Scalar] = []
    out.reserveCapacity(s.count)
    var i = 0
    while i < s.count {
      if s[i] == first, i + p.count <= s.count, s[i..<(i + p.count)].elementsEqual(p) {
        out += r
        i += p.count
      } else {
        out.append(s[i])
        i += 1
      }
    }
    return out
  }

  // MARK: ROUGE

  /// rouge-score's tokens: Python's `text.lower()`, then the runs of `[a-z0-9]`. Only three kinds of scalar
  /// lowercase to those: ASCII letters and digits, U+212A KELVIN SIGN (to `k`) and U+0130 (to `i` + U+0307,
  /// which ends the token), computed with Python 3.11.7: every `c` whose `chr(c).lower()` contains one of
  /// `a-z0-9`.
  public static func rougeTokens(_ text: String) -> [String] {
    let (bytes, ranges) = rougeTokenBytes(text)
    return ranges.map { String(decoding: bytes[$0], as: UTF8.self) }
  }

  static func rougeTokenBytes(_ text: String) -> (bytes: [UInt8], tokens: [Range<Int>]) {
    var bytes: [UInt8] = []
    var ranges: [Range<Int>] = []
    var start: Int?
    func end() {
      if let s = start { ranges.append(s..<bytes.count) }
      start = nil
    }
    func append(_ byte: UInt8) {
      if start == nil { start = bytes.count }
      bytes.append(byte)
    }
    for scalar in text.unicodeScalars {
      switch scalar.value {
      case 0x30...0x39, 0x61...0x7A: append(UInt8(scalar.value))
      case 0x41...0x5A: append(UInt8(scalar.value + 0x20))
      case 0x212A: append(0x6B)  // "K".lower() == "k"
      case 0x130:  // "İ".lower() == "i\u{307}"
        append(0x69)
        end()
      default: end()
      }
    }
    end()
    return (bytes, ranges)
  }

  static func rougeIDs(_ text: String, _ vocabulary: inout NGramTable.Vocabulary<ArraySlice<UInt8>>) -> [UInt32] {
    let (bytes, ranges) = rougeTokenBytes(text)
    return ranges.map { vocabulary.id(bytes[$0]) }
  }

  /// ROUGE-N F-measure of `prediction` against `reference` (rouge-score's `score(reference, prediction)`).
  public static func rougeN(_ n: Int, prediction: String, reference: String) -> Double {
    guard n > 0 else { return 0 }
    var vocabulary = NGramTable.Vocabulary<ArraySlice<UInt8>>()
    let target = rougeIDs(reference, &vocabulary)
    let predicted = rougeIDs(prediction, &vocabulary)
    let overlap = NGramTable.overlap(target, predicted, maxOrder: n)[n - 1]
    let p = Double(overlap) / Double(max(NGramTable.count(length: predicted.count, order: n), 1))
    let r = Double(overlap) / Double(max(NGramTable.count(length: target.count, order: n), 1))
    return fMeasure(p, r)
  }

  /// ROUGE-L F-measure (longest common subsequence of tokens), or `nil` when the texts are too long to compare
  /// within ``EditDistance/stepLimit`` (⌈m/64⌉·n steps, m the shorter's token count and n the longer's tokens
  /// that occur in it).
  public static func rougeL(prediction: String, reference: String) -> Double? {
    var vocabulary = NGramTable.Vocabulary<ArraySlice<UInt8>>()
    let target = rougeIDs(reference, &vocabulary)
    let predicted = rougeIDs(prediction, &vocabulary)
    guard !target.isEmpty, !predicted.isEmpty else { return 0 }
    guard let lcs = EditDistance.longestCommonSubsequence(target, predicted) else { return nil }
    return fMeasure(Double(lcs) / Double(predicted.count), Double(lcs) / Double(target.count))
  }

  /// ROUGE-N F-measure against the best of `references` (rouge-score's `score_multi`); none score 0.
  public static func rougeN(_ n: Int, prediction: String, references: [String]) -> Double {
    references.map { rougeN(n, prediction: prediction, reference: $0) }.max() ?? 0
  }

  /// ROUGE-L F-measure against the best of `references` (rouge-score's `score_multi`), or `nil` when one of
  /// them is too long to compare.
  public static func rougeL(prediction: String, references: [String]) -> Double? {
    var best = 0.0
    for reference in references {
      guard let value = rougeL(prediction: prediction, reference: reference) else { return nil }
      best = max(best, value)
    }
    return best
  }

  static func fMeasure(_ p: Double, _ r: Double) -> Double { p + r > 0 ? 2 * p * r / (p + r) : 0 }

  // MARK: BLEU

  /// sacrebleu's 13a tokenizer (mteval-v13a) applied to the right-stripped line, as `sentence_bleu` does.
  public static func tokens13a(_ text: String) -> [String] {
    let (scalars, ranges) = tokenize13a(text)
    return ranges.map { range in
      var view = String.UnicodeScalarView()
      view.append(contentsOf: scalars[range])
      return String(view)
    }
  }

  /// The 13a tokens as ranges of the tokenized scalars.
  static func tokenize13a(_ text: String) -> (scalars: [Unicode.Scalar], tokens: [Range<Int>]) {
    var line = Array(text.unicodeScalars)
    while let last = line.last, isPythonWhitespace(last) { line.removeLast() }  // sent.rstrip()
    line = replacing("<skipped>", with: "", in: line)
    line = replacing("-\n", with: "", in: line)
    line = replacing("\n", with: " ", in: line)
    if line.contains("&") {
      for (entity, character) in [("&quot;", "\""), ("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">")] {
        line = replacing(entity, with: character, in: line)
      }
    }
    // ([\{-\~\[-\` -\&\(-\+\:-\@\/]) → " \1 ", on f" {line} "
    var s: [Unicode.Scalar] = [" "]
    s.reserveCapacity(line.count * 2 + 2)
    for c in line {
      let v = c.value
      let punctuation =
        (0x7B...0x7E).contains(v) || (0x5B...0x60).contains(v) || (0x20...0x26).contains(v)
        || (0x28...0x2B).contains(v) || (0x3A...0x40).contains(v) || v == 0x2F
      if punctuation {
        s.append(" ")
        s.append(c)
        s.append(" ")
      } else {
        s.append(c)
      }
    }
    s.append(" ")
    let digit = { (c: Unicode.Scalar) in (0x30...0x39).contains(c.value) }
    let periodOrComma = { (c: Unicode.Scalar) in c == "." || c == "," }
    // ([^0-9])([\.,]) → "\1 \2 "; ([\.,])([^0-9]) → " \1 \2"; ([0-9])(-) → "\1 \2 "
    s = substitutePairs(s, first: { !digit($0) }, second: periodOrComma, spaceFirst: false)
    s = substitutePairs(s, first: periodOrComma, second: { !digit($0) }, spaceFirst: true)
    s = substitutePairs(s, first: digit, second: { $0 == "-" }, spaceFirst: false)
    return (s, pythonSplit(s))
  }

  /// Python's `re.sub` for a two-character pattern, leftmost and non-overlapping matches: `(a)(b)` becomes
  /// `" \1 \2"` when `spaceFirst`, else `"\1 \2 "`.
  static func substitutePairs(
    _ s: [Unicode.Scalar], first: (Unicode.Scalar) -> Bool, second: (Unicode.Scalar) -> Bool, spaceFirst: Bool
  ) -> [Unicode.Scalar] {
    var out: [Unicode.Scalar] = []
    out.reserveCapacity(s.count + s.count / 4)
    var i = 0
    while i < s.count {
      if i + 1 < s.count, first(s[i]), second(s[i + 1]) {
        if spaceFirst { out.append(" ") }
        out.append(s[i])
        out.append(" ")
        out.append(s[i + 1])
        if !spaceFirst { out.append(" ") }
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
    bleu(prediction: prediction, references: [reference])
  }

  /// sacrebleu's `sentence_bleu(prediction, references)`, 0…1: the references' n-gram counts merged (each
  /// n-gram's largest count in any one reference) and the reference length closest to the prediction's
  /// (the shorter on a tie). No references score 0.
  public static func bleu(prediction: String, references: [String]) -> Double {
    guard !references.isEmpty else { return 0 }
    var vocabulary = NGramTable.Vocabulary<ArraySlice<Unicode.Scalar>>()
    func ids(_ text: String) -> [UInt32] {
      let (scalars, ranges) = tokenize13a(text)
      return ranges.map { vocabulary.id(scalars[$0]) }
    }
    var table = NGramTable(maxOrder: 4)
    var referenceLengths: [Int] = []
    for reference in references {
      let tokens = ids(reference)
      referenceLengths.append(tokens.count)
      table.addMaxCounts(tokens)
    }
    let hyp = ids(prediction)
    let correct = table.matches(hyp)
    let total = (1...4).map { NGramTable.count(length: hyp.count, order: $0) }
    // _get_closest_ref_len
    var refLength = referenceLengths[0]
    for length in referenceLengths {
      let (d, best) = (abs(hyp.count - length), abs(hyp.count - refLength))
      if d < best || (d == best && length < refLength) { refLength = length }
    }
    guard correct.contains(where: { $0 > 0 }) else { return 0 }
    let brevity = hyp.count < refLength ? exp(1 - Double(refLength) / Double(hyp.count)) : 1
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
    chrF(prediction: prediction, references: [reference], order: order, beta: beta)
  }

  /// sacrebleu's `sentence_chrf(prediction, references)`, 0…1: the best reference's score. Character n-grams
  /// are of Unicode scalars, after removing Python whitespace (`"".join(line.split())`).
  public static func chrF(prediction: String, references: [String], order: Int = 6, beta: Double = 2) -> Double {
    let squeeze = { (text: String) in text.unicodeScalars.filter { !isPythonWhitespace($0) }.map(\.value) }
    let hyp = squeeze(prediction)
    return references.map { chrF(hyp, squeeze($0), order: order, beta: beta) }.max() ?? 0
  }

  static func chrF(_ hyp: [UInt32], _ ref: [UInt32], order: Int, beta: Double) -> Double {
    guard order > 0 else { return 0 }
    let matches = NGramTable.overlap(hyp, ref, maxOrder: order)
    var precision = 0.0
    var recall = 0.0
    var effective = 0
    for n in 1...order {
      let hypCount = NGramTable.count(length: hyp.count, order: n)
      let refCount = NGramTable.count(length: ref.count, order: n)
      guard hypCount > 0, refCount > 0 else { continue }
      precision += Double(matches[n - 1]) / Double(hypCount)
      recall += Double(matches[n - 1]) / Double(refCount)
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
