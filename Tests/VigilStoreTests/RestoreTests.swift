import Foundation
import Testing
@testable import VigilStore
import VigilTesting

#if canImport(Glibc)
import Glibc
#endif

/// `vigil restore`, `vigil db migrate` and the schema guard, on real files.
@Suite("Restore and upgrade")
struct RestoreTests {
    /// A database with `alarms` alarms raised (ids 1…alarms).
    static func centre(_ path: String, alarms: Int) throws -> Database {
        let db = try Database.openVigil(path: path, now: 1)
        try Registry(db).addUser(UserRecord(id: "u1", name: "Edith Clarke"), now: 1)
        for i in 0..<alarms { try raise(db, at: Int64(10 + i)) }
        return db
    }

    static func raise(_ db: Database, at: Int64) throws {
        let id = try AlarmStore(db).maxAlarmID() + 1
        try db.prepare("INSERT INTO alarms(id, code, user_id, device_id, type, priority, reason, raised_at) VALUES (?, ?, 'u1', 'pend-1', 'fall', 1, 'fall', ?)")
            .run([.int(id), .text("A-2026-\(id)"), .int(at)])
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    @Test func aRestoredBackupContinuesAlarmNumbersAfterTheReplacedDatabaseAndKeepsItWithItsWAL() throws {
        let dir = try TemporaryDirectory(prefix: "vigil-restore")
        defer { dir.remove() }
        let path = dir.file("vigil.db"), backup = dir.file("vigil-backup.db")
        let live = try Self.centre(path, alarms: 2)
        _ = try Backup.run(source: path, destination: backup)
        // Three more alarms after the backup; the connection stays open so the WAL holds them.
        try live.execute("PRAGMA wal_autocheckpoint = 0")
        for t in 20..<23 { try Self.raise(live, at: Int64(t)) }
        #expect(Self.exists(path + "-wal"))

        let result = try Restore.run(from: backup, to: path, stamp: "20261204T220000Z", now: 100)
        let kept = dir.file("vigil.db.broken-20261204T220000Z")
        #expect(result.keptAs == kept)
        #expect(result.highestAlarmID == 5)
        #expect(result.warning == nil)
        // The replaced database is whole: main file and WAL moved together, its five alarms readable.
        #expect(Self.exists(kept) && Self.exists(kept + "-wal") && !Self.exists(path + "-wal"))
        #expect(try Database(path: kept, mode: .readOnly).scalar("SELECT count(*) FROM alarms") == 5)

        let restored = try Database.openVigil(path: path, now: 200)
        #expect(try restored.scalar("SELECT count(*) FROM alarms") == 2)
        #expect(try AlarmStore(restored).maxAlarmID() == 5)
        #expect(try restored.scalar("SELECT count(*) FROM audit WHERE action = 'restore' AND detail LIKE '%after id 5%'") == 1)
        // The mark follows new alarms, so a second restore from the same backup still skips them.
        try Self.raise(restored, at: 300)
        #expect(try restored.scalar("SELECT max(id) FROM alarms") == 6)
        #expect(try restored.scalar("SELECT highest_id FROM alarm_code_mark") == 6)
    }

    @Test func anUnreadableReplacedDatabaseIsKeptAndSaidSo() throws {
        let dir = try TemporaryDirectory(prefix: "vigil-restore")
        defer { dir.remove() }
        let path = dir.file("vigil.db"), backup = dir.file("backup.db")
        do { _ = try Self.centre(backup, alarms: 3) }
        try Data(repeating: 0xA5, count: 8192).write(to: URL(fileURLWithPath: path))
        let result = try Restore.run(from: backup, to: path, stamp: "s", now: 100)
        #expect(result.warning?.contains("could not be read") == true)
        #expect(result.highestAlarmID == 3)
        #expect(Self.exists(path + ".broken-s"))
    }

    @Test(arguments: ["damaged", "foreign", "newer"])
    func aBackupThatFailsItsChecksChangesNothing(kind: String) throws {
        let dir = try TemporaryDirectory(prefix: "vigil-restore")
        defer { dir.remove() }
        let path = dir.file("vigil.db"), backup = dir.file("backup.db")
        do { _ = try Self.centre(path, alarms: 1) }
        switch kind {
        case "damaged":
            do { _ = try Self.centre(backup, alarms: 200) }
            let handle = try #require(FileHandle(forUpdatingAtPath: backup))
            try handle.seek(toOffset: 4096)
            try handle.write(contentsOf: Data(repeating: 0xA5, count: 16384))
            try handle.close()
        case "foreign":
            try Database(path: backup).execute("CREATE TABLE notes (x TEXT)")
        default:
            let db = try Self.centre(backup, alarms: 1)
            try db.execute("INSERT INTO schema_migrations(name, applied_at) VALUES ('2027-01-01-future', 1)")
        }
        #expect {
            _ = try Restore.run(from: backup, to: path, stamp: "s", now: 100)
        } throws: { error in
            let text = "\(error)"
            return text.contains("Nothing was changed") || text.contains("nothing was changed")
        }
        #expect(!Self.exists(path + ".broken-s"))
        #expect(try Database(path: path, mode: .readOnly).scalar("SELECT count(*) FROM alarms") == 1)
    }

    @Test func aRestoreRefusesWhileTheDaemonHoldsTheDatabase() throws {
        let dir = try TemporaryDirectory(prefix: "vigil-restore")
        defer { dir.remove() }
        let path = dir.file("vigil.db"), backup = dir.file("backup.db")
        do { _ = try Self.centre(path, alarms: 1) }
        _ = try Backup.run(source: path, destination: backup)
        let daemon = try WriterLock(databasePath: path)
        #expect {
            _ = try Restore.run(from: backup, to: path, stamp: "s", now: 100)
        } throws: { "\($0)".contains("needs the daemon stopped") }
        withExtendedLifetime(daemon) {}
    }

    @Test func aBackupIsOneSelfContainedFileWithNoWALLeftBehind() throws {
        let dir = try TemporaryDirectory(prefix: "vigil-backup")
        defer { dir.remove() }
        let path = dir.file("vigil.db")
        let live = try Self.centre(path, alarms: 3)
        for run in 1...3 {
            let copy = dir.file("backup-\(run).db")
            _ = try Backup.run(source: path, destination: copy)
            let mode = try Database(path: copy, mode: .readOnly).prepare("PRAGMA journal_mode")
            #expect(try mode.step() && mode.text(0) == "delete")
        }
        withExtendedLifetime(live) {}
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("backup") }.sorted()
        #expect(left == ["backup-1.db", "backup-2.db", "backup-3.db"])
    }

    @Test func anOlderDatabaseIsRefusedUntilMigratedAndTheMigrationBacksItUpFirst() throws {
        let dir = try TemporaryDirectory(prefix: "vigil-upgrade")
        defer { dir.remove() }
        let path = dir.file("vigil.db")
        do { try Database(path: path).migrate(Schema.migrations[..<Schema.firstReleaseCount], now: 1) }
        #expect {
            _ = try Database.openVigil(path: path, now: 2)
        } throws: { "\($0)".contains("run `vigil db migrate --db \(path)`") }
        #expect(try Database(path: path).schemaVersion() == .behind(version: Schema.firstReleaseCount, pending: Schema.migrations[Schema.firstReleaseCount...].map(\.name)))

        let result = try Upgrade.run(path: path, now: 3)
        let backup = try #require(result.backup)
        #expect(backup == Upgrade.backupPath(for: path, version: Schema.firstReleaseCount))
        #expect(try Database(path: backup, mode: .readOnly).scalar("SELECT count(*) FROM schema_migrations") == Int64(Schema.firstReleaseCount))
        #expect(try Database.openVigil(path: path, now: 4).schemaVersion() == .current)
        // Nothing pending: no second backup.
        #expect(try Upgrade.run(path: path, now: 5) == Upgrade.Result(backup: nil, applied: []))
    }

    @Test func aNewerDatabaseIsRefusedNamingBothVersions() throws {
        let dir = try TemporaryDirectory(prefix: "vigil-newer")
        defer { dir.remove() }
        let path = dir.file("vigil.db")
        try Database.openVigil(path: path, now: 1).execute("INSERT INTO schema_migrations(name, applied_at) VALUES ('2027-01-01-future', 1)")
        let expected = "has schema version \(SchemaVersion.binary + 1)"
        for attempt in [{ _ = try Database.openVigil(path: path, now: 2) }, { _ = try Database.openVigil(path: path, now: 2, migrating: true) }, { _ = try Upgrade.run(path: path, now: 2) }] {
            #expect {
                try attempt()
            } throws: { error in
                let text = "\(error)"
                return text.contains(expected) && text.contains("this vigil's schema version \(SchemaVersion.binary)") && text.contains("2027-01-01-future")
            }
        }
    }
}
