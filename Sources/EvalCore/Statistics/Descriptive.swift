/// Means, medians and percentiles, written once for the statistics, run summaries and the verdict.
public enum Descriptive {
  /// The arithmetic mean; `nil` for no values.
  public static func mean(_ x: [Double]) -> Double? { x.isEmpty ? nil : x.reduce(0, +) / Double(x.count) }

  /// The median (the mean of the middle two for an even count); `nil` for no values.
  public static func median(_ x: [Double]) -> Double? { median(sorted: x.sorted()) }

  /// The median of sorted values (the mean of the middle two for an even count); `nil` for no values.
  public static func median(sorted s: [Double]) -> Double? {
    guard !s.isEmpty else { return nil }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
  }

  /// The nearest-rank percentile (`p` in 0…1) of sorted values; `nil` for no values.
  public static func percentile(_ sorted: [Double], _ p: Double) -> Double? {
    guard !sorted.isEmpty else { return nil }
    let rank = Int((p * Double(sorted.count)).rounded(.up))
    return sorted[min(max(rank, 1), sorted.count) - 1]
  }
}
