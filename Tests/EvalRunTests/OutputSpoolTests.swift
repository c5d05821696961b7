import EvalRun
import Foundation
import Testing

/// Output held back until it is committed: nothing reaches the destination before, everything after, in order,
/// whether it stayed in memory or went through the temporary file.
struct OutputSpoolTests {
  /// A file to write to, opened for writing, and a way to read what it holds.
  static func destination() throws -> (fd: Int32, read: () throws -> Data) {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("spool-\(UUID().uuidString)")
    let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    try #require(fd >= 0)
    return (fd, { try Data(contentsOf: url) })
  }

  @Test(arguments: [1, 100, 4096, 1 << 20])
  func writesEverythingInOrderOnlyWhenCommitted(memoryLimit: Int) throws {
    let (fd, read) = try Self.destination()
    defer { close(fd) }
    let spool = OutputSpool(destination: fd, memoryLimit: memoryLimit)
    var expected = ""
    for i in 0..<5_000 {
      let line = "\(i)  ünïcödé ✓ 日本語 🧪 \(String(repeating: "x", count: i % 37))\n"
      spool.append(line)
      expected += line
    }
    #expect(try read().isEmpty)
    // Past the limit, the bytes went to the temporary file.
    #expect((spool.spilledBytes > 0) == (expected.utf8.count >= memoryLimit))
    spool.commit()
    #expect(try read() == Data(expected.utf8))
    #expect(spool.spilledBytes == 0)
  }

  @Test func aSpoolNeverCommittedWritesNothing() throws {
    let (fd, read) = try Self.destination()
    defer { close(fd) }
    do {
      let spool = OutputSpool(destination: fd, memoryLimit: 10)
      for _ in 0..<1_000 { spool.append("a line that is not wanted\n") }
    }
    #expect(try read().isEmpty)
  }
}
