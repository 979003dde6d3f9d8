import Foundation
import Testing
@testable import VigilStore
import VigilTesting
import VigilWire

/// An emergency from a device on no register, through a real broker and `vigil serve`.
@Suite("End to end: an unregistered caller")
struct UnregisteredCallerEndToEndTests {
    @Test func aPressFromAnUnregisteredPendantIsRaisedAndListed() throws {
        let site = try Site(startDaemon: false)
        defer { site.stop() }
        let registry = Registry(try Database.openVigil(path: site.dbPath, now: 0))
        try registry.addUser(UserRecord(id: "u1", name: "Edith Clarke"), now: 0)
        try site.startVigil()
        let device = try TestDevice(site: site)
        let ack = try #require(device.send("pend-restored", eventID: "e1", event("e1", "button")))
        #expect(ack.status == .accepted)
        let code = try #require(ack.alarm)
        let resend = try #require(device.send("pend-restored", eventID: "e1", event("e1", "button")))
        #expect(resend.status == .duplicate)
        #expect(resend.alarm == code)
        let beat = try #require(device.send("pend-restored", eventID: "h1", event("h1", "heartbeat")))
        #expect(beat.status == .rejected)

        let queued = try #require(try site.queue().first { $0["id"] as? String == code })
        #expect(queued["priority"] as? Int == 1)
        #expect(queued["device"] as? String == "pend-restored")

        let listed = try site.vigil("devices", "unregistered", "--db", site.dbPath)
        let line = try #require(listed.split(separator: "\n").first { $0.hasPrefix("pend-restored") })
        // Two messages kept (the press and the heartbeat: a resend is answered, not kept twice); one
        // alarm; the last message shown.
        #expect(line.split(separator: " ", omittingEmptySubsequences: true)[1...2] == ["2", "1"])
        #expect(line.contains(#""id":"h1""#))
        #expect(listed.contains("1 unregistered device"))
        // The reserved caller is nobody's record: it is not listed among the people.
        #expect(!(try site.vigil("users", "list", "--db", site.dbPath)).contains("~unidentified"))
    }
}
