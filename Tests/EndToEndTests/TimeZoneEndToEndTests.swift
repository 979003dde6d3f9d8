import Foundation
import Testing
@testable import VigilStore
import VigilTesting
import VigilWire

/// The daemon reads the night on the centre's clock from `timezone:`, not on the host's. The test picks
/// fixed-offset zones in which it is, right now, 02:00-ish (night) and 13:00-ish (day) whatever the
/// host's zone and the hour the test runs, so the expected local times are the test's own.
@Suite("End to end: the centre's time zone")
struct TimeZoneEndToEndTests {
    /// An `Etc/GMT…` zone whose local hour is `hour` now (IANA's Etc names invert the sign).
    static func zone(whereItIs hour: Int) -> String {
        let utcHour = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date()).hour!
        var offset = ((hour - utcHour) % 24 + 24) % 24
        if offset > 14 { offset -= 24 }
        return offset == 0 ? "Etc/GMT" : offset > 0 ? "Etc/GMT-\(offset)" : "Etc/GMT+\(-offset)"
    }

    func exitPriority(inZone zone: String) throws -> (priority: String?, log: String) {
        let site = try Site(startDaemon: false, config: "timezone: \(zone)\n")
        defer { site.stop() }
        let registry = Registry(try Database.openVigil(path: site.dbPath, now: 0))
        try registry.addUser(UserRecord(id: "u1", name: "Edith Clarke"), now: 0)
        try registry.addDevice(DeviceRecord(id: "door-front", userID: "u1", kind: .door, propertyExit: true), now: 0)
        try site.startVigil()
        let device = try TestDevice(site: site)
        let ack = try #require(device.send("door-front", eventID: "d1", event("d1", "door", #","detail":{"state":"open"}"#)))
        #expect(ack.status == .accepted)
        let alarm = try site.queue().first { $0["device"] as? String == "door-front" }
        let log = (try? String(contentsOfFile: site.dir.file("serve.log"), encoding: .utf8)) ?? ""
        return (alarm?["priority"].map { "\($0)" }, log)
    }

    @Test func anExitAtTwoInTheMorningLocalIsAnEmergencyAndOneAtOneInTheAfternoonIsNot() throws {
        let night = Self.zone(whereItIs: 2), day = Self.zone(whereItIs: 13)
        let n = try exitPriority(inZone: night)
        #expect(n.priority == "1", "exit at about 02:00 in \(night)")
        #expect(n.log.contains("timezone=\(night)"), "the daemon logs its zone at start")
        let d = try exitPriority(inZone: day)
        #expect(d.priority == "2", "exit at about 13:00 in \(day)")
    }

    @Test func anUnknownZoneStopsTheDaemonWithASentence() throws {
        let site = try Site(startDaemon: false, config: "timezone: Europe/Londn\n")
        defer { site.stop() }
        let r = try runProgram(builtExecutable("vigil"), ["serve", "--db", site.dbPath, "--broker", site.broker.address, "--config", site.dir.file("vigil.yaml")])
        #expect(r.status != 0)
        #expect(r.error.contains("timezone must be an IANA time zone name"))
        #expect(r.error.contains("Europe/Londn"))
    }
}
