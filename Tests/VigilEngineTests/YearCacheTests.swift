import Foundation
import Testing
@testable import VigilEngine

@Suite("The year in alarm codes, from the calendar once a year")
struct YearCacheTests {
    /// Times either side of midnight on New Year's Eve, in the centre's zone, in an order that makes
    /// the cache move back and forth across the boundary.
    @Test func theYearTurnsAtLocalMidnight() throws {
        let london = try #require(TimeZone(identifier: "Europe/London"))
        let auckland = try #require(TimeZone(identifier: "Pacific/Auckland"))
        // 2026-12-31T23:59:59.999Z and 2027-01-01T00:00:00.000Z.
        let lastUTC: Int64 = 1_798_761_599_999, firstUTC: Int64 = 1_798_761_600_000
        for zone in [london, auckland] {
            let clock = ManualClock(at: lastUTC, timeZone: zone)
            var cache = YearCache()
            for t in [lastUTC, firstUTC, lastUTC - 86_400_000, firstUTC + 13 * 3_600_000, lastUTC - 13 * 3_600_000, firstUTC] {
                #expect(cache.year(t, in: clock) == clock.year(t), "\(zone.identifier) at \(t)")
            }
        }
        // London is on UTC in winter: the last millisecond of 2026 there is 2026's.
        var cache = YearCache()
        #expect(cache.year(lastUTC, in: ManualClock(at: 0, timeZone: london)) == 2026)
        #expect(cache.year(firstUTC, in: ManualClock(at: 0, timeZone: london)) == 2027)
        // Auckland is 13 hours ahead: the same instant is already 2027.
        cache = YearCache()
        #expect(cache.year(lastUTC, in: ManualClock(at: 0, timeZone: auckland)) == 2027)
    }
}

@Suite("Times in sentences people read")
struct LocalTextTests {
    /// 2026-07-01 02:14:07 UTC is 03:14:07 in London (summer time), and named with its zone; in
    /// November London is on UTC.
    @Test func aTimeReadsAsTheCentresClockWithItsZone() throws {
        let clock = ManualClock(at: 0, timeZone: try #require(TimeZone(identifier: "Europe/London")))
        let summer = clock.localText(1_782_872_047_000)
        let winter = clock.localText(1_795_314_847_000)
        #expect(summer.hasPrefix("2026-07-01 03:14:07 "), "\(summer)")
        #expect(winter.hasPrefix("2026-11-22 02:34:07 "), "\(winter)")
        // The zone is named, and differs between the two.
        #expect(summer.split(separator: " ").count == 3)
        #expect(summer.split(separator: " ").last != winter.split(separator: " ").last)
    }
}
