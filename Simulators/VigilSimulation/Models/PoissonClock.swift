import Foundation
import VigilCore

/// Occurrences of a Poisson process (a constant rate, memoryless): the gaps are exponential.
/// Telecare alarms arrive like this at the level of one person (telecare notes §2: about one alarm per
/// person per month overall), which is why each model's base rate is one of these.
public struct PoissonClock: Sendable, Equatable {
    public var perDay: Double
    var next: EpochMillis?

    public init(perDay: Double) {
        self.perDay = perDay
    }

    /// Every occurrence in `[from, to)`.
    public mutating func occurrences(from: EpochMillis, to: EpochMillis, rng: inout SplitMix64) -> [EpochMillis] {
        guard perDay > 0 else { return [] }
        var t = next ?? from + gap(&rng)
        var out: [EpochMillis] = []
        while t < to {
            if t >= from { out.append(t) }
            t += gap(&rng)
        }
        next = t
        return out
    }

    func gap(_ rng: inout SplitMix64) -> EpochMillis {
        // Inverse transform: -ln(U)/λ, with U in (0, 1] so the log is finite.
        let u = 1 - Double.random(in: 0..<1, using: &rng)
        return max(1, EpochMillis(-log(u) / perDay * Double(VirtualTime.day)))
    }
}

/// A follow-up scheduled by an earlier event (a cancel, a clear, a return to bed) that may fall in a
/// later window.
public struct FollowUps: Sendable, Equatable {
    var queued: [ScheduledEvent] = []

    public init() {}

    mutating func add(_ e: ScheduledEvent) { queued.append(e) }

    /// Removes and returns those due before `to`, in time order.
    mutating func take(before to: EpochMillis) -> [ScheduledEvent] {
        let due = queued.filter { $0.at < to }
        queued.removeAll { $0.at < to }
        return due
    }
}

/// Uniform milliseconds in `range`.
func uniform(_ range: ClosedRange<EpochMillis>, _ rng: inout SplitMix64) -> EpochMillis {
    EpochMillis.random(in: range, using: &rng)
}

func chance(_ p: Double, _ rng: inout SplitMix64) -> Bool {
    Double.random(in: 0..<1, using: &rng) < p
}
