import Foundation

/// ISO 8601 timestamps in UTC, `2026-12-02T12:00:00Z` or with milliseconds `2026-12-02T12:00:00.123Z`, as
/// results.json, junit.xml and the history's records write them. Written by hand (civil-from-days arithmetic)
/// because Foundation's ISO 8601 styles and calendars look the current time zone up through ICU, whose code
/// and zone data a run otherwise never pages in (about 1.3 MB of a 1,000-case run's peak, docs/benchmarks.md
/// session 10); `UTCTimestampTests` holds it to Foundation's output. The calendar is Gregorian throughout, as
/// ISO 8601's is (Foundation switches to the Julian calendar before October 1582).
public enum UTCTimestamp {
  /// `date` to the second (rounded down): `2026-12-02T12:00:00Z`.
  public static func seconds(_ date: Date) -> String {
    text(seconds: Int64(date.timeIntervalSince1970.rounded(.down)), milliseconds: nil)
  }

  /// `date` to the nearest millisecond: `2026-12-02T12:00:00.123Z`.
  public static func milliseconds(_ date: Date) -> String {
    let ms = Int64((date.timeIntervalSince1970 * 1000).rounded())
    let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
    return text(seconds: seconds, milliseconds: Int(ms - seconds * 1000))
  }

  /// The date a timestamp names: `YYYY-MM-DDTHH:MM:SSZ`, optionally with a fraction of one to three digits
  /// before the `Z`; `nil` for anything else (another zone, a date that does not exist).
  public static func date(_ text: String) -> Date? {
    let b = Array(text.utf8)
    guard b.count >= 20, b.last == UInt8(ascii: "Z"), b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
      b[10] == UInt8(ascii: "T"), b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
      let year = number(b[0..<4]), let month = number(b[5..<7]), let day = number(b[8..<10]),
      let hour = number(b[11..<13]), let minute = number(b[14..<16]), let second = number(b[17..<19]),
      (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), hour < 24, minute < 60,
      second < 60
    else { return nil }
    var fraction = 0.0
    if b.count > 20 {
      let digits = b[20..<(b.count - 1)]
      guard b[19] == UInt8(ascii: "."), (1...3).contains(digits.count), let n = number(digits) else { return nil }
      fraction = Double(n) / pow(10, Double(digits.count))
    } else if b.count != 20 {
      return nil
    }
    let days = daysFromCivil(year: year, month: month, day: day)
    let whole = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    // Whole milliseconds exactly: a record's dates round-trip through their text.
    return Date(timeIntervalSince1970: (Double(whole) * 1000 + (fraction * 1000).rounded()) / 1000)
  }

  /// A `JSONEncoder` date strategy writing ``seconds(_:)`` (as `.iso8601` does) or ``milliseconds(_:)``.
  public static func encodingStrategy(milliseconds: Bool) -> JSONEncoder.DateEncodingStrategy {
    .custom { date, encoder in
      var container = encoder.singleValueContainer()
      try container.encode(milliseconds ? Self.milliseconds(date) : Self.seconds(date))
    }
  }

  /// A `JSONDecoder` date strategy reading what ``date(_:)`` reads.
  public static var decodingStrategy: JSONDecoder.DateDecodingStrategy {
    .custom { decoder in
      let text = try decoder.singleValueContainer().decode(String.self)
      guard let date = Self.date(text) else {
        throw DecodingError.dataCorrupted(
          .init(codingPath: decoder.codingPath, debugDescription: "not an ISO 8601 timestamp: \(text)"))
      }
      return date
    }
  }

  private static func text(seconds: Int64, milliseconds: Int?) -> String {
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let time = Int(seconds - days * 86_400)
    let (year, month, day) = civil(days: days)
    var out = pad(Int(year), 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
    out += pad(time / 3600, 2) + ":" + pad(time / 60 % 60, 2) + ":" + pad(time % 60, 2)
    if let milliseconds { out += "." + pad(milliseconds, 3) }
    return out + "Z"
  }

  private static func pad(_ n: Int, _ width: Int) -> String {
    let digits = String(n)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
  }

  private static func number(_ digits: some Collection<UInt8>) -> Int? {
    guard !digits.isEmpty else { return nil }
    var n = 0
    for d in digits {
      guard d >= UInt8(ascii: "0"), d <= UInt8(ascii: "9") else { return nil }
      n = n * 10 + Int(d - UInt8(ascii: "0"))
    }
    return n
  }

  private static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
  private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
    let y = Int64(month <= 2 ? year - 1 : year)
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = Int64((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1)
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// The proleptic Gregorian date `days` after 1970-01-01 (H. Hinnant's `civil_from_days`).
  private static func civil(days: Int64) -> (year: Int64, month: Int, day: Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    let day = Int(dayOfYear - (153 * mp + 2) / 5 + 1)
    let month = Int(mp < 10 ? mp + 3 : mp - 9)
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }
}
