import Foundation

/// Where the test fixtures are.
enum FixturePaths {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
  static let malformed = root.appendingPathComponent("malformed")
  static let valid = root.appendingPathComponent("valid")

  /// The malformed suites and configs, each starting with `# expect: [FILE:]LINE:COL: MESSAGE`.
  static var malformedFiles: [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: malformed.path)) ?? []
    return names.filter { $0.hasSuffix(".yaml") }.sorted()
  }
}
