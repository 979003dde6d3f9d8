import Foundation
import Testing
import VigilCore
import VigilTesting
@testable import VigilStore

/// The response report's mobile-response figures on a hand-made history, checked against SQL
/// computed here: a visit at exactly 45:00 is within, one that never arrived is not, a cancelled
/// one is left out.
@Suite("Report: mobile response")
struct MobileResponseTests {
    @Test func sharesWithin45And60MinutesAndArrivalTimesMatchTheSQL() throws {
        let dir = try TemporaryDirectory(prefix: "vigil-mobile")
        defer { dir.remove() }
        let db = try Database.openVigil(path: dir.file("vigil.db"), now: 1)
        let registry = Registry(db)
        try registry.addUser(UserRecord(id: "u1", name: "Edith Clarke", area: 3), now: 1)
        try registry.addUser(UserRecord(id: "u2", name: "Alf Moss", area: 5), now: 1)
        try registry.addDevice(DeviceRecord(id: "d1", userID: "u1", kind: .pendant), now: 1)
        try registry.addDevice(DeviceRecord(id: "d2", userID: "u2", kind: .pendant), now: 1)
        let t0 = Day(year: 2026, month: 11, day: 10)!.startMillis + 10 * 3_600_000
        let minute: EpochMillis = 60_000
        // (alarm, user, minutes to on site or nil, minutes from on site to access or nil, cancelled)
        let visits: [(Int, String, EpochMillis?, EpochMillis?, Bool)] = [(1, "u1", 45, 5, false), (2, "u1", 30, 2, false), (3, "u1", 50, 6, false),
                                                                         (4, "u2", 61, nil, false), (5, "u2", nil, nil, false), (6, "u2", nil, nil, true),
                                                                         (7, "u1", 44, 0, false)]
        for (id, user, arrive, access, cancelled) in visits {
            let at = t0 + EpochMillis(id) * 3_600_000
            let onSite = arrive.map { at + minute + $0 * minute }
            try db.execute("""
                INSERT INTO alarms(id, code, user_id, device_id, type, priority, reason, raised_at)
                    VALUES (\(id), 'A-2026-\(id)', '\(user)', '\(user == "u1" ? "d1" : "d2")', 'fall', 1, 'fall', \(at));
                INSERT INTO visits(alarm_id, responder, dispatched_by, dispatched_at, on_site_at, access_gained_at, cancelled_at, cancel_reason)
                    VALUES (\(id), 'resp-1', 'op1', \(at + minute), \(onSite.map(String.init) ?? "NULL"),
                            \(access.flatMap { a in onSite.map { String($0 + a * minute) } } ?? "NULL"),
                            \(cancelled ? "\(at + 2 * minute)" : "NULL"), \(cancelled ? "'person answered'" : "NULL"));
                """)
        }
        try db.execute("""
            INSERT INTO call_attempts(alarm_id, operator_id, at, callee, result) VALUES (1, 'op1', \(t0), 'Mary', 'no-answer'), (1, 'op1', \(t0), 'Joan', 'answered'), (2, 'op1', \(t0), 'Mary', 'answered');
            INSERT INTO audit(at, alarm_id, actor, action) VALUES (\(t0), 1, 'op1', 'claimed'), (\(t0), 1, 'op2', 'handed-over'), (\(t0), 1, 'op2', 'resolved');
            """)
        let range = DayRange(first: Day(year: 2026, month: 11, day: 1)!, last: Day(year: 2026, month: 11, day: 30)!)
        let m = try ResponseQueries(db).report(range: range, calendar: LocalDays(timeZone: TimeZone(identifier: "Europe/London")!, covering: range)).mobile

        func sql(_ q: String) throws -> Int64 { try db.scalar(q) }
        let counted = try sql("SELECT count(*) FROM visits WHERE cancelled_at IS NULL")
        let within45 = try sql("SELECT count(*) FROM visits WHERE cancelled_at IS NULL AND on_site_at - dispatched_at <= 2700000")
        let within60 = try sql("SELECT count(*) FROM visits WHERE cancelled_at IS NULL AND on_site_at - dispatched_at <= 3600000")
        #expect(m.total.visits == Int(counted))
        #expect(m.total.cancelled == 1)
        #expect(m.total.shareWithin45 == Double(within45) / Double(counted))
        #expect(m.total.shareWithin60 == Double(within60) / Double(counted))
        // Arrivals 30, 44, 45, 50, 61: the median is the third, the 90th percentile (nearest rank) the fifth.
        let arrivals = try db.prepare("SELECT (on_site_at - dispatched_at) / 60000 FROM visits WHERE on_site_at IS NOT NULL ORDER BY 1").all { $0.int(0) }
        #expect(m.total.medianArriveMinutes == Double(arrivals[2]))
        // Access: of the five that arrived, 5:00, 2:00 and 0:00 are within; 6:00 is not, nor is one that never got in.
        let arrived = try sql("SELECT count(*) FROM visits WHERE cancelled_at IS NULL AND on_site_at IS NOT NULL")
        let inWithin5 = try sql("SELECT count(*) FROM visits WHERE cancelled_at IS NULL AND access_gained_at - on_site_at <= 300000")
        #expect(m.total.shareAccessWithin5 == Double(inWithin5) / Double(arrived))
        #expect(m.total.shareAccessWithin5 == 3.0 / 5.0)
        #expect(m.rows.first { $0.area == 5 }?.shareAccessWithin5 == 0.0)
        #expect(m.total.p90ArriveMinutes == Double(arrivals[4]))
        #expect(m.rows.map(\.area) == [3, 5])
        #expect(m.rows.first { $0.area == 3 }?.shareWithin45 == 3.0 / 4.0, "30, 44, 45 within; 50 not")
        #expect(m.rows.first { $0.area == 5 }?.shareWithin60 == 0.0)
        #expect(m.callAttemptsPerAlarm == 3.0 / 7.0)
        // Alarm 1: op1, op2, the responder, Mary, Joan; alarm 2: the responder, Mary; the rest: the responder.
        #expect(m.touchesPerAlarm == Double(5 + 2 + 5) / 7.0)
    }
}
