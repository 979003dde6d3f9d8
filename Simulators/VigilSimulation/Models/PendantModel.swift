import VigilCore
import VigilWire

/// A pendant or pull-cord: presses at a steady rate; some are cancelled at the device (the person
/// presses again, or the unit's cancel button) within 30 s, as a false or accidental press is.
public struct PendantModel: DeviceModel {
    public var presses: PoissonClock
    /// Share of presses cancelled at the device.
    public var cancelShare: Double
    /// A cancel follows its press within this many milliseconds.
    public static let cancelWithin: ClosedRange<EpochMillis> = 3_000...30_000
    var followUps = FollowUps()

    /// About one pendant press a person a month (the telecare notes' overall alarm rate, of which
    /// pendant presses are the main share); a third cancelled at the device.
    public init(pressesPerDay: Double = 1.0 / 30, cancelShare: Double = 1.0 / 3) {
        presses = PoissonClock(perDay: pressesPerDay)
        self.cancelShare = cancelShare
    }

    public mutating func events(from: EpochMillis, to: EpochMillis, rng: inout SplitMix64) -> [ScheduledEvent] {
        var out: [ScheduledEvent] = []
        for t in presses.occurrences(from: from, to: to, rng: &rng) {
            out.append(ScheduledEvent(at: t, type: .button))
            if chance(cancelShare, &rng) {
                followUps.add(ScheduledEvent(at: t + uniform(Self.cancelWithin, &rng), type: .cancel))
            }
        }
        return (out + followUps.take(before: to)).sorted { $0.at < $1.at }
    }
}
