import Foundation

/// Durations as people write them in config and flags: `30s`, `500ms`, `2m`, `1h`, `14d`, or bare seconds.
public enum DurationText {
  /// The duration, or `nil` when the text is not a positive duration.
  public static func parse(_ text: String) -> Duration? {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    let units: [(String, Double)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
    for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
      if let n = Double(trimmed.dropLast(suffix.count)), n > 0 { return .milliseconds(Int64(n * factor)) }
    }
    return Double(trimmed).flatMap { $0 > 0 ? .milliseconds(Int64($0 * 1000)) : nil }
  }
}
