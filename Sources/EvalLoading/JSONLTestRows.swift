import EvalCore
import Foundation

/// The tests of a plain JSONL file as streamed rows (see ``TestRows``): every line is blank or the vars of a
/// test, every such line sets the same names, and no value is a list that expands into several cases. Made
/// once the whole file has been read a line at a time and every line checked (so a bad line 900,000 is a
/// located error before anything runs), then read again, a block at a time, each time the suite's tests are
/// walked; only the line being read is held.
struct JSONLTestRows: TestRows {
  let path: String
  let facts: TestRowFacts
  /// Bytes read from the file at a time as the rows are walked.
  var blockSize = 1 << 16

  /// Reads `path` through a line at a time, checking every line as ``JSONLTests/read(_:path:test:)`` does; `nil`
  /// when the file is not plain (a whole test on some line, say: then it is read into held tests instead). The
  /// check stops at the first line that is not plain.
  /// - Throws: ``Diagnostic`` for a file that cannot be read, or at the first line (before any line that is not
  ///   plain) that is not UTF-8, not a JSON object, or not valid JSON.
  init?(path: String, requestedAt location: SourceLocation, blockSize: Int = 1 << 16) throws {
    var reader = try TextLineReader(file: path, blockSize: blockSize, requestedAt: location)
    var names: Set<String>?
    var count = 0
    while let line = try reader.next() {
      switch try JSONLTests.read(line, path: path) {
      case nil: continue
      case .test: return nil
      case .vars(let spec):
        if names == nil { names = Set(spec.vars.keys) }
        guard let names, JSONLTestRows.isPlain(spec, names: names) else { return nil }
        count += 1
      }
    }
    self.path = path
    self.blockSize = blockSize
    facts = TestRowFacts(count: count, varNames: names ?? [])
  }

  /// Whether `spec` (a line of vars) sets exactly `names`, none of them to a list that expands.
  static func isPlain(_ spec: TestSpec, names: Set<String>) -> Bool {
    spec.vars.count == names.count
      && spec.vars.allSatisfy { names.contains($0.key) && !Expansion.expands($0.value) }
  }

  func makeRowIterator() -> AnyIterator<Result<TestSpec, Diagnostic>> {
    var reader: TextLineReader?
    var done = false
    let (path, names, blockSize) = (path, facts.varNames, blockSize)
    return AnyIterator {
      guard !done else { return nil }
      do {
        if reader == nil { reader = try TextLineReader(file: path, blockSize: blockSize) }
        while let line = try reader?.next() {
          switch try JSONLTests.read(line, path: path) {
          case nil: continue
          case .vars(let spec) where JSONLTestRows.isPlain(spec, names: names): return .success(spec)
          case .vars, .test:
            throw Diagnostic(
              "line \(line.number) is no longer vars with the names of the others",
              at: SourceLocation(file: path, line: line.number, column: 1))
          }
        }
        done = true
        return nil
      } catch {
        done = true
        return .failure(FileSource.changedAfterCheck(path, error))
      }
    }
  }
}
