import Foundation
import Synchronization
import VigilCore

/// The wall clock, read only at the edges: the ingest loop asks it for the receive time of each batch.
public protocol WallClock: Sendable {
    func now() -> EpochMillis
    /// The zone of the centre, for night windows and the year in alarm codes.
    var timeZone: TimeZone { get }
}

extension WallClock {
    /// Local minutes after midnight at `millis` (for night windows).
    func minuteOfDay(_ millis: EpochMillis) -> Int {
        let local = millis / 1000 + Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(millis) / 1000)))
        return Int(((local % 86_400) + 86_400) % 86_400 / 60)
    }

    /// The local calendar day at `millis`, as a day number (for "once a day" rules).
    func localDay(_ millis: EpochMillis) -> Int64 {
        let local = millis / 1000 + Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(millis) / 1000)))
        return local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
    }
}

/// The calendar year of a time, worked out with the calendar once a year: every event accepted asks
/// for it (alarm codes carry it), and a Calendar per event was 2.7 % of the daemon's CPU flat out.
struct YearCache {
    private var year = 0
    private var span: Range<EpochMillis> = 0..<0

    mutating func year(_ millis: EpochMillis, in clock: any WallClock) -> Int {
        if span.contains(millis) { return year }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = clock.timeZone
        let date = Date(timeIntervalSince1970: Double(millis) / 1000)
        year = calendar.component(.year, from: date)
        span = calendar.dateInterval(of: .year, for: date).map {
            EpochMillis(($0.start.timeIntervalSince1970 * 1000).rounded())..<EpochMillis(($0.end.timeIntervalSince1970 * 1000).rounded())
        } ?? 0..<0
        return year
    }
}

/// The machine's clock.
public struct SystemWallClock: WallClock {
    public let timeZone: TimeZone

    public init(timeZone: TimeZone = .current) {
        self.timeZone = timeZone
    }

    public func now() -> EpochMillis {
        EpochMillis((Date().timeIntervalSince1970 * 1000).rounded())
    }
}

/// A clock that moves only when told to: the engine's tests and in-process scenario runs go through
/// minutes of escalation and hours of supervision in microseconds, and never depend on how fast the
/// machine is.
public final class ManualClock: WallClock {
    private let millis: Atomic<Int64>
    public let timeZone: TimeZone

    public init(at start: EpochMillis, timeZone: TimeZone = TimeZone(identifier: "UTC")!) {
        millis = Atomic(start)
        self.timeZone = timeZone
    }

    public func now() -> EpochMillis { millis.load(ordering: .acquiring) }

    func set(_ t: EpochMillis) { millis.store(t, ordering: .releasing) }
}
