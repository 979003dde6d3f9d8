import Foundation
import Mosquitto
import Testing
import VigilTesting
import VigilWire

/// The real formats commodity hardware speaks, through the real broker and daemon.
@Suite("End to end: Zigbee2MQTT and FHIR", .serialized)
struct AdapterEndToEndTests {
    /// Publishes like a Zigbee2MQTT bridge: QoS 1, no application ack, and waits for the broker's PUBACK.
    func bridgePublish(_ site: Site, _ name: String, _ json: String) throws {
        let client = try MosquittoClient(.init(host: "127.0.0.1", port: site.broker.port))
        var mid: Int32 = -1
        var acked = false
        _ = waitUntil(seconds: 10) {
            for e in client.pump(timeoutMilliseconds: 10) {
                switch e {
                case .connected(0): mid = (try? client.publish("zigbee2mqtt/\(name)", Array(json.utf8), qos: 1)) ?? -1
                case .published(let m) where m == mid: acked = true
                default: break
                }
            }
            return acked
        }
        client.disconnect()
        #expect(acked, "the broker never acknowledged the bridge's publish")
    }

    @Test func zigbeeSmokeAlarmRaisesOnTheTransitionAndWaitsForACallBackOnFalse() throws {
        let site = try Site()
        defer { site.stop() }
        try site.vigil("users", "add", "--db", site.dbPath, "--id", "u1", "--name", "Maureen Byrne")
        try site.vigil("devices", "add", "--db", site.dbPath, "--id", "smoke-1", "--user", "u1", "--type", "smoke", "--zigbee", "kitchen_smoke")

        try bridgePublish(site, "kitchen_smoke", #"{"smoke":false,"battery":100,"linkquality":87}"#)
        #expect(try waitUntil(seconds: 10) { try site.count("SELECT count(*) FROM zigbee_state WHERE device_id = 'smoke-1'") == 1 })
        #expect(try site.queue().isEmpty)

        try bridgePublish(site, "kitchen_smoke", #"{"smoke":true,"battery":"99.00","linkquality":80}"#)
        #expect(try waitUntil(seconds: 10) { try site.queue().count == 1 })
        let alarm = try #require(try site.queue().first)
        #expect(alarm["type"] as? String == "smoke")
        #expect(alarm["priority"] as? Int == 1)
        #expect(alarm["device"] as? String == "smoke-1")

        // The bridge republishes the same state with a new link quality: nothing new.
        try bridgePublish(site, "kitchen_smoke", #"{"smoke":true,"battery":99,"linkquality":60}"#)
        try bridgePublish(site, "kitchen_smoke", #"{"smoke":false,"battery":99,"linkquality":60}"#)
        // The detector going quiet does not close a fire alarm: it waits, marked, for a person to confirm.
        #expect(try waitUntil(seconds: 10) { try site.count("SELECT count(*) FROM audit WHERE action = 'device-clear'") == 1 })
        #expect(try site.queue().count == 1)
        #expect(try site.count("SELECT count(*) FROM alarms WHERE device_id = 'smoke-1' AND state = 'raised' AND reason LIKE '%call back to confirm'") == 1)
        #expect(try site.count("SELECT count(*) FROM events WHERE device_id = 'smoke-1'") == 2) // the smoke and its clear

        // A friendly name nobody registered is counted (a leak is no emergency: nothing raised), and
        // never stops the daemon.
        try bridgePublish(site, "garage_leak", #"{"water_leak":true}"#)
        #expect(try waitUntil(seconds: 10) { try site.count("SELECT coalesce(sum(messages), 0) FROM zigbee_unregistered WHERE topic = 'zigbee2mqtt/garage_leak'") == 1 })
        #expect(try site.count("SELECT count(*) FROM dead_letters") == 0)
        #expect(site.daemon.isRunning)
    }

    /// Issue 12, sections 6 and 10 through the bridge: a smoke alarm paired at the bridge but never
    /// registered is raised for identification, and a registered detector's alarm in words Vigil does
    /// not read raises a P3; both are listed.
    @Test func anUnpairedSmokeAlarmAndAnUnreadAlarmKeyBothReachTheQueue() throws {
        let site = try Site()
        defer { site.stop() }
        try site.vigil("users", "add", "--db", site.dbPath, "--id", "u1", "--name", "Maureen Byrne")
        try site.vigil("devices", "add", "--db", site.dbPath, "--id", "co-1", "--user", "u1", "--type", "co", "--zigbee", "hall_co")

        for level in [10, 90] { try bridgePublish(site, "lounge_bulb", #"{"state":"ON","brightness":\#(level)}"#) }
        try bridgePublish(site, "loft_smoke", #"{"smoke":true,"battery":100}"#)
        #expect(try waitUntil(seconds: 10) { try site.queue().count == 1 })
        let p1 = try #require(try site.queue().first)
        #expect(p1["priority"] as? Int == 1)
        #expect(p1["device"] as? String == "zigbee2mqtt/loft_smoke")

        try bridgePublish(site, "hall_co", #"{"carbon_monoxide":false,"co_state":"alarm"}"#)
        #expect(try waitUntil(seconds: 10) { try site.queue().count == 2 })
        let p3 = try #require(try site.queue().first { $0["device"] as? String == "co-1" })
        #expect(p3["priority"] as? Int == 3)

        let unregistered = try site.vigil("devices", "unregistered", "--db", site.dbPath)
        let bulb = try #require(unregistered.split(separator: "\n").first { $0.contains("zigbee2mqtt/lounge_bulb") })
        #expect(bulb.split(separator: " ").contains("2"))
        #expect(unregistered.contains("zigbee2mqtt/loft_smoke"))
        let unread = try site.vigil("devices", "unrecognised", "--db", site.dbPath)
        #expect(unread.contains("co-1"))
        #expect(unread.contains("co_state: alarm"))
        #expect(try site.count("SELECT count(*) FROM dead_letters") == 1) // only the smoke alarm's payload is kept whole
    }

    @Test func fhirObservationIsAckedAndTriagedByNEWS2() throws {
        let site = try Site()
        defer { site.stop() }
        try site.vigil("users", "add", "--db", site.dbPath, "--id", "u1", "--name", "Gwen Llewellyn")
        try site.vigil("devices", "add", "--db", site.dbPath, "--id", "th-1", "--user", "u1", "--type", "telehealth")
        let device = try TestDevice(site: site)

        // SpO2 88 % scores 3 on NEWS2 scale 1: a single 3 is an urgent (P2) alarm.
        let low = WireEncoder().encode(FHIRObservation(id: "obs-1", effective: "2026-11-22T08:00:00Z", code: .oxygenSaturationByPulseOximetry, value: 88))
        let ack = try #require(device.sendObservation("th-1", eventID: "obs-1", low))
        #expect(ack.status == .accepted)
        #expect(ack.alarm != nil)
        #expect(try site.queue().first?["priority"] as? Int == 2)

        // Weight in stone is not a unit Vigil accepts: rejected with a reason, dead-lettered.
        let wrongUnit = WireEncoder().encode(FHIRObservation(id: "obs-2", effective: "2026-11-22T08:00:00Z", code: .bodyWeight, value: 12, unit: "[stone_av]"))
        let refused = try #require(device.sendObservation("th-1", eventID: "obs-2", wrongUnit))
        #expect(refused.status == .rejected)
        #expect(try site.count("SELECT count(*) FROM dead_letters WHERE reason = 'wrong_unit'") == 1)
    }
}
