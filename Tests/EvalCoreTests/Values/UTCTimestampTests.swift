import EvalCore
import Foundation
import Testing

/// Held to Foundation's ISO 8601 formatting and parsing, which it replaces on a run's path.
struct UTCTimestampTests {
  @Test func formatsAsFoundationDoes() {
    var random = SplitMix64(seed: 11)
    // From 1583 (Foundation's calendar is Julian before October 1582; ISO 8601's, like this one, is Gregorian
    // throughout) to 9999, whole seconds and fractions, either side of 1970.
    let first = -12_212_553_600.0
    let last = 253_402_300_799.0
    var dates = [0, -1, -0.0005, 0.0005, 951_782_400, 951_868_799.999, 1_790_000_000.123_456].map {
      Date(timeIntervalSince1970: $0)
    }
    for _ in 0..<5_000 {
      let t = first + Double(random.next() % UInt64(last - first))
      dates.append(Date(timeIntervalSince1970: t + Double(random.next() % 1000) / 1000))
    }
    for date in dates {
      let whole = Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
      #expect(UTCTimestamp.seconds(date) == Date.ISO8601FormatStyle().format(whole), "\(date.timeIntervalSince1970)")
      let ms = Int64((date.timeIntervalSince1970 * 1000).rounded())
      let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
      let expected =
        String(Date.ISO8601FormatStyle().format(Date(timeIntervalSince1970: Double(seconds))).dropLast())
        + String(format: ".%03dZ", Int(ms - seconds * 1000))
      #expect(UTCTimestamp.milliseconds(date) == expected)
      // Read back to the same text (a `Date` holds its time from 2001, so seconds since 1970 may differ in the
      // last bits).
      #expect(UTCTimestamp.date(expected).map(UTCTimestamp.milliseconds) == expected)
      #expect(UTCTimestamp.date(UTCTimestamp.seconds(date)).map(UTCTimestamp.seconds) == UTCTimestamp.seconds(date))
    }
  }

  @Test func readsFractionsAndRejectsWhatIsNotATimestamp() {
    #expect(UTCTimestamp.date("2026-12-02T12:00:00.5Z")?.timeIntervalSince1970 == 1_796_212_800.5)
    #expect(UTCTimestamp.date("2024-02-29T23:59:59Z") != nil)
    for bad in [
      "", "2026-12-02T12:00:00", "2026-12-02 12:00:00Z", "2026-12-02T12:00:00+01:00", "2026-02-29T00:00:00Z",
      "2026-13-01T00:00:00Z", "2026-12-32T00:00:00Z", "2026-12-02T24:00:00Z", "2026-12-02T12:60:00Z",
      "2026-12-02T12:00:60Z", "2026-12-02T12:00:00.Z", "2026-12-02T12:00:00.1234Z", "2026-12-02T12:00:0aZ",
      "２026-12-02T12:00:00Z", "-026-12-02T12:00:00Z",
    ] {
      #expect(UTCTimestamp.date(bad) == nil, "\(bad)")
    }
  }
}
