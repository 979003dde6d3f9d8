import Foundation
import Testing
import VigilCore
import VigilTesting
@testable import VigilStore

/// The response report's outcomes by alarm type on a hand-made history: who a responder reached, and
/// the ambulance call-outs their visit avoided, checked against SQL computed here.
@Suite("Report: outcomes by alarm type")
struct OutcomesByTypeTests {
    @Test func ambulancesAvoidedByAVisitMatchTheSQL() throws {
        let dir = try TemporaryDirectory(prefix: "vigil-outcomes")
        defer { dir.remove() }
        let db = try Database.openVigil(path: dir.file("vigil.db"), now: 1)
        let registry = Registry(db)
        try registry.addUser(UserRecord(id: "u1", name: "Edith Clarke", area: 3), now: 1)
        try registry.addDevice(DeviceRecord(id: "d1", userID: "u1", kind: .pendant), now: 1)
        let t0 = Day(year: 2026, month: 11, day: 10)!.startMillis + 10 * 3_600_000
        let minute: EpochMillis = 60_000
        // (type, outcome or nil while open, visit: nil none, false dispatched but never there, true on site)
        let live: [(EventType, Outcome?, Bool?)] = [
            (.fall, .fallNotInjured, true), (.fall, .ambulanceConveyed, true), (.fall, .ambulanceNotConveyed, false),
            (.button, .gpAppointment, nil), (.fall, .admittedToHospital, true), (.fall, nil, true), (.fall, .fallInjured, nil),
        ]
        for (i, (type, outcome, visit)) in live.enumerated() {
            let at = t0 + EpochMillis(i) * 3_600_000
            let closed = outcome == nil ? "NULL" : "\(at + 50 * minute)"
            try db.execute("""
                INSERT INTO alarms(id, code, user_id, device_id, type, priority, reason, state, raised_at, closed_at, outcome)
                    VALUES (\(i + 1), 'A-2026-\(i + 1)', 'u1', 'd1', '\(type.rawValue)', 1, 'x', '\(outcome == nil ? "raised" : "resolved")', \(at), \(closed),
                            \(outcome.map { "'\($0.rawValue)'" } ?? "NULL"))
                """)
            if let visit {
                try db.execute("""
                    INSERT INTO visits(alarm_id, responder, dispatched_by, dispatched_at, on_site_at)
                        VALUES (\(i + 1), 'resp-1', 'op1', \(at + minute), \(visit ? "\(at + 20 * minute)" : "NULL"))
                    """)
            }
        }
        // From before Vigil: a fall a responder went to, a button press that needed an ambulance.
        for (type, outcome) in [(EventType.fall, Outcome.responderSent), (.button, .ambulance)] {
            try db.execute("""
                INSERT INTO alarm_history(user_id, type, priority, raised_at, claimed_at, resolved_at, outcome)
                    VALUES ('u1', '\(type.rawValue)', 1, \(t0), \(t0 + 30_000), \(t0 + 40 * minute), '\(outcome.rawValue)')
                """)
        }
        let range = DayRange(first: Day(year: 2026, month: 11, day: 1)!, last: Day(year: 2026, month: 11, day: 30)!)
        let rows = try ResponseQueries(db).report(range: range, calendar: .utc).outcomesByType
        #expect(rows.map(\.type) == ["button", "fall"])
        let fall = try #require(rows.last)

        func sql(_ q: String) throws -> Int { Int(try db.scalar(q)) }
        let onSite = "id IN (SELECT alarm_id FROM visits WHERE on_site_at IS NOT NULL)"
        let ambulance = "('ambulance','ambulance-conveyed','ambulance-not-conveyed')"
        #expect(fall.alarms == (try sql("SELECT count(*) FROM alarms WHERE type = 'fall'")) + 1)
        #expect(fall.responderVisits == (try sql("SELECT count(*) FROM alarms WHERE type = 'fall' AND \(onSite)"))
                + (try sql("SELECT count(*) FROM alarm_history WHERE type = 'fall' AND outcome = 'responder-sent'")))
        #expect(fall.ambulanceAvoided == (try sql("""
            SELECT count(*) FROM alarms WHERE type = 'fall' AND \(onSite) AND outcome IS NOT NULL
                AND outcome NOT IN \(ambulance) AND outcome <> 'admitted-to-hospital'
            """)) + 1, "the history's responder-sent fall")
        #expect(fall.responderVisits == 5)
        #expect(fall.ambulanceAvoided == 2, "not injured, and the history's; not the conveyed, the admitted or the open one")
        #expect((fall.ambulances, fall.conveyed, fall.notConveyed, fall.admitted, fall.fallsInjured, fall.fallsNotInjured) == (2, 1, 1, 1, 1, 1))
        let button = try #require(rows.first)
        #expect((button.alarms, button.responderVisits, button.ambulances, button.gpAppointments) == (2, 0, 1, 1))
    }

    /// Every outcome and every alarm type can be kept in the history table: its CHECKs list them all
    /// (a new case fails here until a migration rebuilds the table, as Schema.swift describes).
    @Test func theHistoryTableTakesEveryOutcomeAndType() throws {
        let dir = try TemporaryDirectory(prefix: "vigil-outcomes")
        defer { dir.remove() }
        let db = try Database.openVigil(path: dir.file("vigil.db"), now: 1)
        try Registry(db).addUser(UserRecord(id: "u1", name: "Edith Clarke"), now: 1)
        let insert = try db.prepare("INSERT INTO alarm_history(user_id, type, priority, raised_at, resolved_at, outcome) VALUES ('u1', ?, 1, 0, 1, ?)")
        for outcome in Outcome.allCases { try insert.run([.text(EventType.fall.rawValue), .text(outcome.rawValue)]) }
        for type in EventType.allCases { try insert.run([.text(type.rawValue), .text(Outcome.test.rawValue)]) }
        #expect(try db.scalar("SELECT count(*) FROM alarm_history") == Int64(Outcome.allCases.count + EventType.allCases.count))
    }
}
