import Testing
import VigilCore
import VigilTesting
@testable import VigilStore

/// A released migration is frozen text (docs/design.md, "Storage"). These tests fail when someone
/// edits one, and show what a fresh file built from the first release's migrations holds.
@Suite("Frozen migrations")
struct MigrationTests {
    /// FNV-1a over the SQL's UTF-8 bytes, as hex: enough to notice any edit, one space included.
    static func fingerprint(_ sql: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in sql.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return String(h, radix: 16)
    }

    /// The released migrations and the fingerprint of the text each shipped with. Add a line for a
    /// new migration when it is released; never change a line that is here.
    static let released: [(name: String, fingerprint: String)] = [
        ("2026-11-23-foundation", "923b331d12e1470f"),
        ("2026-11-23-operations", "ba5a35bf31fda0ab"),
        ("2026-11-23-adapters", "20eb01a734bccd17"),
        ("2026-11-23-console", "3f53a5ea0f9c937a"),
        ("2026-11-23-caseload", "f9c49efc0f25785b"),
        ("2026-12-04-unregistered-callers", "4958cc590ad60035"),
        ("2026-12-04-wire-safety", "cde6f1c69810d339"),
        ("2026-12-04-targets", "4070f32ec4b2bdd7"),
        ("2026-12-04-restore", "4ca3bfb20fbf9c08"),
        ("2026-12-05-person-status", "3a9774236d55eb30"),
        ("2026-12-05-escalation-notices", "bd5376f4e9a43017"),
        ("2026-12-05-visits", "d77b83faaff61e15"),
        ("2026-12-06-rota", "30dd66689dd61a76"),
        ("2026-12-06-referrals", "36e6d6fd1e8fc6f6"),
        ("2026-12-06-zigbee-unregistered", "8e2c341d69a54643"),
        ("2026-12-07-webhook-outbox", "d5e95330ce5deaa1"),
        ("2026-12-08-visit-access", "bdfd01a0bd515664"),
        ("2026-12-08-hand-over-offers", "6285e38c5a767aba"),
        ("2026-12-09-history-outcomes", "7a1f33bedbf9caf0"),
        ("2026-12-10-care-home-services", "eee16a46945cb4f1"),
    ]

    @Test func releasedMigrationsAreUnchanged() {
        #expect(Schema.migrations.count >= Self.released.count)
        for (i, r) in Self.released.enumerated() {
            let m = Schema.migrations[i]
            #expect(m.name == r.name, "migration \(i) is \(m.name); released as \(r.name): migrations are only ever appended")
            #expect(Self.fingerprint(m.sql) == r.fingerprint, "\(r.name) was edited after release (its text now hashes to \(Self.fingerprint(m.sql))): add a new migration instead")
        }
    }

    @Test func migrationNamesAreUnique() {
        let names = Schema.migrations.map(\.name)
        #expect(Set(names).count == names.count)
    }

    @Test func theFirstReleaseUpgradesToTheNewestSchema() throws {
        let dir = try TemporaryDirectory(prefix: "vigil-migrate")
        defer { dir.remove() }
        let db = try Database(path: dir.file("vigil.db"))
        try db.migrate(Schema.migrations[..<Schema.firstReleaseCount], now: 1)
        #expect(try db.scalar("SELECT count(*) FROM schema_migrations") == Int64(Schema.firstReleaseCount))
        try db.migrate(now: 2)
        #expect(try db.scalar("SELECT count(*) FROM schema_migrations") == Int64(Schema.migrations.count))
        // Running it again changes nothing.
        try db.migrate(now: 3)
        #expect(try db.scalar("SELECT count(*) FROM schema_migrations WHERE applied_at = 3") == 0)
        #expect(try IntegrityCheck.problems(path: dir.file("vigil.db")).isEmpty)
    }

    @Test func aStoredValueThisVersionDoesNotKnowIsAnErrorNamingIt() throws {
        let dir = try TemporaryDirectory(prefix: "vigil-unknown")
        defer { dir.remove() }
        let db = try Database.openVigil(path: dir.file("vigil.db"), now: 1)
        try Registry(db).addUser(UserRecord(id: "u1", name: "Edith Clarke"), now: 1)
        // An operator role written by a newer version (the CHECK allows it only with checks off).
        try db.execute("PRAGMA ignore_check_constraints = ON")
        try db.execute("INSERT INTO operators(id, name, role, created_at) VALUES ('op9', 'Nell', 'auditor', 1)")
        let store = try AlarmStore(db)
        #expect {
            _ = try store.operatorRole("op9")
        } throws: { error in
            "\(error)".contains("operators.role") && "\(error)".contains("'auditor'")
        }
    }

    /// The alarms table is rebuilt (its device reference dropped, for unregistered callers): every
    /// column of every row survives, and the events and audit rows that refer to alarms still do.
    @Test func rebuildingTheAlarmsTableKeepsEveryRowAndReference() throws {
        let dir = try TemporaryDirectory(prefix: "vigil-rebuild")
        defer { dir.remove() }
        let db = try Database(path: dir.file("vigil.db"))
        let before = Schema.migrations.firstIndex { $0.name == "2026-12-04-unregistered-callers" }!
        try db.migrate(Schema.migrations[..<before], now: 1)
        try db.execute("""
            INSERT INTO users(id, name, created_at) VALUES ('u1', 'Edith Clarke', 1);
            INSERT INTO devices(id, user_id, kind, created_at) VALUES ('pend-1', 'u1', 'pendant', 1);
            INSERT INTO operators(id, name, role, created_at) VALUES ('op1', 'Sam Okoro', 'operator', 1);
            INSERT INTO alarms(id, code, user_id, device_id, type, priority, reason, state, raised_at, closed_at, outcome, event_count,
                               claimed_by, claimed_at, first_claimed_at, resolved_by, escalation, steps_fired, breached)
                VALUES (7, 'A-2026-000007', 'u1', 'pend-1', 'button', 1, 'button alarm', 'resolved', 100, 900, 'ambulance', 3,
                        NULL, NULL, 200, 'op1', 2, 5, 1),
                       (8, 'A-2026-000008', 'u1', 'pend-1', 'fall', 1, 'fall alarm', 'claimed', 1000, NULL, NULL, 1,
                        'op1', 1100, 1100, NULL, 0, 0, 0);
            INSERT INTO events(device_id, event_id, type, device_ts, received_at, payload, triage, alarm_id)
                VALUES ('pend-1', 'e1', 'button', '2026-11-22T02:14:07Z', 100, x'7b7d', 'P1', 7);
            INSERT INTO audit(at, alarm_id, actor, action, detail) VALUES (900, 7, 'op1', 'resolved', 'ambulance');
            """)
        let query = "SELECT * FROM alarms ORDER BY id"
        func rows() throws -> [String] {
            try db.prepare(query).rows(table: "alarms") { r in
                (0..<19).map { i in r.statement.isNull(Int32(i)) ? "NULL" : r.statement.text(Int32(i)) }.joined(separator: "|")
            }
        }
        let old = try rows()
        try db.migrate(now: 2)
        #expect(try rows() == old)
        #expect(old.count == 2)
        #expect(try db.scalar("SELECT count(*) FROM events WHERE alarm_id = 7") == 1)
        #expect(try db.scalar("SELECT count(*) FROM audit WHERE alarm_id = 7") == 1)
        #expect(try db.scalar("SELECT count(*) FROM users WHERE id = '~unidentified'") == 1)
        #expect(try IntegrityCheck.problems(path: dir.file("vigil.db")).isEmpty)
        // A device id that is on no register can now carry an alarm, against the unidentified caller.
        try db.execute("""
            INSERT INTO alarms(id, code, user_id, device_id, type, priority, reason, raised_at)
                VALUES (9, 'A-2026-000009', '~unidentified', 'pend-restored', 'button', 1, 'unregistered', 2000)
            """)
        #expect(try db.scalar("SELECT count(*) FROM alarms WHERE device_id = 'pend-restored'") == 1)
    }
}
