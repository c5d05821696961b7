/// A malformed line of a qrels or run file. Lines count from the start of the part being parsed, so a
/// file parsed in two parts at once can move the second part's errors to their real lines
/// (``shifted(by:)``) before showing them as a ``Diagnostic``.
public struct TrecInputError: Error, Sendable, Hashable {
  /// The file.
  public var file: String
  /// 1-based line.
  public var line: Int
  /// 1-based column.
  public var column: Int
  /// What is wrong.
  public var message: String
  /// For a document listed twice: the line of its first appearance, added to the message.
  public var firstLine: Int?

  /// Creates an error.
  public init(_ message: String, file: String, line: Int, column: Int = 1, firstLine: Int? = nil) {
    self.message = message
    self.file = file
    self.line = line
    self.column = column
    self.firstLine = firstLine
  }

  /// The same error with its lines moved by `offset`.
  public func shifted(by offset: Int) -> TrecInputError {
    var out = self
    out.line += offset
    out.firstLine = firstLine.map { $0 + offset }
    return out
  }

  /// The compiler-style diagnostic: `file:line:column: error: …`.
  public var diagnostic: Diagnostic {
    Diagnostic(
      message + (firstLine.map { " (first on line \($0))" } ?? ""),
      at: SourceLocation(file: file, line: line, column: column))
  }
}
