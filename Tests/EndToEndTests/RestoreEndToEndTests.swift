import Foundation
import Testing
@testable import VigilStore
import VigilTesting
import VigilWire

#if canImport(Glibc)
import Glibc
#endif

/// Issue 15, part 5: a backup restored while the broker still holds the retained queue of the
/// database it replaces.
@Suite("End to end: restore under a live broker", .serialized)
struct RestoreEndToEndTests {
    @Test func afterARestoreTheConsolesQueueIsTheDatabasesAndNoAlarmCodeIsReused() throws {
        let site = try Site()
        defer { site.stop() }
        for i in 1...4 {
            try site.vigil("users", "add", "--db", site.dbPath, "--id", "u\(i)", "--name", "Person \(i)")
            try site.vigil("devices", "add", "--db", site.dbPath, "--id", "pend-\(i)", "--user", "u\(i)", "--type", "pendant")
        }
        let device = try TestDevice(site: site)
        func fall(_ i: Int) throws -> String { try #require(device.send("pend-\(i)", eventID: "f\(i)", event("f\(i)", "fall"))?.alarm) }

        let kept = try fall(1)
        let backup = site.dir.file("vigil-20261204T020000Z.db")
        try site.vigil("backup", "--db", site.dbPath, "--to", backup)
        // Raised after the backup: the restore loses them, and the broker still holds their entries.
        let lost = [try fall(2), try fall(3)]
        #expect(Set(try site.retainedQueue().keys) == Set([kept] + lost))

        site.daemon.stop()
        let out = try site.vigil("restore", "--from", backup, "--db", site.dbPath)
        #expect(out.contains("kept as \(site.dbPath).broken-"))
        let broken = try FileManager.default.contentsOfDirectory(atPath: site.dir.path).filter { $0.hasPrefix("vigil.db.broken-") && !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") }
        #expect(broken.count == 1)
        #expect(try Database(path: site.dir.file(try #require(broken.first)), mode: .readOnly).scalar("SELECT count(*) FROM alarms") == 3)

        try site.daemon.start()
        // The console's view (the retained queue) and the database agree: only the alarm the backup holds.
        #expect(try waitUntil(seconds: 15) { try site.retainedQueue().keys.sorted() == [kept] })
        #expect(try site.queue().compactMap { $0["id"] as? String } == [kept])
        #expect(site.daemon.log().contains("cleared a retained queue entry"))

        // The next alarm is numbered after every code the replaced database issued.
        let next = try fall(4)
        #expect(!([kept] + lost).contains(next))
        func number(_ code: String) -> Int { Int(code.split(separator: "-").last ?? "") ?? 0 }
        #expect(number(next) == lost.map(number).max()! + 1)
        #expect(Set(try site.retainedQueue().keys) == [kept, next])
    }

    @Test func aCommandOnAnUnmigratedDatabaseSaysToRunDbMigrate() throws {
        let site = try Site(startDaemon: false)
        defer { site.stop() }
        do { try Database(path: site.dbPath).migrate(Schema.migrations[..<Schema.firstReleaseCount], now: 1) }
        let refused = try runProgram(builtExecutable("vigil"), ["users", "add", "--db", site.dbPath, "--id", "u1", "--name", "Edith Clarke"])
        #expect(refused.status != 0)
        #expect(refused.error.contains("run `vigil db migrate --db \(site.dbPath)`"))
        let migrated = try site.vigil("db", "migrate", "--db", site.dbPath)
        #expect(migrated.contains("backed up"))
        #expect(migrated.contains("now at schema version \(SchemaVersion.binary)"))
        try site.vigil("users", "add", "--db", site.dbPath, "--id", "u1", "--name", "Edith Clarke")
    }
}
