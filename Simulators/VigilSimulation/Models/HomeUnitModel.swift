import VigilCore
import VigilWire

/// The home unit (hub): mains power lost and restored (the unit runs on its battery meanwhile, ≥ 12 h
/// by specification, telecare notes §2), and a tamper switch on its case.
public struct HomeUnitModel: DeviceModel {
    public var powerCuts: PoissonClock
    public var tampers: PoissonClock
    /// How long the mains stays off.
    public var outage: ClosedRange<EpochMillis>
    var followUps = FollowUps()

    public init(powerCutsPerDay: Double = 2.0 / 365, tampersPerDay: Double = 1.0 / 365, outage: ClosedRange<EpochMillis> = 5 * VirtualTime.minute...6 * VirtualTime.hour) {
        powerCuts = PoissonClock(perDay: powerCutsPerDay)
        tampers = PoissonClock(perDay: tampersPerDay)
        self.outage = outage
    }

    public mutating func events(from: EpochMillis, to: EpochMillis, rng: inout SplitMix64) -> [ScheduledEvent] {
        var out: [ScheduledEvent] = []
        for t in powerCuts.occurrences(from: from, to: to, rng: &rng) {
            out.append(ScheduledEvent(at: t, type: .power, detail: ["state": .string("lost")]))
            followUps.add(ScheduledEvent(at: t + uniform(outage, &rng), type: .power, detail: ["state": .string("restored")]))
        }
        for t in tampers.occurrences(from: from, to: to, rng: &rng) { out.append(ScheduledEvent(at: t, type: .tamper)) }
        return (out + followUps.take(before: to)).sorted { $0.at < $1.at }
    }
}
