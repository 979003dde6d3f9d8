import VigilCore
import VigilWire

/// A bed or chair pressure sensor, armed in a window (bed: the night; chair: the day). The person gets
/// up; most come back within the set period (about 30 min, telecare notes §4) and nothing is sent. If
/// not, the sensor reports `vacated` when the period ends; some return later (`occupied`), some not.
public struct OccupancyModel: DeviceModel {
    public var type: EventType
    /// Armed window, minutes after local midnight (may wrap midnight).
    public var windowStart: Int
    public var windowEnd: Int
    /// Chance that the person gets up at all in an armed window.
    public var getUpChance: Double
    /// Chance that someone who got up is back within `returnPeriod`.
    public var returnChance: Double
    /// Chance that someone not back within the period returns later (an `occupied` report).
    public var lateReturnChance: Double
    public var returnPeriod: EpochMillis
    public var utcOffset: EpochMillis
    var followUps = FollowUps()
    var nextDay: EpochMillis?

    public init(type: EventType, windowStart: Int, windowEnd: Int, getUpChance: Double = 0.5, returnChance: Double = 0.9,
                lateReturnChance: Double = 0.7, returnPeriod: EpochMillis = 30 * VirtualTime.minute, utcOffset: EpochMillis = 0) {
        precondition(type == .bed || type == .chair, "an occupancy sensor is a bed or chair sensor")
        self.type = type
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.getUpChance = getUpChance
        self.returnChance = returnChance
        self.lateReturnChance = lateReturnChance
        self.returnPeriod = returnPeriod
        self.utcOffset = utcOffset
    }

    /// A bed sensor armed 23:00–06:00; a chair sensor armed 09:00–18:00.
    public static func bed() -> OccupancyModel { OccupancyModel(type: .bed, windowStart: 23 * 60, windowEnd: 6 * 60) }
    public static func chair() -> OccupancyModel { OccupancyModel(type: .chair, windowStart: 9 * 60, windowEnd: 18 * 60, getUpChance: 0.3, returnChance: 0.95) }

    /// Length of the armed window in minutes.
    var windowMinutes: Int { windowEnd > windowStart ? windowEnd - windowStart : windowEnd + 24 * 60 - windowStart }

    public mutating func events(from: EpochMillis, to: EpochMillis, rng: inout SplitMix64) -> [ScheduledEvent] {
        // Decide each armed window once, at its start.
        var day = nextDay ?? VirtualTime.dayStart(from, offset: utcOffset)
        while day + EpochMillis(windowStart) * VirtualTime.minute < to {
            let start = day + EpochMillis(windowStart) * VirtualTime.minute
            day += VirtualTime.day
            guard start >= from, chance(getUpChance, &rng) else { continue }
            // Up at some point in the window, leaving time for the return period inside it.
            let latest = max(1, EpochMillis(windowMinutes) * VirtualTime.minute - returnPeriod)
            let up = start + uniform(0...latest, &rng)
            if chance(returnChance, &rng) { continue }
            let vacated = up + returnPeriod
            followUps.add(ScheduledEvent(at: vacated, type: type, detail: ["state": .string("vacated")]))
            if chance(lateReturnChance, &rng) {
                followUps.add(ScheduledEvent(at: vacated + uniform(5 * VirtualTime.minute...90 * VirtualTime.minute, &rng), type: type, detail: ["state": .string("occupied")]))
            }
        }
        nextDay = day
        return followUps.take(before: to).sorted { $0.at < $1.at }
    }
}
