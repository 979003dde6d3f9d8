import Foundation
import Mosquitto
import Testing
@testable import VigilStore
import VigilTesting
import VigilWire

/// Issue 12, section 1, on a real Mosquitto and `vigil serve`: a fall detector that reports its
/// confidence as a percentage still raises a fall, and its ack says what was dropped.
@Suite("End to end: a side field never refuses an emergency", .serialized)
struct WireSafetyEndToEndTests {
    @Test func aFallWithConfidence93RaisesAnAlarmAndItsAckCarriesAWarning() throws {
        let site = try Site()
        defer { site.stop() }
        try site.vigil("users", "add", "--db", site.dbPath, "--id", "u1", "--name", "Edith Clarke", "--area", "3")
        try site.vigil("devices", "add", "--db", site.dbPath, "--id", "fall-1", "--user", "u1", "--type", "fall-detector")
        let device = try TestDevice(site: site)

        let payload = #"{"id":"f-93","ts":"2026-11-22T02:14:07Z","type":"fall","battery":80.5,"detail":{"confidence":93}}"#
        let ack = try #require(device.send("fall-1", eventID: "f-93", payload))
        #expect(ack.status == .accepted)
        #expect(ack.warnings?.contains("detail.confidence 93 is not between 0 and 1; ignored") == true)
        #expect(ack.warnings?.contains("battery 80.5 is not a whole percent; ignored") == true)
        let code = try #require(ack.alarm)

        // The fall is a P1 in the queue, and the installer has a P3 for the malformed data.
        let queue = try site.queue()
        let fall = try #require(queue.first { $0["id"] as? String == code })
        #expect(fall["priority"] as? Int == 1)
        #expect(fall["type"] as? String == "fall")
        let fault = try #require(queue.first { $0["type"] as? String == "device_fault" })
        #expect(fault["priority"] as? Int == 3)
        #expect(fault["device"] as? String == "fall-1")
        let stored = try Inspection(path: site.dbPath)
        #expect(try stored.alarm(code: try #require(fault["id"] as? String))?.reason.hasPrefix("device sends malformed data: ") == true)

        // Stored once, raw payload exactly as received; nothing dead-lettered.
        #expect(try stored.storedPayload(device: "fall-1", eventID: "f-93") == Array(payload.utf8))
        #expect(try site.count("SELECT count(*) FROM events WHERE device_id = 'fall-1' AND event_id = 'f-93'") == 1)
        #expect(try site.count("SELECT count(*) FROM dead_letters") == 0)
    }

    /// Issue 12, section 11: a command left retained on its topic is carried out once when it is
    /// published live, and never again when the broker replays it to a restarted daemon.
    @Test func aRetainedCommandIsNotCarriedOutAgainAfterARestart() throws {
        let site = try Site()
        defer { site.stop() }
        try site.vigil("users", "add", "--db", site.dbPath, "--id", "u1", "--name", "Edith Clarke")
        try site.vigil("devices", "add", "--db", site.dbPath, "--id", "pend-1", "--user", "u1", "--type", "pendant")
        try site.vigil("operators", "add", "--db", site.dbPath, "--id", "op1", "--name", "Sam Okoro")
        let code = try #require(try TestDevice(site: site).send("pend-1", eventID: "b1", event("b1", "button"))?.alarm)
        func notes() throws -> Int { try site.count("SELECT count(*) FROM audit a JOIN alarms l ON l.id = a.alarm_id WHERE l.code = ? AND a.action = 'note'", [.text(code)]) }

        // A console that wrongly sets the retain flag on a note.
        let client = try MosquittoClient(.init(host: "127.0.0.1", port: site.broker.port))
        var connected = false
        #expect(waitUntil(seconds: 5) {
            for case .connected(let rc) in client.pump(timeoutMilliseconds: 20) where rc == 0 { connected = true }
            return connected
        })
        let note = ConsoleCommand(request: "r-retained", action: .note, alarm: code, text: "rang the daughter")
        _ = try client.publish(ConsoleTopics().commands("op1"), WireEncoder().encode(note), qos: 1, retain: true)
        #expect(waitUntil(seconds: 10) { _ = client.pump(timeoutMilliseconds: 20); return (try? notes()) == 1 })
        client.disconnect()

        // Restarted, the daemon's subscription receives the retained copy: ignored.
        site.daemon.stop()
        try site.startVigil()
        // A later command through the CLI is answered after the retained copy has been read.
        #expect(try site.alarm("note", code, operator: "op1", "--text", "on her way").status == 0)
        #expect(try notes() == 2)
        // Ignored as retained, not refused as a replay of its request id (which would be audited).
        #expect(try site.count("SELECT count(*) FROM audit a JOIN alarms l ON l.id = a.alarm_id WHERE l.code = ? AND a.action = 'refused'", [.text(code)]) == 0)
    }
}
