import Foundation
import Testing
import VigilCore
@testable import VigilEngine
@testable import VigilStore
import VigilTesting
import VigilWire

/// Issue 12, section 10, on the engine: what a Zigbee2MQTT bridge says that Vigil cannot read as an
/// alarm still leaves a trace, and the bridge's chatter about devices nobody registered is counted,
/// not kept message by message.
@Suite("Zigbee2MQTT words not understood and names not registered")
struct ZigbeeEngineTests {
    static let devices = EngineFixture.household + [DeviceRecord(id: "smoke-z", userID: "u1", kind: .smoke, zigbeeName: "kitchen smoke")]

    func publish(_ f: EngineFixture, _ name: String, _ json: String) throws {
        try f.centre.deliver(topic: "zigbee2mqtt/\(name)", payload: Array(json.utf8))
    }

    func count(_ f: EngineFixture, _ sql: String) throws -> Int64 {
        try Database(path: f.centre.databasePath, mode: .readOnly).scalar(sql)
    }

    @Test func anAlarmLookingKeyIsStoredEachTimeAndRaisesAP3OnceADay() throws {
        let f = try EngineFixture(devices: Self.devices)
        defer { f.dir.remove() }
        try publish(f, "kitchen smoke", #"{"smoke":false,"fire_alarm":true,"battery":90}"#)
        let p3 = try #require(try Inspection(path: f.centre.databasePath).latestAlarm(device: "smoke-z"))
        #expect(p3.priority == .technical)
        #expect(p3.type == .deviceFault)
        #expect(p3.reason == "device reports something Vigil does not understand: fire_alarm: true")
        // The same key repeated in the bridge's next state report is no new report.
        try publish(f, "kitchen smoke", #"{"smoke":false,"fire_alarm":true,"battery":89}"#)
        // A second activation the same day is stored but raises nothing more.
        try f.centre.advance(by: 3_600_000)
        try publish(f, "kitchen smoke", #"{"fire_alarm":false}"#)
        try publish(f, "kitchen smoke", #"{"fire_alarm":true}"#)
        let notices = "SELECT count(*) FROM events WHERE device_id = 'smoke-z' AND event_id LIKE '!unrecognised:%'"
        #expect(try count(f, notices) == 2)
        #expect(try count(f, notices + " AND triage LIKE 'P3 %'") == 1)
        #expect(f.centre.engine.counters.unrecognised == 2)
        // The next day, the installer hears of it again.
        try f.centre.advance(by: 86_400_000)
        try publish(f, "kitchen smoke", #"{"fire_alarm":false}"#)
        try publish(f, "kitchen smoke", #"{"fire_alarm":true}"#)
        #expect(try count(f, notices + " AND triage LIKE 'P3 %'") == 2)
        // Each notice keeps the payload as the bridge sent it.
        let stored = try count(f, "SELECT count(*) FROM events WHERE device_id = 'smoke-z' AND event_id LIKE '!unrecognised:%' AND CAST(payload AS TEXT) = '{\"fire_alarm\":true}'")
        #expect(stored == 2)

        let listed = try UnrecognisedReports(try Database(path: f.centre.databasePath, mode: .readOnly)).list()
        #expect(listed.map(\.device) == ["smoke-z"])
        #expect(listed.first?.reports == 3)
        #expect(listed.first?.user == "u1")
        #expect(listed.first?.lastKeys == "fire_alarm: true")
        #expect(listed.first?.lastPayload == Array(#"{"fire_alarm":true}"#.utf8))
    }

    @Test func chatterFromNamesNobodyRegisteredIsCountedPerTopicNotDeadLettered() throws {
        let f = try EngineFixture(devices: Self.devices)
        defer { f.dir.remove() }
        for level in [120, 200, 254] { try publish(f, "hall bulb", #"{"state":"ON","brightness":\#(level)}"#) }
        try publish(f, "hall bulb/action", "single")
        #expect(try count(f, "SELECT count(*) FROM dead_letters") == 0)
        #expect(f.centre.engine.counters.unregisteredZigbee == 4)
        let heard = try UnregisteredDevices(try Database(path: f.centre.databasePath, mode: .readOnly)).list()
        let bulb = try #require(heard.first { $0.source == "zigbee2mqtt/hall bulb" })
        #expect(bulb.isTopic)
        #expect(bulb.messages == 3)
        #expect(bulb.lastPayload == Array(#"{"state":"ON","brightness":254}"#.utf8))
        #expect(heard.first { $0.source == "zigbee2mqtt/hall bulb/action" }?.messages == 1)
    }

    @Test func anUnpairedSmokeAlarmIsRaisedForIdentificationOnItsTransitionOnly() throws {
        let f = try EngineFixture(devices: Self.devices)
        defer { f.dir.remove() }
        try publish(f, "loft smoke", #"{"smoke":false,"battery":100}"#)
        #expect(try Inspection(path: f.centre.databasePath).latestAlarm(device: "zigbee2mqtt/loft smoke") == nil)
        try publish(f, "loft smoke", #"{"smoke":true,"battery":100}"#)
        try publish(f, "loft smoke", #"{"smoke":true,"battery":99}"#)
        let alarm = try #require(try Inspection(path: f.centre.databasePath).latestAlarm(device: "zigbee2mqtt/loft smoke"))
        #expect(alarm.priority == .emergency)
        #expect(alarm.user == UnidentifiedCaller.userID)
        #expect(alarm.reason == #"smoke alarm from unregistered Zigbee device "loft smoke": identify the caller"#)
        #expect(alarm.events == 1)
        #expect(try count(f, "SELECT count(*) FROM alarms WHERE device_id = 'zigbee2mqtt/loft smoke'") == 1)
        // The payload that raised it is kept whole; the others are only counted.
        #expect(try count(f, "SELECT count(*) FROM dead_letters WHERE topic = 'zigbee2mqtt/loft smoke'") == 1)
        let heard = try UnregisteredDevices(try Database(path: f.centre.databasePath, mode: .readOnly)).list()
        let loft = try #require(heard.first { $0.source == "zigbee2mqtt/loft smoke" })
        #expect(loft.messages == 3) // the dead letter of the press is one of the three counted
        #expect(loft.alarms == 1)

        // Registered under that name, it leaves the list.
        let registry = Registry(try Database.openVigil(path: f.centre.databasePath, now: f.centre.now))
        try registry.addDevice(DeviceRecord(id: "smoke-loft", userID: "u1", kind: .smoke, zigbeeName: "loft smoke"), now: f.centre.now)
        #expect(try UnregisteredDevices(try Database(path: f.centre.databasePath, mode: .readOnly)).list().allSatisfy { $0.source != "zigbee2mqtt/loft smoke" })
    }
}

/// Issue 12, section 10, FHIR side: every Observation gets an answer.
@Suite("FHIR Bundles and Observations without an id on the engine")
struct FHIREngineTests {
    static let devices = EngineFixture.household + [DeviceRecord(id: "kit-1", userID: "u1", kind: .telehealth)]

    func observation(_ id: String?, loinc: String, value: Int, unit: String) -> String {
        let idPart = id.map { #""id":"\#($0)","# } ?? ""
        return #"{"resourceType":"Observation",\#(idPart)"status":"final","code":{"coding":[{"system":"http://loinc.org","code":"\#(loinc)"}]},"effectiveDateTime":"2026-11-22T02:14:07Z","valueQuantity":{"value":\#(value),"unit":"\#(unit)","system":"http://unitsofmeasure.org","code":"\#(unit)"}}"#
    }

    func acks(_ f: EngineFixture, _ json: String) throws -> [Ack] {
        try f.centre.deliver(topic: "telecare/v1/devices/kit-1/observations", payload: Array(json.utf8))
            .filter { $0.topic == "telecare/v1/devices/kit-1/acks" }
            .compactMap { WireDecoder().decode(Ack.self, from: $0.payload) }
    }

    @Test func eachEntryOfABundleIsStoredAndAnsweredInOrder() throws {
        let f = try EngineFixture(devices: Self.devices)
        defer { f.dir.remove() }
        let bundle = #"{"resourceType":"Bundle","id":"b-1","type":"collection","entry":[{"resource":\#(observation("o-1", loinc: "8867-4", value: 72, unit: "/min"))},{"resource":\#(observation("o-2", loinc: "59408-5", value: 84, unit: "%"))},{"resource":{"resourceType":"Observation","id":"o-3"}}]}"#
        let answers = try acks(f, bundle)
        #expect(answers.map(\.eventID) == ["o-1", "o-2", "o-3"])
        #expect(answers.map(\.status) == [.accepted, .accepted, .rejected])
        // SpO2 84 % scores 3 on its own: the second entry raised its alarm.
        #expect(answers[1].alarm != nil)
        // The Bundle resent: both readings are duplicates, nothing raised twice.
        let again = try acks(f, bundle)
        #expect(again.map(\.status) == [.duplicate, .duplicate, .rejected])
        #expect(try Inspection(path: f.centre.databasePath).storedEvents(eventIDLike: "o-%").count == 2)
    }

    @Test func anObservationWithoutAnIDIsAnsweredAndItsResendIsADuplicate() throws {
        let f = try EngineFixture(devices: Self.devices)
        defer { f.dir.remove() }
        let json = observation(nil, loinc: "59408-5", value: 84, unit: "%")
        let first = try #require(try acks(f, json).first)
        #expect(first.status == .accepted)
        #expect(first.alarm != nil)
        #expect(first.warnings?.first?.contains("no \"id\"") == true)
        let resend = try #require(try acks(f, json).first)
        #expect(resend.status == .duplicate)
        #expect(resend.eventID == first.eventID)
    }
}
