import VigilCore

/// A battery that drifts down a little every day until it is low, then is replaced after a visit.
/// Every event the device sends carries the level; crossing the low mark sends one `low_battery`.
public struct BatteryDrain: Sendable, Equatable {
    /// Percent per day. A pendant's coin cell lasts years: 0.05–0.2 % a day.
    public var perDay: Double
    public var lowMark: Int
    /// Time from the low report to the replacement visit (faults addressed within 24 h is the Camden
    /// KPI; batteries are often left longer, up to a week).
    public var replaceAfter: ClosedRange<EpochMillis>
    var level: Double
    var at: EpochMillis?
    var replaceAt: EpochMillis?

    public init(startLevel: Double = 100, perDay: Double = 0.1, lowMark: Int = 15, replaceAfter: ClosedRange<EpochMillis> = VirtualTime.day / 2...7 * VirtualTime.day) {
        level = startLevel
        self.perDay = perDay
        self.lowMark = lowMark
        self.replaceAfter = replaceAfter
    }

    /// Moves the level on to `t` and returns a `low_battery` event if the low mark was crossed.
    public mutating func advance(to t: EpochMillis, rng: inout SplitMix64) -> ScheduledEvent? {
        let last = at ?? t
        at = max(last, t)
        if let r = replaceAt, t >= r {
            level = 100
            replaceAt = nil
        }
        let before = level
        level = max(0, level - perDay * Double(max(0, t - last)) / Double(VirtualTime.day))
        if before > Double(lowMark), level <= Double(lowMark) {
            replaceAt = t + uniform(replaceAfter, &rng)
            return ScheduledEvent(at: t, type: .lowBattery, battery: percent)
        }
        return nil
    }

    public var percent: Int { Int(level.rounded(.down)) }
}
