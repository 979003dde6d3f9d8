import VigilCore
import VigilSimulation

/// Runs a model over `days` virtual days in windows of `window` and returns every event.
func run<M: DeviceModel>(_ model: inout M, days: Int, window: EpochMillis = VirtualTime.hour, seed: UInt64 = 42, start: EpochMillis = 1_790_000_000_000) -> [ScheduledEvent] {
    var rng = SplitMix64(seed: seed)
    var out: [ScheduledEvent] = []
    var t = start
    let end = start + EpochMillis(days) * VirtualTime.day
    while t < end {
        let next = min(end, t + window)
        let batch = model.events(from: t, to: next, rng: &rng)
        for e in batch { precondition(e.at >= t && e.at < next, "an event outside its window") }
        out += batch
        t = next
    }
    return out
}

/// The tolerance for a count with Poisson spread: four standard deviations (√mean). With a fixed seed
/// the test is deterministic; four sigma says the rate is right, not merely that this seed passes
/// (a correct model fails such a bound with probability about 6 in 100,000).
func withinPoisson(_ count: Int, mean: Double) -> Bool {
    abs(Double(count) - mean) <= 4 * mean.squareRoot()
}

/// Four standard deviations of a binomial share: √(n·p·(1−p)).
func withinBinomial(_ hits: Int, of n: Int, p: Double) -> Bool {
    abs(Double(hits) - Double(n) * p) <= 4 * (Double(n) * p * (1 - p)).squareRoot()
}
