import Foundation
import Testing

@testable import EvalCore

/// The drift check's per-case state: the id → place table and the bit vectors.
struct CaseIndexTests {
  /// Stable ids (kept as numbers, in a table that grows) and other ids (kept as strings) get places in the order
  /// first added; adding one again gives its place back; an id never added has none.
  @Test(arguments: [0, 100, 5_000])
  func placesFollowTheOrderIdsWereFirstAdded(_ reserved: Int) {
    var rng = SplitMix64(seed: 7)
    var index = CaseIndex()
    index.reserveCapacity(reserved)
    var expected: [String: Int] = [:]
    var order: [String] = []
    for i in 0..<3_000 {
      // Mostly random stable ids, some small numbers (not spread over the table), some lookalikes and others.
      let id: String
      switch i % 10 {
      case 0: id = String(format: "%016x", i)
      case 1: id = String(format: "%016llX", rng.next() | 0xA)
      case 2: id = "case-\(i)"
      default: id = String(format: "%016llx", rng.next())
      }
      order.append(id)
      // Every seventh id comes again: it keeps its first place.
      for id in i % 7 == 0 ? [id, order[i / 2]] : [id] {
        let (place, inserted) = index.insert(id)
        if let known = expected[id] {
          #expect(place == known && !inserted, "\(id)")
        } else {
          #expect(place == expected.count && inserted, "\(id)")
          expected[id] = place
        }
      }
    }
    #expect(index.count == expected.count)
    for (id, place) in expected { #expect(index.place(of: id) == place, "\(id)") }
    for i in 0..<200 {
      #expect(index.place(of: String(format: "%016llx", rng.next())) == nil)
      #expect(index.place(of: "other-\(i)") == nil)
    }
    #expect(CaseIndex().place(of: "00000000000000ff") == nil)
    #expect(CaseIndex().place(of: "x") == nil)
  }

  /// Looked for first at an expected place (where a run in the oldest run's order has it), an id is found where
  /// the table finds it, whatever place is expected: the all-zero stable id and ids that are not stable ids
  /// (both leave 0 in the numbers) included.
  @Test func anExpectedPlaceNeverChangesWhereAnIdIsFound() {
    var index = CaseIndex()
    let ids = ["0000000000000000", "case-1", "00000000000000ff", "other", "ffffffffffffffff", "000000000000000a"]
    for id in ids { _ = index.insert(id) }
    for id in ids + ["0000000000000001", "nope", "00000000000000FF"] {
      for expected in 0...ids.count + 1 {
        #expect(index.place(of: id, expected: expected) == index.place(of: id), "\(id) expected at \(expected)")
      }
    }
  }

  /// Only exactly 16 lowercase hex digits are a stable case id's number.
  @Test func onlySixteenLowercaseHexDigitsAreANumber() {
    #expect(CaseIndex.number("00000000000000ff") == 255)
    #expect(CaseIndex.number("ffffffffffffffff") == .max)
    #expect(CaseIndex.number("00000000000000FF") == nil)
    #expect(CaseIndex.number("0000000000000ff") == nil)
    #expect(CaseIndex.number("000000000000000ff") == nil)
    #expect(CaseIndex.number("00000000000000fg") == nil)
    #expect(CaseIndex.number("") == nil)
  }

  /// A bit vector reads back what was set, grows with 0 bits, intersects word by word and lists its set bits.
  @Test func bitVectorsReadBackWhatWasSet() {
    var rng = SplitMix64(seed: 3)
    var bits = BitVector()
    var other = BitVector()
    var model: [Bool] = []
    var otherModel: [Bool] = []
    for size in [1, 63, 64, 65, 200, 1_000] {
      bits.extend(to: size)
      other.extend(to: size / 2)
      model += repeatElement(false, count: size - model.count)
      otherModel += repeatElement(false, count: size / 2 - otherModel.count)
      for _ in 0..<size {
        let i = Int.random(in: 0..<size, using: &rng)
        let v = Bool.random(using: &rng)
        bits[i] = v
        model[i] = v
        if i < size / 2 {
          other[i] = !v
          otherModel[i] = !v
        }
      }
      #expect(bits.count == size)
      #expect((0..<size).map { bits[$0] } == model)
      #expect(Array(bits.setBits) == model.indices.filter { model[$0] })
      #expect(bits.nonzeroBitCount == model.filter { $0 }.count)
    }
    var both = bits
    both.formIntersection(other)
    #expect(Array(both.setBits) == model.indices.filter { model[$0] && $0 < otherModel.count && otherModel[$0] })
    both.clear()
    #expect(both.count == bits.count && both.nonzeroBitCount == 0 && Array(both.setBits).isEmpty)
    #expect(Array(BitVector().setBits).isEmpty)
  }
}
