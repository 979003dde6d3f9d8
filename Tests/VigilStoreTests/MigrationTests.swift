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
        ("2026-12-04-targets", "4070f32ec4b2bdd7"),
    ]

    @Test func releasedMigrationsAreUnchanged() {
        #expect(Schema.migrations.count >= Self.released.count)
        for (i, r) in Self.released.enumerated() {
            let m = Schema.migrations[i]
            #expect(m.name == r.name, "migration \(i) is \(m.name); released as \(r.name): migrations are only ever appended")
            #expect(Self.fingerprint(m.sql) == r.fingerprint, "\(r.name) was edited after release: add a new migration instead")
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
}
