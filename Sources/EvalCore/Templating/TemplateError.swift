import Foundation

/// A template that cannot be compiled or rendered, with the place inside the template.
///
/// Positions are offsets in Unicode scalars while the template is compiled; ``TemplateRenderer`` turns
/// them into a line and column of the template, and those into a file location where it knows one.
struct TemplateError: Error, Sendable, Hashable {
  /// What is wrong, naming the construct.
  var message: String
  /// Offset of the construct in the template, in Unicode scalars.
  var offset: Int

  init(_ message: String, at offset: Int) {
    self.message = message
    self.offset = offset
  }
}

/// A 1-based line and column inside a template's text.
public struct TemplatePosition: Sendable, Hashable, CustomStringConvertible {
  /// 1-based line within the template.
  public var line: Int
  /// 1-based column (in characters) within that line.
  public var column: Int

  /// Creates a position.
  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }

  /// The position of a scalar offset inside `text`.
  init(offset: Int, in text: String) {
    var line = 1
    var column = 1
    for (i, scalar) in text.unicodeScalars.enumerated() {
      if i >= offset { break }
      if scalar == "\n" {
        line += 1
        column = 1
      } else {
        column += 1
      }
    }
    self.init(line: line, column: column)
  }

  /// `line L, column C`.
  public var description: String { "line \(line), column \(column)" }

  /// Where this position is in a file, given where the template's text is defined.
  ///
  /// A location without a column (a prompt read from a text file, which starts at that line) maps exactly:
  /// the template's line `L` is the file's line `start + L - 1`. A location with a column points at a YAML
  /// value whose quoting and indentation are not known here, so it is kept as it is.
  public func location(in holder: SourceLocation) -> SourceLocation {
    guard holder.line > 0, holder.column == 0 else { return holder }
    return SourceLocation(file: holder.file, line: holder.line + line - 1, column: column)
  }
}
