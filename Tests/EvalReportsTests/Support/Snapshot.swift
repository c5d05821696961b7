import Foundation
import Testing

/// Golden-file comparison: `Snapshots/<name>` beside this target. A missing file, or `RECORD_SNAPSHOTS=1`,
/// records the current output and fails the test so the new file gets reviewed.
func assertSnapshot(_ bytes: [UInt8], named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
  let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Snapshots")
  let url = dir.appendingPathComponent(name)
  let record = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil
  guard !record, let expected = FileManager.default.contents(atPath: url.path) else {
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
    Issue.record("recorded snapshot \(name); review it and run the tests again", sourceLocation: sourceLocation)
    return
  }
  let actual = String(decoding: bytes, as: UTF8.self)
  let want = String(decoding: expected, as: UTF8.self)
  if actual != want {
    let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
    let w = want.split(separator: "\n", omittingEmptySubsequences: false)
    let firstDiff = zip(a, w).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, w.count)
    let got = firstDiff < a.count ? String(a[firstDiff]) : "<end>"
    let exp = firstDiff < w.count ? String(w[firstDiff]) : "<end>"
    Issue.record(
      "snapshot \(name) differs at line \(firstDiff + 1):\n  expected: \(exp)\n  actual:   \(got)\n(RECORD_SNAPSHOTS=1 re-records)",
      sourceLocation: sourceLocation)
  }
}
