import Foundation
import Testing
@testable import VigilEngine

@Suite("The year in alarm codes, from the calendar once a year")
struct YearCacheTests {
    /// Times either side of midnight on New Year's Eve, in the centre's zone, in an order that makes
    /// the cache move back and forth across the boundary; each year written out by hand.
    @Test func theYearTurnsAtLocalMidnight() throws {
        let london = try #require(TimeZone(identifier: "Europe/London"))
        let auckland = try #require(TimeZone(identifier: "Pacific/Auckland"))
        // 2026-12-31T23:59:59.999Z and 2027-01-01T00:00:00.000Z.
        let lastUTC: Int64 = 1_798_761_599_999, firstUTC: Int64 = 1_798_761_600_000
        let hour: Int64 = 3_600_000
        // London is on UTC in winter; Auckland is 13 hours ahead (NZDT).
        let cases: [(TimeZone, Int64, Int)] = [
            (london, lastUTC, 2026), (london, firstUTC, 2027), (london, lastUTC - 24 * hour, 2026),
            (london, firstUTC + 13 * hour, 2027), (london, lastUTC - 13 * hour, 2026), (london, firstUTC, 2027),
            (auckland, lastUTC, 2027), (auckland, firstUTC, 2027), (auckland, lastUTC - 24 * hour, 2026),
            (auckland, firstUTC + 13 * hour, 2027), (auckland, lastUTC - 13 * hour, 2026), (auckland, lastUTC - 11 * hour, 2027),
        ]
        var caches: [String: YearCache] = [:]
        for (zone, t, year) in cases {
            let found = caches[zone.identifier, default: YearCache()].year(t, in: ManualClock(at: t, timeZone: zone))
            #expect(found == year, "\(zone.identifier) at \(t)")
        }
    }
}

