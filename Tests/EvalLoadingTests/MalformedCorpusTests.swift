import EvalCore
import EvalLoading
import Foundation
import Testing

/// Every malformed suite or config gives one located, compiler-style error.
struct MalformedCorpusTests {
  struct Expectation {
    var file: String
    var line: Int
    var column: Int
    var message: String
  }

  static func expectation(for name: String) throws -> Expectation {
    let text = try String(contentsOf: FixturePaths.malformed.appendingPathComponent(name), encoding: .utf8)
    let first = try #require(text.split(separator: "\n").first)
    var spec = try #require(first.range(of: "# expect: ").map { String(first[$0.upperBound...]) })
    var file = name
    if let colon = spec.firstIndex(of: ":"), Int(spec[..<colon]) == nil {
      file = String(spec[..<colon])
      spec = String(spec[spec.index(after: colon)...])
    }
    let parts = spec.split(separator: ":", maxSplits: 2).map { $0.trimmingCharacters(in: .whitespaces) }
    return Expectation(file: file, line: Int(parts[0]) ?? -1, column: Int(parts[1]) ?? -1, message: parts[2])
  }

  /// Loads a fixture the way `evalgate run` does and returns the first diagnostic.
  static func firstDiagnostic(_ name: String) -> Diagnostic? {
    let path = FixturePaths.malformed.appendingPathComponent(name).path
    do {
      if name.hasPrefix("config-") {
        _ = try ProjectConfigLoader.load(path: path)
      } else {
        let suite = try SuiteLoader(project: ProjectConfig()).load(file: path).suite
        _ = try Expansion(renderer: TemplateRenderer()).cases(for: suite)
      }
      return nil
    } catch let d as Diagnostic {
      return d
    } catch let list as DiagnosticList {
      return list.diagnostics.first
    } catch {
      return Diagnostic("unexpected error type: \(error)")
    }
  }

  @Test func corpusHasAtLeastTwentyFiles() {
    #expect(FixturePaths.malformedFiles.count >= 20)
  }

  @Test(arguments: FixturePaths.malformedFiles)
  func locatedError(name: String) throws {
    let want = try Self.expectation(for: name)
    let d = try #require(Self.firstDiagnostic(name), "\(name) loaded without error")
    let location = try #require(d.location, "\(name): no location in \(d)")
    #expect((location.file as NSString).lastPathComponent == want.file, "\(d)")
    #expect(location.line == want.line, "\(d)")
    #expect(location.column == want.column, "\(d)")
    #expect(d.message.contains(want.message), "\(d)")
    #expect(d.description.hasPrefix("\(location.file):\(want.line):\(want.column): error: "))
  }
}
