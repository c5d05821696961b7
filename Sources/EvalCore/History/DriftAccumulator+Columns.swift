extension DriftAccumulator {
  /// The pass outcome over the oldest run's cases, by place: whether each is still paired (judged in every run
  /// read), whether it was judged in the run being read, and its outcome in each run, as bits (a case's row
  /// of `runs` bits: its first and last outcome for McNemar, and its Sⱼ = Σᵢ wᵢ·yᵢ summed when the report
  /// is made, in run order as the runs were read, so the same sum to the bit). About 1.5 bytes a case for a
  /// window of 10 runs, where five arrays of doubles and bytes took 33.
  struct OutcomeColumn: Sendable {
    /// The window's length: the bits in a case's row.
    let runs: Int
    var kept = BitVector()
    var valued = BitVector()
    /// Case `place`'s outcome in run `i` at bit `place * runs + i`.
    var outcomes = BitVector()

    init(runs: Int) { self.runs = runs }

    /// Makes room for `places` cases without the bits' storage growing.
    mutating func reserveCapacity(_ places: Int) {
      kept.reserveCapacity(places)
      valued.reserveCapacity(places)
      outcomes.reserveCapacity(places * runs)
    }

    /// Makes room for the oldest run's first `places` cases.
    mutating func extend(to places: Int) {
      kept.extend(to: places)
      valued.extend(to: places)
      outcomes.extend(to: places * runs)
    }

    /// Sets the outcome of the case at `place` in run `run` (its last judged outcome there wins).
    mutating func take(_ passed: Bool, at place: Int, run: Int, opening: Bool) {
      if opening {
        extend(to: place + 1)
      } else {
        guard place < kept.count, kept[place] else { return }
      }
      outcomes[place * runs + run] = passed
      valued[place] = true
    }

    /// Ends a run: a kept case judged in it stays kept, any other is dropped.
    mutating func commit(opening: Bool, places: Int) {
      if opening {
        extend(to: places)
        swap(&kept, &valued)
      } else {
        kept.formIntersection(valued)
      }
      valued.clear()
    }

    /// The outcome of the case at `place` in run `run`.
    func passed(_ place: Int, in run: Int) -> Bool { outcomes[place * runs + run] }

    /// The Sⱼ of the case at `place` over runs weighted `weights`: each run's `weight * value` added in run order
    /// from 0, as a sum kept run by run would be.
    func sum(_ place: Int, weights: [Double]) -> Double {
      var sum = 0.0
      for run in 0..<runs { sum += weights[run] * (outcomes[place * runs + run] ? 1 : 0) }
      return sum
    }
  }

  /// A metric with any value (the score, a named metric) over the oldest run's cases, by place: whether each
  /// is still paired (valued in every run read), whether it was valued in the run being read and that value,
  /// and its Sⱼ = Σᵢ wᵢ·yᵢ so far (the weights come from the window's length, known before the first run).
  /// About 16 bytes a case.
  struct ValueColumn: Sendable {
    var kept = BitVector()
    var valued = BitVector()
    var pending: [Double] = []
    var sum: [Double] = []

    /// Makes room for `places` cases without the storage growing.
    mutating func reserveCapacity(_ places: Int) {
      kept.reserveCapacity(places)
      valued.reserveCapacity(places)
      pending.reserveCapacity(places)
      sum.reserveCapacity(places)
    }

    /// Makes room for the oldest run's first `places` cases.
    mutating func extend(to places: Int) {
      kept.extend(to: places)
      valued.extend(to: places)
      guard pending.count < places else { return }
      pending += repeatElement(0, count: places - pending.count)
      sum += repeatElement(0, count: places - sum.count)
    }

    /// Sets the value of the case at `place` in the run being read (its last valued outcome wins).
    mutating func take(_ value: Double, at place: Int, opening: Bool) {
      if opening {
        extend(to: place + 1)
      } else {
        guard place < kept.count, kept[place] else { return }
      }
      pending[place] = value
      valued[place] = true
    }

    /// Ends a run of weight `weight`: each kept case valued in it takes its value into its sum, any other is
    /// dropped.
    mutating func commit(weight: Double, opening: Bool, places: Int) {
      if opening {
        extend(to: places)
        swap(&kept, &valued)
      } else {
        kept.formIntersection(valued)
      }
      valued.clear()
      for place in kept.setBits { sum[place] += weight * pending[place] }
    }
  }
}
