/// The Wilson score interval for a proportion: unlike the textbook ±1.96·√(p(1−p)/n) it stays inside
/// 0…1 and behaves with small samples — surveys of a few dozen carers in one area are common.
public struct WilsonInterval: Sendable, Codable, Equatable {
    public var lower: Double
    public var upper: Double

    /// `z` = 1.959964 gives the 95 % interval. Nil when there are no responses.
    public init?(successes: Int, total n: Int, z: Double = 1.959964) {
        guard n > 0, successes >= 0, successes <= n else { return nil }
        let p = Double(successes) / Double(n), nd = Double(n), z2 = z * z
        let centre = p + z2 / (2 * nd)
        let half = z * ((p * (1 - p) + z2 / (4 * nd)) / nd).squareRoot()
        let denominator = 1 + z2 / nd
        lower = max(0, (centre - half) / denominator)
        upper = min(1, (centre + half) / denominator)
    }
}
