/// Tests read from a file each time they are walked (the rows of a vars CSV, the vars lines of a JSONL file),
/// never all held: a suite keeps where they come from (see ``TestList``) and expansion reads them one at a time,
/// so a million-row file costs one row of memory.
///
/// Rows are plain: each row sets a var for each name of ``TestRowFacts/varNames`` and no other, none to a list
/// that expands into several cases (a CSV's are all strings); a row sets no
/// judge, `repeat`, prompt or provider filter, `storeOutputAs`, code vars, transform or tags, and its
/// assertions have no judge and no children. Code that sizes or checks a suite relies on that instead of
/// reading every row again.
///
/// Made by the loader once the whole file has been read and every row checked, so a walk finds no problem
/// unless the file changed since; then the walk ends with that problem (see ``TestList/Iterator/failure``).
public protocol TestRows: Sendable {
  /// What holds for the rows, found when they were checked.
  var facts: TestRowFacts { get }
  /// The rows as tests, in file order; a `.failure` ends the walk.
  func makeRowIterator() -> AnyIterator<Result<TestSpec, Diagnostic>>
}

/// What a check of every row of a ``TestRows`` found.
public struct TestRowFacts: Sendable, Hashable {
  /// How many tests the rows make.
  public var count: Int
  /// The names of the vars every row sets (each row sets these and no other).
  public var varNames: Set<String>
  /// The types of the rows' assertions (`equals`, `llm-rubric`, …).
  public var assertionTypes: Set<String>

  /// Creates the facts.
  public init(count: Int, varNames: Set<String>, assertionTypes: Set<String> = []) {
    self.count = count
    self.varNames = varNames
    self.assertionTypes = assertionTypes
  }
}
