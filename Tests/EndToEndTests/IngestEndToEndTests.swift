import Foundation
import Testing
import VigilTesting
import VigilWire

#if canImport(Glibc)
import Glibc
#endif

@Suite("End to end: device → Mosquitto → vigil serve → SQLite → ack → queue", .serialized)
struct IngestEndToEndTests {
    @Test func fallIsAcceptedQueuedAsP1AndItsRepeatIsADuplicate() throws {
        let site = try Site()
        defer { site.stop() }
        try site.vigil("users", "add", "--db", site.dbPath, "--id", "u1", "--name", "Edith Clarke", "--area", "3", "--group", "dementia")
        try site.vigil("devices", "add", "--db", site.dbPath, "--id", "pend-1", "--user", "u1", "--type", "pendant")
        let device = try TestDevice(site: site)

        let ack = try #require(device.send("pend-1", eventID: "7f3a-000184", event("7f3a-000184", "fall", #","battery":81"#)))
        #expect(ack.status == .accepted)
        let alarm = try #require(ack.alarm)
        #expect(alarm.hasPrefix("A-"))

        let queue = try jsonArray(try site.vigil("queue", "--db", site.dbPath, "--json"))
        #expect(queue.count == 1)
        #expect(queue.first?["id"] as? String == alarm)
        #expect(queue.first?["priority"] as? Int == 1)
        #expect(queue.first?["type"] as? String == "fall")
        #expect(queue.first?["user"] as? String == "u1")
        #expect(queue.first?["device"] as? String == "pend-1")
        #expect(queue.first?["state"] as? String == "raised")
        #expect(queue.first?["events"] as? Int == 1)
        #expect((queue.first?["raised_at"] as? String).map(RFC3339.isValid) == true)

        let again = try #require(device.send("pend-1", eventID: "7f3a-000184", event("7f3a-000184", "fall", #","battery":81"#)))
        #expect(again.status == .duplicate)
        #expect(again.alarm == alarm)
        #expect(try site.count("SELECT count(*) FROM events") == 1)

        // A second press while the alarm is open joins it rather than queueing another item.
        let repeatPress = try #require(device.send("pend-1", eventID: "7f3a-000185", event("7f3a-000185", "fall")))
        #expect(repeatPress.alarm == alarm)
        #expect(try jsonArray(try site.vigil("queue", "--db", site.dbPath, "--json")).first?["events"] as? Int == 2)
    }

    // A heartbeat (not an emergency: an unregistered emergency is raised, see UnregisteredCallerEndToEndTests).
    @Test func unregisteredDeviceIsRejectedDeadLetteredAndRecognisedOnceRegistered() throws {
        let site = try Site()
        defer { site.stop() }
        try site.vigil("users", "add", "--db", site.dbPath, "--id", "u1", "--name", "Arthur Okafor")
        let device = try TestDevice(site: site)

        let ack = try #require(device.send("ghost-1", eventID: "g1", event("g1", "heartbeat")))
        #expect(ack.status == .rejected)
        #expect(ack.error?.contains("not registered") == true)
        #expect(try site.count("SELECT count(*) FROM dead_letters WHERE reason = 'unknown_device' AND device_id = 'ghost-1'") == 1)
        #expect(try site.count("SELECT count(*) FROM events") == 0)

        // Registered while the daemon runs: the very next event is accepted, no restart.
        try site.vigil("devices", "add", "--db", site.dbPath, "--id", "ghost-1", "--user", "u1", "--type", "pendant")
        let later = try #require(device.send("ghost-1", eventID: "g2", event("g2", "button")))
        #expect(later.status == .accepted)
    }

    @Test func badInputNeverStopsTheDaemon() throws {
        let site = try Site()
        defer { site.stop() }
        try site.registerSimDevices(1)
        let device = try TestDevice(site: site)
        let dev = "sim-dev-00001"

        try device.sendRaw(dev, Array("{not json".utf8))
        try device.sendRaw(dev, [0xFF, 0xFE, 0x00])
        try device.sendRaw("not a valid id", Array(event("x", "fall").utf8))
        let big = event("big-1", "button", #","pad":""# + String(repeating: "x", count: 20_000) + "\"")
        #expect(device.send(dev, eventID: "big-1", big)?.status == .rejected)
        #expect(device.send(dev, eventID: "t1", event("t1", "teleport"))?.error?.contains("not known") == true)
        // A key sent twice is refused (a missing side field no longer is: it is a warning).
        #expect(device.send(dev, eventID: "t2", #"{"id":"t2","type":"heartbeat","type":"fall"}"#)?.status == .rejected)

        // Still serving.
        #expect(device.send(dev, eventID: "ok-1", event("ok-1", "smoke"))?.status == .accepted)
        #expect(site.daemon.isRunning)
        let stats = try #require(try JSONSerialization.jsonObject(with: Data(try site.vigil("stats", "--db", site.dbPath, "--json").utf8)) as? [String: Any])
        let byReason = try #require(stats["dead_letters_by_reason"] as? [String: Int])
        #expect(byReason["invalid_json"] == 1)
        #expect(byReason["invalid_utf8"] == 1)
        #expect(byReason["payload_too_large"] == 1)
        #expect(byReason["unknown_type"] == 1)
        #expect(byReason["duplicate_key"] == 1)
        #expect(stats["events"] as? Int == 1)
    }

    @Test func sigtermStopsCleanly() throws {
        let site = try Site()
        defer { site.stop() }
        #expect(site.daemon.stop(signal: SIGTERM) == 0)
        #expect(site.daemon.log().contains("ingest stopped"))
    }
}
