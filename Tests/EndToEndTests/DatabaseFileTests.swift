import Foundation
import Testing
@testable import VigilStore
import VigilTesting
import VigilWire

/// The database file is watched: replaced under a running daemon, nothing more is acknowledged, the
/// daemon says why and exits, and the broker keeps the event for the next run.
@Suite("End to end: the database file is watched", .serialized)
struct DatabaseFileTests {
    @Test func aReplacedDatabaseStopsTheAcksAndTheEventWaitsForTheNextRun() throws {
        let site = try Site()
        defer { site.stop() }
        try site.vigil("users", "add", "--db", site.dbPath, "--id", "u1", "--name", "Edith Clarke")
        try site.vigil("devices", "add", "--db", site.dbPath, "--id", "pend-1", "--user", "u1", "--type", "pendant")
        let device = try TestDevice(site: site)
        #expect(device.send("pend-1", eventID: "b1", event("b1", "button"))?.status == .accepted)

        // Someone restores a copy over the live file by hand (a rename: a new inode at the same path).
        let copy = site.dir.file("copy.db")
        _ = try Backup.run(source: site.dbPath, destination: copy)
        #expect(rename(copy, site.dbPath) == 0)
        #expect(device.send("pend-1", eventID: "b2", event("b2", "fall")) == nil, "no ack for an event written to a file nobody will open")
        #expect(waitUntil(seconds: 15) { !site.daemon.isRunning })
        #expect(site.daemon.log().contains("the database file was deleted or replaced while the daemon ran"))

        // The next run opens the file that is there now; the broker still has the fall for it.
        try site.startVigil()
        #expect(waitUntil(seconds: 15) { device.publisher.service(timeoutMilliseconds: 10); return device.acks["b2"] != nil })
        #expect(device.acks["b2"]?.status == .accepted)
        #expect(try site.count("SELECT count(*) FROM events WHERE event_id = 'b2'") == 1)
    }
}
