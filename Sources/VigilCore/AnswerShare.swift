/// The last hour's answer-time shares that consoles show against the TSA targets (97.5 % of alarms
/// answered within 60 s, 99 % within 180 s). Of the alarms whose window has passed or that were
/// answered, the share answered within it; alarms withdrawn at the device before anyone answered are
/// not calls and do not count.
public struct AnswerShare: Sendable, Equatable {
    struct Call: Sendable, Equatable {
        var raised: EpochMillis
        var answered: EpochMillis?
        var counts: Bool
    }

    private var calls: [Int64: Call] = [:]
    public static let horizonMillis: EpochMillis = 3_600_000

    public init() {}

    /// Learns of an alarm raised, answered or closed (any state change).
    public mutating func note(_ a: Alarm) {
        calls[a.id] = Call(raised: a.raisedAt, answered: a.firstClaimedAt, counts: !a.wasWithdrawn)
    }

    /// A state change of an alarm it already knows of (a new one is learnt by `note`).
    public mutating func update(_ a: Alarm) {
        guard calls[a.id] != nil else { return }
        note(a)
    }

    /// Forgets alarms raised before the last hour.
    public mutating func forget(before cutoff: EpochMillis) {
        calls = calls.filter { $0.value.raised >= cutoff }
    }

    /// Percent answered within `seconds`, to one decimal place, or nil when no call has been decided.
    public func percentAnswered(within seconds: Int, now: EpochMillis) -> Double? {
        let window = EpochMillis(seconds) * 1000
        let decided = calls.values.filter { $0.counts && $0.raised >= now - Self.horizonMillis && ($0.answered != nil || now - $0.raised >= window) }
        guard !decided.isEmpty else { return nil }
        let within = decided.filter { c in c.answered.map { $0 - c.raised <= window } ?? false }.count
        return Double(within * 1000 / decided.count) / 10
    }
}
