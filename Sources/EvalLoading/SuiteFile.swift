import EvalCore

/// One file of the suites path, read and parsed once: a prompt suite or a retrieval fixture (a mapping
/// with a `retrieval` key).
public enum SuiteFile {
  /// A prompt suite.
  case suite(SuiteLoader.Loaded)
  /// A retrieval fixture.
  case fixture(RetrievalFixtureLoader.Loaded)

  /// Loads `file` as whichever it is.
  /// - Throws: ``Diagnostic`` located in the file (or a file it includes).
  public static func load(_ file: String, suites: SuiteLoader, project: ProjectConfig) throws -> SuiteFile {
    let root = try YAMLNode.parse(try FileSource.text(file), file: file)
    if RetrievalFixtureLoader.isFixture(root) {
      return .fixture(try RetrievalFixtureLoader.load(root: root, file: file, project: project))
    }
    return .suite(try suites.load(root: root, file: file))
  }
}
