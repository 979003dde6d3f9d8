import Foundation
import VigilCore

/// The wall clock, read only at the edges: the ingest loop asks it for the receive time of each batch.
public protocol WallClock: Sendable {
    func now() -> EpochMillis
    /// Local minutes after midnight at `millis` (for night windows).
    func minuteOfDay(_ millis: EpochMillis) -> Int
    /// The calendar year at `millis` (alarm codes carry it).
    func year(_ millis: EpochMillis) -> Int
}

/// The machine's clock in the machine's time zone.
public struct SystemWallClock: WallClock {
    public let timeZone: TimeZone

    public init(timeZone: TimeZone = .current) {
        self.timeZone = timeZone
    }

    public func now() -> EpochMillis {
        EpochMillis((Date().timeIntervalSince1970 * 1000).rounded())
    }

    public func minuteOfDay(_ millis: EpochMillis) -> Int {
        let local = millis / 1000 + Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(millis) / 1000)))
        return Int(((local % 86_400) + 86_400) % 86_400 / 60)
    }

    public func year(_ millis: EpochMillis) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.component(.year, from: Date(timeIntervalSince1970: Double(millis) / 1000))
    }
}
