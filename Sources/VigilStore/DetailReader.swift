import Foundation
import VigilCore
import VigilWire
import VigilText

/// What the console's detail pane shows for one alarm, read in one go: the person, how to get in,
/// their conditions and groups, devices with battery and last contact, responders in order, their
/// last ten alarms, the events attached to this alarm, and its notes and audit.
///
/// Times are the centre's wall-clock time (its `time_zone`), as the operator's own clock reads:
/// in summer a UTC time would put every line an hour out.
public struct DetailReader {
    let db: Database
    let timeZone: TimeZone

    public init(_ db: Database, timeZone: TimeZone) {
        self.db = db
        self.timeZone = timeZone
    }

    /// The ingest connection's reader, in the centre's zone.
    public init(_ store: IngestStore, timeZone: TimeZone) {
        self.init(store.db, timeZone: timeZone)
    }

    public func detail(alarm: Alarm) throws -> AlarmDetail {
        // `2026-07-01 03:14`, as the rota writes times.
        func time(_ ms: Int64?) -> String { ms.map { RotaTime.format($0, zone: timeZone) } ?? "never" }

        let person = try db.prepare("SELECT name, coalesce(address, ''), coalesce(access_notes, ''), coalesce(conditions, '') FROM users WHERE id = ?")
            .all([.text(alarm.user)]) { ($0.text(0), $0.text(1), $0.text(2), $0.text(3)) }.first ?? (alarm.user, "", "", "")
        let groups = try db.prepare("SELECT referral_group FROM user_groups WHERE user_id = ? ORDER BY referral_group").rows([.text(alarm.user)], table: "user_groups") {
            try $0.decode("referral_group", as: ReferralGroup.self).title
        }
        let devices = try db.prepare("SELECT id, kind, last_battery, last_contact_at FROM devices WHERE user_id = ? ORDER BY id").all([.text(alarm.user)]) {
            AlarmDetail.Line("\($0.text(0)) (\($0.text(1)))", "battery \($0.isNull(2) ? "?" : "\($0.int(2)) %"), last contact \(time($0.isNull(3) ? nil : $0.int64(3)))")
        }
        var responders: [AlarmDetail.Line] = []
        if try db.scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'responders'") == 1 {
            responders = try db.prepare("SELECT position, name, kind, phone FROM responders WHERE user_id = ? ORDER BY position").all([.text(alarm.user)]) {
                AlarmDetail.contactLine(position: $0.int(0), name: $0.text(1), kind: $0.text(2), phone: $0.text(3))
            }
        }
        let recent = try db.prepare("""
            SELECT code, type, raised_at, coalesce(outcome, state) FROM alarms WHERE user_id = ? AND id <> ? ORDER BY raised_at DESC LIMIT 10
            """).all([.text(alarm.user), .int(alarm.id)]) { AlarmDetail.Line("\(time($0.int64(2)))  \($0.text(1))", "\($0.text(3))  \($0.text(0))") }
        // The device's own time too, when it is over a minute before the receive time (a backlog).
        let events = try db.prepare("""
            SELECT received_at, type, triage, CAST(round((julianday(device_ts) - 2440587.5) * 86400000) AS INTEGER)
            FROM events WHERE alarm_id = ? ORDER BY seq DESC LIMIT 20
            """).all([.int(alarm.id)]) {
            let received = $0.int64(0), sent = $0.isNull(3) ? nil : $0.int64(3)
            guard let late = Alarm.lateBy(sentAt: sent, receivedAt: received) else {
                return AlarmDetail.Line("\(time(received))  \($0.text(1))", $0.text(2))
            }
            return AlarmDetail.Line("\(time(received))  (sent \(time(sent)))  \($0.text(1))", $0.text(2) + "  · delivered \(Age.text(late)) late")
        }
        let audit = try db.prepare("SELECT at, actor, action, detail FROM audit WHERE alarm_id = ? ORDER BY id DESC LIMIT 30").all([.int(alarm.id)]) {
            AlarmDetail.Line("\(time($0.int64(0)))  \($0.text(1))", $0.text(3).isEmpty ? $0.text(2) : "\($0.text(2)): \($0.text(3))")
        }
        return AlarmDetail(person: person.0, address: person.1, access: person.2, conditions: person.3, groups: groups,
                           devices: devices, responders: responders, recent: recent, events: events, audit: audit)
    }
}
