/// A small seeded generator (Steele, Lea & Flood, "Fast splittable pseudorandom number generators",
/// 2014): the same seed gives the same demo history on every machine and every run.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    public mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// Exponentially distributed with the given mean: waiting times of a Poisson process.
    public mutating func exponential(mean: Double) -> Double { -mean * log1mUnit() }

    private mutating func log1mUnit() -> Double {
        // log(1 - u) with u in [0, 1): never log(0).
        var x = 1 - unit()
        // Natural log by the standard library's `log` lives in Foundation/Glibc; keep VigilCore free of
        // both with a short series on the mantissa (accurate to ~1e-12, plenty for demo data).
        var k = 0.0
        while x < 0.5 { x *= 2; k -= 1 }
        while x > 1 { x /= 2; k += 1 }
        let y = (x - 1) / (x + 1), y2 = y * y
        var term = y, sum = 0.0, n = 1.0
        for _ in 0..<30 { sum += term / n; term *= y2; n += 2 }
        return 2 * sum + k * 0.693_147_180_559_945_3
    }

    /// Picks an index with probability proportional to its weight.
    public mutating func weighted(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var x = unit() * total
        for (i, w) in weights.enumerated() {
            if x < w { return i }
            x -= w
        }
        return weights.count - 1
    }
}
