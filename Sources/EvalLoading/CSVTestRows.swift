import EvalCore
import Foundation

/// The tests of a vars CSV as streamed rows (see ``TestRows``): made once the whole file has been read and
/// every row checked (so a bad row 900,000 is a located error before anything runs), then read again from
/// the file, a block at a time, each time the suite's tests are walked; only the row being read is held.
struct CSVTestRows: TestRows {
  let path: String
  let columns: CSVTests.Columns
  let facts: TestRowFacts
  /// Bytes read from the file at a time as the rows are walked.
  var blockSize = 1 << 16

  /// Reads `path` through, checking every row as ``CSVTests/read(_:path:)`` does.
  /// - Throws: ``Diagnostic`` for a file that cannot be read or is not UTF-8 (at `location`, or at the bad
  ///   byte), at the first bad row, or at the header for a column it may not have.
  init(path: String, requestedAt location: SourceLocation) throws {
    // The file's own problems (missing, too large, not UTF-8) are found as for any included file.
    var reader = CSVRecordReader(bytes: Array(try FileSource.text(path, requestedAt: location).utf8), path: path)
    self.path = path
    guard let header = try reader.next() else {
      columns = CSVTests.Columns(header: CSVRecordReader.Record(fields: [], line: 1), path: path)
      facts = TestRowFacts(count: 0, varNames: [])
      return
    }
    columns = CSVTests.Columns(header: header, path: path)
    var count = 0
    var types: Set<String> = []
    while let row = try reader.next() {
      guard let spec = try columns.test(row) else { continue }
      count += 1
      for assertion in spec.assertions { types.insert(assertion.type) }
    }
    facts = TestRowFacts(count: count, varNames: count == 0 ? [] : columns.varNames, assertionTypes: types)
  }

  func makeRowIterator() -> AnyIterator<Result<TestSpec, Diagnostic>> {
    var reader: CSVRecordReader?
    var started = false
    var done = false
    let (path, columns, blockSize) = (path, columns, blockSize)
    return AnyIterator {
      guard !done else { return nil }
      do {
        if !started {
          started = true
          reader = try CSVRecordReader(file: path, blockSize: blockSize)
          _ = try reader?.next()  // the header
        }
        while let row = try reader?.next() {
          if let spec = try columns.test(row) { return .success(spec) }
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
