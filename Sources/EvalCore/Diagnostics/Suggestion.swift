import Foundation

/// Finds the nearest known name for a misspelt one ("did you mean …?").
public enum Suggestion {
  /// The closest candidate within a distance that still looks like a typo, or `nil`.
  public static func nearest(to name: String, in candidates: some Sequence<String>) -> String? {
    let lowered = name.lowercased()
    var best: (String, Int)?
    for candidate in candidates {
      let d = EditDistance.levenshtein(lowered, candidate.lowercased())
      if let current = best, current.1 <= d { continue }
      best = (candidate, d)
    }
    guard let (candidate, distance) = best else { return nil }
    let limit = max(2, max(name.count, candidate.count) / 3)
    return distance <= limit ? candidate : nil
  }

  /// `"; did you mean 'x'?"` or an empty string.
  public static func didYouMean(_ name: String, in candidates: some Sequence<String>) -> String {
    nearest(to: name, in: candidates).map { "; did you mean '\($0)'?" } ?? ""
  }
}
