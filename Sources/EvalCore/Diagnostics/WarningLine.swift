import Foundation

/// A recorded warning (results.json's `warnings`, `<location>: <message>` when it has a place) printed the
/// way compilers print them: `file:line:col: warning: message`, else `warning: message`.
public enum WarningLine {
  /// The line to print for `warning` (without the newline).
  public static func text(_ warning: String) -> String {
    // A location is a path followed by `:line` and optionally `:column`, then `: `.
    if let match = warning.firstMatch(of: #/^([^\s:][^:\n]*:[0-9]+(?::[0-9]+)?): /#) {
      return "\(match.1): warning: " + warning[match.range.upperBound...]
    }
    return "warning: " + warning
  }
}
