import VigilCore
import VigilWire

/// A worn fall detector: real falls (high confidence, never cancelled) and false positives (a dropped
/// pendant, sitting down hard: lower confidence, mostly cancelled by the person). The telecare notes
/// mark fall detectors as having a high false-positive rate; here two in three triggers are false.
public struct FallDetectorModel: DeviceModel {
    public var falls: PoissonClock
    public var falsePositives: PoissonClock
    /// Share of false positives the person cancels at the device, within 30 s.
    public var cancelShare: Double
    var followUps = FollowUps()

    public init(fallsPerDay: Double = 1.0 / 120, falsePositivesPerDay: Double = 1.0 / 60, cancelShare: Double = 0.6) {
        falls = PoissonClock(perDay: fallsPerDay)
        falsePositives = PoissonClock(perDay: falsePositivesPerDay)
        self.cancelShare = cancelShare
    }

    public mutating func events(from: EpochMillis, to: EpochMillis, rng: inout SplitMix64) -> [ScheduledEvent] {
        var out: [ScheduledEvent] = []
        for t in falls.occurrences(from: from, to: to, rng: &rng) {
            out.append(ScheduledEvent(at: t, type: .fall, detail: ["confidence": .number(Self.round2(Double.random(in: 0.85...0.99, using: &rng)))]))
        }
        for t in falsePositives.occurrences(from: from, to: to, rng: &rng) {
            out.append(ScheduledEvent(at: t, type: .fall, detail: ["confidence": .number(Self.round2(Double.random(in: 0.5...0.8, using: &rng))), "false_positive": .bool(true)]))
            if chance(cancelShare, &rng) {
                followUps.add(ScheduledEvent(at: t + uniform(PendantModel.cancelWithin, &rng), type: .cancel))
            }
        }
        return (out + followUps.take(before: to)).sorted { $0.at < $1.at }
    }

    static func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }
}
