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

        // An unknown friendly name is dead-lettered, and never stops the daemon.
        try bridgePublish(site, "garage_leak", #"{"water_leak":true}"#)
        #expect(try waitUntil(seconds: 10) { try site.count("SELECT count(*) FROM dead_letters WHERE reason = 'unknown_device'") == 1 })
        #expect(site.daemon.isRunning)
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
