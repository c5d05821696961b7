/// Means and medians, written once for the statistics and the verdict.
public enum Descriptive {
  /// The arithmetic mean; `nil` for no values.
  public static func mean(_ x: [Double]) -> Double? { x.isEmpty ? nil : x.reduce(0, +) / Double(x.count) }

  /// The median (the mean of the middle two for an even count); `nil` for no values.
  public static func median(_ x: [Double]) -> Double? {
    let s = x.sorted()
    guard !s.isEmpty else { return nil }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
  }
}
