/// Nearest-rank percentiles: the value at rank ⌈p·n⌉ of the sorted sample. Always an observed value,
/// so "90th percentile answer time 41 s" means one in ten alarms waited 41 s or longer.
public enum Percentile {
    public static func nearestRank(_ p: Double, sorted values: [Int]) -> Int? {
        guard !values.isEmpty else { return nil }
        return values[rank(p, count: values.count) - 1]
    }

    /// The same from a histogram of (value, count) pairs in ascending value order, which is what
    /// a SQL `GROUP BY value` returns: no need to pull every alarm into memory.
    public static func nearestRank(_ p: Double, histogram: [(value: Int, count: Int)]) -> Int? {
        let n = histogram.reduce(0) { $0 + $1.count }
        guard n > 0 else { return nil }
        let r = rank(p, count: n)
        var seen = 0
        for bin in histogram {
            seen += bin.count
            if seen >= r { return bin.value }
        }
        return histogram.last?.value
    }

    static func rank(_ p: Double, count n: Int) -> Int {
        // Rounded before the ceiling so that 0.9 × 10 is rank 9, not 10 through floating-point noise.
        let exact = (p * Double(n) * 1e9).rounded() / 1e9
        return min(n, max(1, Int(exact.rounded(.up))))
    }
}
