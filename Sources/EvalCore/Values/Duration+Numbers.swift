extension Duration {
  /// The duration in seconds, as a `Double` (attosecond precision folded in).
  public var inSeconds: Double {
    let (s, atto) = components
    return Double(s) + Double(atto) / 1e18
  }

  /// The duration in milliseconds, as a `Double`.
  public var inMilliseconds: Double {
    let (s, atto) = components
    return Double(s) * 1000 + Double(atto) / 1e15
  }
}
