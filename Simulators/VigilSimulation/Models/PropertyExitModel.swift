import VigilCore
import VigilWire

/// The front-door contact of a person with dementia: the door opens on the way out (`exit: true`) and
/// closes behind them. Night exits are the ones a responder goes looking for (Camden property-exit
/// procedure, telecare notes §4); by day the same exit is a welfare check.
public struct PropertyExitModel: DeviceModel {
    /// Exits between 22:00 and 07:00 local (rate scaled for thinning, see init).
    public var nightExits: PoissonClock
    /// Exits in the day, per day.
    public var dayExits: PoissonClock
    public var utcOffset: EpochMillis
    /// 22:00–07:00, Vigil's default night window.
    public let nightStartMinute = 22 * 60
    public let nightEndMinute = 7 * 60
    var followUps = FollowUps()

    /// A door armed for exits (a person with dementia who does not go out alone): an exit at night about
    /// once a fortnight, an unaccompanied exit by day about once a month.
    public init(nightExitsPerNight: Double = 1.0 / 14, dayExitsPerDay: Double = 1.0 / 30, utcOffset: EpochMillis = 0) {
        // Thinning: each clock runs all day and keeps only the occurrences in its own part of it, so
        // its rate is scaled up by the share of the day it keeps (9 h of night: 24/9).
        let nightShare = Double(9 * 60) / (24 * 60)
        nightExits = PoissonClock(perDay: nightExitsPerNight / nightShare)
        dayExits = PoissonClock(perDay: dayExitsPerDay / (1 - nightShare))
        self.utcOffset = utcOffset
    }

    public func isNight(_ t: EpochMillis) -> Bool {
        let m = VirtualTime.minuteOfDay(t, offset: utcOffset)
        return m >= nightStartMinute || m < nightEndMinute
    }

    public mutating func events(from: EpochMillis, to: EpochMillis, rng: inout SplitMix64) -> [ScheduledEvent] {
        var out: [ScheduledEvent] = []
        for t in nightExits.occurrences(from: from, to: to, rng: &rng) where isNight(t) { out.append(exit(t, &rng)) }
        for t in dayExits.occurrences(from: from, to: to, rng: &rng) where !isNight(t) { out.append(exit(t, &rng)) }
        return (out + followUps.take(before: to)).sorted { $0.at < $1.at }
    }

    mutating func exit(_ t: EpochMillis, _ rng: inout SplitMix64) -> ScheduledEvent {
        followUps.add(ScheduledEvent(at: t + uniform(20 * VirtualTime.second...5 * VirtualTime.minute, &rng), type: .door, detail: ["state": .string("closed"), "exit": .bool(true)]))
        return ScheduledEvent(at: t, type: .door, detail: ["state": .string("open"), "exit": .bool(true)])
    }
}
