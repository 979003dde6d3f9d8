import Foundation
import VigilCore

extension LocalDays {
    /// The service's calendar over `range` (with a day's margin either side) read from the
    /// time-zone database: the offset at the start and at each transition Foundation reports.
    public init(timeZone: TimeZone, covering range: DayRange) {
        let start = Date(timeIntervalSince1970: Double(range.first.adding(days: -1).startMillis) / 1000)
        let end = Date(timeIntervalSince1970: Double(range.last.adding(days: 2).startMillis) / 1000)
        var changes = [Change(from: EpochMillis(start.timeIntervalSince1970 * 1000), offsetSeconds: timeZone.secondsFromGMT(for: start))]
        var at = start
        while let next = timeZone.nextDaylightSavingTimeTransition(after: at), next < end, next > at {
            changes.append(Change(from: EpochMillis((next.timeIntervalSince1970 * 1000).rounded()), offsetSeconds: timeZone.secondsFromGMT(for: next)))
            at = next
        }
        self.init(zoneName: timeZone.identifier, changes: changes)
    }
}
