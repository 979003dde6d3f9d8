import Foundation
import Testing
import VigilSimulation
@testable import VigilStore
import VigilTesting
import VigilWire

#if canImport(Glibc)
import Glibc
#endif

/// `vigil backup` while the daemon is under a flood, then `vigil db check` on the copy.
@Suite("End to end: online backup", .serialized)
struct BackupTests {
    static let devices = 20

    @Test func backupDuringAFloodHoldsEveryEventAckedBeforeItBegan() throws {
        let site = try Site()
        defer { site.stop() }
        try site.registerSimDevices(Self.devices)
        let ids = (1...Self.devices).map { String(format: "sim-dev-%05d", $0) }

        // Run 1: every event acked (so committed) before the backup starts.
        let first = FloodPlan(devices: ids, events: 2_000, runID: "before", giveUpAfterSeconds: 60)
        let report = try Flood.run(first, broker: "127.0.0.1", port: site.broker.port, topics: Topics())
        #expect(report.unacked.isEmpty)
        #expect(report.counts.accepted == first.events)

        // Run 2 keeps the daemon committing while the backup is taken.
        let flood = try site.vigilSim([
            "flood", "--broker", site.broker.address, "--devices", "\(Self.devices)", "--events", "200000",
            "--run-id", "during", "--give-up-after", "60",
        ], log: "flood.log")
        defer { _ = flood.stop(signal: SIGTERM) }
        #expect(try waitUntil(seconds: 30) { try site.count("SELECT count(*) FROM events WHERE event_id LIKE 'during-%'") >= 1_000 })

        let backupPath = site.dir.file("backup.db")
        let out = try site.vigil("backup", "--db", site.dbPath, "--to", backupPath)
        #expect(out.contains("backed up"))
        let storedAfter = try site.count("SELECT count(*) FROM events WHERE event_id LIKE 'during-%'")
        #expect(flood.isRunning, "the flood finished before the backup: it did not overlap")

        // The copy is private, sound, and holds every event of run 1.
        var info = stat()
        #expect(stat(backupPath, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        let check = try runProgram(builtExecutable("vigil"), ["db", "check", "--db", backupPath])
        #expect(check.status == 0, "vigil db check: \(check.error)")
        let copy = try Database(path: backupPath, mode: .readOnly)
        let stored = Set(try copy.prepare("SELECT event_id FROM events WHERE event_id LIKE 'before-%'").all { $0.text(0) })
        #expect(stored == Set(first.eventIDs))
        // It is a snapshot taken mid-flood: some of run 2, not all of what the daemon has stored since.
        let during = Int(try copy.scalar("SELECT count(*) FROM events WHERE event_id LIKE 'during-%'"))
        #expect(during >= 1_000)
        #expect(during <= storedAfter)

        // A second backup to the same file needs --force.
        let again = try runProgram(builtExecutable("vigil"), ["backup", "--db", site.dbPath, "--to", backupPath])
        #expect(again.status != 0)
        #expect(again.error.contains("--force"))
    }

    @Test func dbCheckReportsACorruptDatabase() throws {
        let site = try Site(startDaemon: false)
        defer { site.stop() }
        try site.registerSimDevices(200)
        let path = site.dir.file("damaged.db")
        try site.vigil("backup", "--db", site.dbPath, "--to", path)
        try site.vigil("db", "check", "--db", path)
        // Overwrite the middle pages with garbage, as a failing disk would.
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: size / 3)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: Int(size / 3)))
        try handle.close()
        let check = try runProgram(builtExecutable("vigil"), ["db", "check", "--db", path])
        #expect(check.status != 0)
        #expect(!check.error.isEmpty)
    }
}
