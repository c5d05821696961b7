/// Adjusting p-values for testing many metrics at once.
public enum Multiplicity {
  /// Benjamini–Hochberg adjusted p-values (false discovery rate), in the input order:
  /// q₍ᵢ₎ = min over j ≥ i of min(1, m·p₍ⱼ₎/j).
  public static func benjaminiHochberg(_ p: [Double]) -> [Double] {
    let m = p.count
    let order = p.indices.sorted { p[$0] < p[$1] }
    var adjusted = [Double](repeating: 1, count: m)
    var running = 1.0
    for rank in stride(from: m, through: 1, by: -1) {
      let i = order[rank - 1]
      running = min(running, min(1, Double(m) * p[i] / Double(rank)))
      adjusted[i] = running
    }
    return adjusted
  }

  /// Holm's step-down adjusted p-values (family-wise error), in the input order:
  /// p₍ᵢ₎ = max over j ≤ i of min(1, (m − j + 1)·p₍ⱼ₎).
  public static func holm(_ p: [Double]) -> [Double] {
    let m = p.count
    let order = p.indices.sorted { p[$0] < p[$1] }
    var adjusted = [Double](repeating: 1, count: m)
    var running = 0.0
    for (rank, i) in order.enumerated() {
      running = max(running, min(1, Double(m - rank) * p[i]))
      adjusted[i] = running
    }
    return adjusted
  }
}
