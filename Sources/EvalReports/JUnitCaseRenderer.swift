import EvalCore

/// Renders `<testcase>` elements one at a time, byte for byte as they read inside a `<testsuite>` of the
/// whole document (indentation and line ends included), so a run can render each case as it finishes and
/// ``JUnitReport/render(_:fragments:)`` only splices them in at the end.
///
/// It keeps one libxml2 writer open inside a scaffold of `<testsuites><testsuite><properties/>`: each case
/// is written where a real one would be, and its bytes are taken out of the buffer.
public final class JUnitCaseRenderer {
  private let report: JUnitReport
  private let writer: XMLWriter
  /// Where a passing case is written, without the text writer (most of a large run's cases).
  private let fragment: XMLFragment

  /// Creates a renderer for the report's profile.
  /// - Throws: when libxml2 cannot allocate a writer.
  public init(_ report: JUnitReport) throws {
    self.report = report
    writer = try XMLWriter()
    fragment = try XMLFragment()
    try writer.start("testsuites")
    try writer.start("testsuite")
    try writer.start("properties")
    try writer.end()
    _ = try writer.take()
  }

  /// One case's `<testcase>` element under `name`.
  /// - Throws: when libxml2 fails to write.
  public func render(_ c: CaseResult, name: String, regression: Comparison.CaseChange? = nil) throws -> [UInt8] {
    if c.outcome == .passed, regression == nil {
      report.writePassingCase(c, name: name, to: fragment)
      return try fragment.take()
    }
    return try written(c, name: name, regression: regression)
  }

  /// The case written by the text writer, as the whole document writes it.
  func written(_ c: CaseResult, name: String, regression: Comparison.CaseChange? = nil) throws -> [UInt8] {
    try report.writeCase(c, name: name, regression: regression, to: writer)
    return try writer.take()
  }

  /// A fragment for ``JUnitReport/render(_:fragments:)``: the case under its name in a suite with one
  /// prompt or several.
  /// - Throws: when libxml2 fails to write.
  public func fragment(_ c: CaseResult, manyPrompts: Bool) throws -> JUnitReport.Fragment {
    let name = JUnitReport.baseName(c, manyPrompts: manyPrompts)
    return JUnitReport.Fragment(name: name, bytes: try render(c, name: name))
  }
}
