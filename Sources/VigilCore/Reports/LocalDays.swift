/// The service's calendar: which local day an instant falls on, and when a local day begins, in
/// the service's time zone (Europe/London unless set). An alarm at 00:30 BST on 1 July is a July
/// alarm of Q2, not a June one of Q1 as a UTC day would make it.
///
/// VigilCore reads no time-zone database: the store builds this from a `TimeZone` as the list of
/// UTC offsets in force over the report's span (`LocalDays(timeZone:covering:)` in VigilStore).
public struct LocalDays: Sendable, Equatable {
    public struct Change: Sendable, Equatable {
        /// From this instant on (inclusive), local time = UTC + `offsetSeconds`.
        public var from: EpochMillis
        public var offsetSeconds: Int

        public init(from: EpochMillis, offsetSeconds: Int) {
            self.from = from
            self.offsetSeconds = offsetSeconds
        }
    }

    /// Sorted by `from`; the first applies to every earlier instant too.
    public let changes: [Change]
    public let zoneName: String

    public init(zoneName: String, changes: [Change]) {
        precondition(!changes.isEmpty, "LocalDays needs at least one offset")
        self.zoneName = zoneName
        self.changes = changes.sorted { $0.from < $1.from }
    }

    public static let utc = LocalDays(zoneName: "UTC", changes: [Change(from: 0, offsetSeconds: 0)])

    /// The index of the change in force at `millis`.
    func index(at millis: EpochMillis) -> Int {
        var lo = 0, hi = changes.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if changes[mid].from <= millis { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    public func offsetSeconds(at millis: EpochMillis) -> Int { changes[index(at: millis)].offsetSeconds }

    /// The local day `millis` falls on.
    public func day(of millis: EpochMillis) -> Day { Day(millis: millis + EpochMillis(offsetSeconds(at: millis)) * 1000) }

    /// The instant the local day begins (its local midnight). UK clocks change at 01:00 or 02:00, so
    /// midnight always exists; for a zone that skips it the first instant after the gap is used.
    public func startMillis(of day: Day) -> EpochMillis {
        let wall = day.startMillis
        var guess = wall - EpochMillis(offsetSeconds(at: wall)) * 1000
        guess = wall - EpochMillis(offsetSeconds(at: guess)) * 1000
        return guess
    }

    /// A cursor for a loop over instants mostly in order: remembers the offset's span.
    public struct Cursor {
        let days: LocalDays
        var i = 0, from: EpochMillis = .max, until: EpochMillis = .min

        public init(_ days: LocalDays) { self.days = days }

        public mutating func day(of millis: EpochMillis) -> Day {
            if millis < from || millis >= until {
                i = days.index(at: millis)
                from = i == 0 ? .min : days.changes[i].from
                until = i + 1 < days.changes.count ? days.changes[i + 1].from : .max
            }
            return Day(millis: millis + EpochMillis(days.changes[i].offsetSeconds) * 1000)
        }
    }
}
