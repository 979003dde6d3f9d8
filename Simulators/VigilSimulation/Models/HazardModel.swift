import VigilCore
import VigilWire

/// Smoke, heat, CO, gas and flood detectors: an activation, and a `clear` when the sensor is back to
/// normal (burnt toast clears in minutes; a leak is cleared once mopped up and the sensor dries).
public struct HazardModel: DeviceModel {
    public var type: EventType
    public var activations: PoissonClock
    /// How long after an activation the sensor reports clear.
    public var clearAfter: ClosedRange<EpochMillis>
    var followUps = FollowUps()

    public init(type: EventType, activationsPerDay: Double, clearAfter: ClosedRange<EpochMillis>) {
        precondition([.smoke, .heat, .co, .gas, .flood].contains(type), "a hazard detector reports smoke, heat, co, gas or flood")
        self.type = type
        activations = PoissonClock(perDay: activationsPerDay)
        self.clearAfter = clearAfter
    }

    /// Defaults per detector: mostly cooking smoke (a few a year), rarely CO or gas; a leak now and then.
    public init(kind: DeviceKind) {
        switch kind {
        case .smoke: self.init(type: .smoke, activationsPerDay: 3.0 / 365, clearAfter: 2 * VirtualTime.minute...15 * VirtualTime.minute)
        case .heat: self.init(type: .heat, activationsPerDay: 1.0 / 365, clearAfter: 5 * VirtualTime.minute...30 * VirtualTime.minute)
        case .co: self.init(type: .co, activationsPerDay: 0.5 / 365, clearAfter: 20 * VirtualTime.minute...2 * VirtualTime.hour)
        case .gas: self.init(type: .gas, activationsPerDay: 0.5 / 365, clearAfter: 20 * VirtualTime.minute...2 * VirtualTime.hour)
        default: self.init(type: .flood, activationsPerDay: 1.0 / 365, clearAfter: 1 * VirtualTime.hour...12 * VirtualTime.hour)
        }
    }

    public mutating func events(from: EpochMillis, to: EpochMillis, rng: inout SplitMix64) -> [ScheduledEvent] {
        var out: [ScheduledEvent] = []
        for t in activations.occurrences(from: from, to: to, rng: &rng) {
            out.append(ScheduledEvent(at: t, type: type))
            followUps.add(ScheduledEvent(at: t + uniform(clearAfter, &rng), type: .clear))
        }
        return (out + followUps.take(before: to)).sorted { $0.at < $1.at }
    }
}
