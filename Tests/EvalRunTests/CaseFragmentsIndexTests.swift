import EvalCore
import Testing

@testable import EvalRun

/// The kept pieces' index, looked up from a cursor: the same entries as a plain look-up, whatever the order asked.
struct CaseFragmentsIndexTests {
  /// An index of `ids` kept in turn, each entry's offset its place in the order kept.
  static func index(_ ids: [UInt64]) -> CaseFragments.Index {
    var index = CaseFragments.Index()
    for (n, id) in ids.enumerated() {
      index.set(CaseFragments.Entry(offset: Int64(n), line: 1), for: CaseID(number: id))
    }
    index.sort()
    return index
  }

  @Test(arguments: ["sorted", "reversed", "shuffled", "runs"])
  func aCursorFindsWhatALookUpFinds(order: String) {
    var random = SystemRandomNumberGenerator()
    var ids = (0..<2000).map { _ in UInt64.random(in: 0...UInt64.max, using: &random) }
    ids += ids.prefix(50)  // kept twice: the later entry is the one found
    let index = Self.index(ids.shuffled())
    let distinct = Array(Set(ids))
    let asked: [UInt64]
    switch order {
    case "sorted": asked = distinct.sorted()
    case "reversed": asked = distinct.sorted().reversed()
    case "shuffled": asked = distinct.shuffled()
    default:
      // Report order: id order within each test, tests one after another.
      asked = stride(from: 0, to: distinct.count, by: 300).flatMap {
        distinct[$0..<min($0 + 300, distinct.count)].sorted()
      }
    }
    var cursor = 0
    for id in asked + [1, UInt64.max - 1] {
      let expected = index[CaseID(number: id)]?.offset
      #expect(index.entry(CaseID(number: id), cursor: &cursor)?.offset == expected)
    }
  }

  @Test func aCursorPastTheEndOrOnADuplicateStillFindsTheLaterEntry() {
    let index = Self.index([5, 7, 7, 9])
    var cursor = 1  // on the first of 7's two entries
    #expect(index.entry(CaseID(number: 7), cursor: &cursor)?.offset == 2)
    #expect(cursor == 3)
    cursor = 99
    #expect(index.entry(CaseID(number: 5), cursor: &cursor)?.offset == 0)
    #expect(index.entry(CaseID(number: 7), cursor: &cursor)?.offset == 2)
    #expect(index.entry(CaseID(number: 9), cursor: &cursor)?.offset == 3)
    #expect(index.entry(CaseID(number: 8), cursor: &cursor) == nil)
  }
}
