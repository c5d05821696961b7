import Foundation

/// A position in a user's file, 1-based, as compilers print it.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
  /// The file path as the user named it (relative paths stay relative).
  public var file: String
  /// 1-based line; 0 when unknown.
  public var line: Int
  /// 1-based column; 0 when unknown.
  public var column: Int

  /// Creates a location.
  public init(file: String, line: Int = 0, column: Int = 0) {
    self.file = file
    self.line = line
    self.column = column
  }

  /// `file:line:col`, leaving out the parts that are unknown.
  public var description: String {
    guard line > 0 else { return file }
    guard column > 0 else { return "\(file):\(line)" }
    return "\(file):\(line):\(column)"
  }
}
