import EvalCore
import EvalReports
import Foundation

extension ResultsFileReader {
  /// The case whose JSON object is `bytes` (``nextCase()``), decoded with `decoder`.
  /// - Throws: ``Diagnostic`` located at the file when it is not a case.
  public func decodeCase(_ bytes: [UInt8], with decoder: JSONDecoder) throws -> CaseResult {
    do {
      return try decoder.decode(CaseResult.self, from: Data(bytes))
    } catch {
      throw Diagnostic(
        "cannot read results (\(BaselineFile.describe(error)))", at: SourceLocation(file: path, line: 1, column: 1))
    }
  }

  /// Adds every case of the file to `draft` (``RunRecordDraft/add(_:)``) as it is read, and returns the report
  /// without its cases (``header()``), for ``RunRecordDraft/finish(report:id:kind:exitCode:audit:)``: the record
  /// `history import` stores, with no case held but the one being read (decoded whole, a 10^6-case results.json
  /// of 683 MB took 4.9 GB).
  /// - Throws: ``Diagnostic`` when the file is not a run's results.json.
  public func readCases(into draft: inout RunRecordDraft) throws -> RunReport {
    let decoder = JSONDecoder()
    while let bytes = try nextCase() { draft.add(try decodeCase(bytes, with: decoder)) }
    return try header()
  }
}
