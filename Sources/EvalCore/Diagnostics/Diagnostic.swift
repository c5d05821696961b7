import Foundation

/// A user-facing error with a location, printed the way compilers print them:
/// `suites/chat.yaml:14:7: error: unknown assertion type 'contians'; did you mean 'contains'?`
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
  /// Where the problem is, when known.
  public var location: SourceLocation?
  /// One line saying what is wrong.
  public var message: String
  /// Extra lines (hints), printed after the message as `note:` lines.
  public var notes: [String]

  /// Creates a diagnostic.
  public init(_ message: String, at location: SourceLocation? = nil, notes: [String] = []) {
    self.location = location
    self.message = message
    self.notes = notes
  }

  /// The compiler-style text, with notes on following lines.
  public var description: String {
    var text = location.map { "\($0): error: \(message)" } ?? "error: \(message)"
    for note in notes {
      text += "\n" + (location.map { "\($0): note: \(note)" } ?? "note: \(note)")
    }
    return text
  }
}

/// Several diagnostics found in one pass, so a user can fix them all at once.
public struct DiagnosticList: Error, Sendable, CustomStringConvertible {
  /// The diagnostics in the order found.
  public var diagnostics: [Diagnostic]

  /// Creates a list.
  public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

  /// One diagnostic per line.
  public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
