import Foundation

/// Reads how long a server asks the client to wait from its response headers. Every malformed value is
/// ignored rather than trusted.
///
/// Understood, in order of preference: `retry-after-ms` (milliseconds), `Retry-After` (seconds, or an
/// HTTP-date), OpenAI's `x-ratelimit-reset-requests` / `x-ratelimit-reset-tokens` (Go-style durations
/// such as `6m0s`, `1s`, `20ms`, `1m30.5s`; the longer of the two), and Anthropic's
/// `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-reset` (RFC 3339 times).
public enum RetryHint {
  /// The wait the headers ask for, or `nil`. Header names are matched case-insensitively.
  /// - Parameter now: the current time, for dates (passed in so parsing stays pure).
  public static func delay(headers: [(String, String)], now: Date) -> Duration? {
    var byName: [String: String] = [:]
    for (name, value) in headers { byName[name.lowercased()] = value.trimmingCharacters(in: .whitespaces) }
    if let ms = byName["retry-after-ms"].flatMap(Double.init), ms >= 0, ms.isFinite {
      return .milliseconds(Int64(ms))
    }
    if let value = byName["retry-after"], let d = retryAfter(value, now: now) { return d }
    let openAI = ["x-ratelimit-reset-requests", "x-ratelimit-reset-tokens"].compactMap {
      byName[$0].flatMap(goDuration)
    }
    if let longest = openAI.max() { return longest }
    let anthropic = ["requests", "tokens", "input-tokens", "output-tokens"]
      .compactMap { byName["anthropic-ratelimit-\($0)-reset"].flatMap { rfc3339($0) } }
      .map { max(.zero, Duration.seconds($0.timeIntervalSince(now))) }
    return anthropic.max()
  }

  /// `Retry-After`: delay-seconds (a non-negative integer; fractions accepted) or an IMF-fixdate.
  public static func retryAfter(_ value: String, now: Date) -> Duration? {
    if let seconds = Double(value), seconds >= 0, seconds.isFinite { return .milliseconds(Int64(seconds * 1000)) }
    guard let date = httpDate(value) else { return nil }
    return max(.zero, .milliseconds(Int64(date.timeIntervalSince(now) * 1000)))
  }

  /// A Go `time.Duration` string: one or more `<number><unit>` with units h, m, s, ms, us/µs, ns.
  public static func goDuration(_ text: String) -> Duration? {
    var rest = Substring(text)
    guard !rest.isEmpty else { return nil }
    var total = 0.0
    while !rest.isEmpty {
      let number = rest.prefix { $0.isNumber || $0 == "." }
      guard !number.isEmpty, let value = Double(number) else { return nil }
      rest = rest.dropFirst(number.count)
      let unit = rest.prefix { $0.isLetter || $0 == "µ" }
      rest = rest.dropFirst(unit.count)
      switch unit {
      case "h": total += value * 3600
      case "m": total += value * 60
      case "s": total += value
      case "ms": total += value / 1e3
      case "us", "µs": total += value / 1e6
      case "ns": total += value / 1e9
      default: return nil
      }
    }
    return .milliseconds(Int64((total * 1000).rounded()))
  }

  /// An HTTP-date in the preferred IMF-fixdate form: `Sun, 06 Nov 1994 08:49:37 GMT`.
  public static func httpDate(_ text: String) -> Date? {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
    return formatter.date(from: text)
  }

  /// An RFC 3339 timestamp, with or without fractional seconds.
  public static func rfc3339(_ text: String) -> Date? {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    if let d = formatter.date(from: text) { return d }
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.date(from: text)
  }
}
