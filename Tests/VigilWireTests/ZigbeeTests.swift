import Foundation
import Testing
import VigilCore
@testable import VigilWire

/// Shared helpers: decode a payload written as JSON text for a role, from a previous state.
struct Z2M {
    static let adapter = Zigbee2MQTTAdapter()

    static func decode(_ json: String, _ role: ZigbeeRole, previous: ZigbeeState? = nil, adapter: Zigbee2MQTTAdapter = adapter) -> Result<ZigbeeUpdate, Rejection> {
        adapter.decode(Array(json.utf8), role: role, previous: previous)
    }

    static func update(_ json: String, _ role: ZigbeeRole, previous: ZigbeeState? = nil, adapter: Zigbee2MQTTAdapter = adapter) throws -> ZigbeeUpdate {
        try decode(json, role, previous: previous, adapter: adapter).get()
    }

    static func rejection(_ json: String, _ role: ZigbeeRole = ZigbeeRole(.smoke)) -> Rejection? {
        if case .failure(let r) = decode(json, role) { return r }
        return nil
    }

    /// Feeds payloads in order, threading the state, and returns each payload's events.
    static func sequence(_ payloads: [String], _ role: ZigbeeRole, adapter: Zigbee2MQTTAdapter = adapter) throws -> [[ZigbeeEvent]] {
        var state: ZigbeeState?
        var out: [[ZigbeeEvent]] = []
        for p in payloads {
            let u = try update(p, role, previous: state, adapter: adapter)
            state = u.state
            out.append(u.events)
        }
        return out
    }
}

@Suite("Zigbee2MQTT topics")
struct ZigbeeTopicTests {
    @Test(arguments: [
        ("zigbee2mqtt/kitchen smoke", "kitchen smoke"),
        ("zigbee2mqtt/0x00158d000405cfee", "0x00158d000405cfee"),
        ("zigbee2mqtt/flat 3/front door", "flat 3/front door"), // friendly names may contain '/'
    ])
    func deviceStateTopics(topic: String, name: String) {
        #expect(ZigbeeTopics().friendlyName(of: topic) == name)
    }

    @Test(arguments: [
        "zigbee2mqtt/bridge/state", "zigbee2mqtt/bridge/devices", "zigbee2mqtt/bridge/request/permit_join",
        "zigbee2mqtt/kitchen smoke/set", "zigbee2mqtt/kitchen smoke/get", "zigbee2mqtt/kitchen smoke/availability",
        "zigbee2mqtt/lamp/set/brightness", "zigbee2mqtt/lamp/get/state",
        "zigbee2mqtt/", "zigbee2mqtt", "zigbee2mqtt//x", "other/kitchen smoke", "zigbee2mqttx/kitchen", "telecare/v1/devices/a/events",
    ])
    func ignoredTopics(topic: String) {
        #expect(ZigbeeTopics().friendlyName(of: topic) == nil)
    }

    @Test func configurableBase() {
        let t = ZigbeeTopics(base: "site/z2m")
        #expect(t.subscription == "site/z2m/#")
        #expect(t.topic(friendlyName: "bed mat") == "site/z2m/bed mat")
        #expect(t.friendlyName(of: "site/z2m/bed mat") == "bed mat")
        #expect(t.friendlyName(of: "zigbee2mqtt/bed mat") == nil)
        #expect(t.friendlyName(of: "site/z2m/bridge/info") == nil)
    }
}

@Suite("Zigbee2MQTT adapter")
struct ZigbeeAdapterTests {
    // Payloads shaped like those the bridge publishes for real devices, extra keys included.
    @Test(arguments: [
        // Heiman smoke alarm
        (#"{"battery":100,"battery_low":false,"linkquality":87,"smoke":true,"supervision":false,"tamper":false,"test":false,"voltage":3000}"#,
         ZigbeeRole(.smoke), [EventType.smoke]),
        // Aqara water leak sensor
        (#"{"battery":100,"battery_low":false,"device_temperature":29,"linkquality":120,"power_outage_count":4,"tamper":false,"voltage":3025,"water_leak":true}"#,
         ZigbeeRole(.flood), [.flood]),
        (#"{"battery_low":false,"carbon_monoxide":true,"linkquality":102,"tamper":false,"last_seen":"2026-11-22T02:14:07.312Z"}"#,
         ZigbeeRole(.co), [.co]),
        (#"{"gas":true,"linkquality":80,"tamper":false,"test":false,"gas_value":12}"#, ZigbeeRole(.gas), [.gas]),
        (#"{"action":"emergency","battery":93,"linkquality":54,"voltage":2900}"#, ZigbeeRole(.pendant), [.button]),
        (#"{"battery":70,"linkquality":96,"sos":true}"#, ZigbeeRole(.pendant), [.button]),
        (#"{"fall_down_status":"fall","presence":true,"motion_speed":0,"linkquality":150}"#, ZigbeeRole(.fallDetector), [.fall]),
        (#"{"status":"falling","occupancy":true,"linkquality":160}"#, ZigbeeRole(.fallDetector), [.fall]),
        (#"{"battery":100,"smoke":false,"tamper":true,"linkquality":90}"#, ZigbeeRole(.smoke), [.tamper]),
        (#"{"battery":9,"battery_low":true,"linkquality":40,"voltage":2500}"#, ZigbeeRole(.pendant), [.lowBattery]),
        (#"{"battery":100,"smoke":true,"linkquality":87}"#, ZigbeeRole(.heat), [.heat]), // a heat alarm speaks through `smoke`
        (#"{"battery":100,"contact":false,"linkquality":111,"voltage":3005,"device_temperature":21}"#, ZigbeeRole(.door, propertyExit: true), [.door]),
        (#"{"occupancy":false,"battery":88,"linkquality":70}"#, ZigbeeRole(.bed), [.bed]),
        (#"{"occupancy":true,"battery":88,"linkquality":70}"#, ZigbeeRole(.chair), [.chair]),
        (#"{"temperature":10.4,"humidity":52.1,"battery":77,"linkquality":60,"voltage":2950}"#, ZigbeeRole(.temperature), [.temperature]),
        (#"{"smoke":true,"tamper":true,"battery_low":true,"battery":12}"#, ZigbeeRole(.smoke), [.smoke, .tamper, .lowBattery]),
        (#"{"illuminance":31,"illuminance_lux":31,"linkquality":255,"update":{"state":"idle"}}"#, ZigbeeRole(.pir), []),
    ])
    func capturedPayloads(json: String, role: ZigbeeRole, types: [EventType]) throws {
        let u = try Z2M.update(json, role)
        #expect(u.events.map(\.type) == types)
    }

    enum Edge: Sendable { case none, raise, clear }

    // For every alarm key: what each transition from the previous value does.
    @Test(arguments: [
        ("smoke", EventType.smoke), ("water_leak", .flood), ("carbon_monoxide", .co), ("gas", .gas),
        ("tamper", .tamper), ("battery_low", .lowBattery),
        // Other converters' words for the same conditions.
        ("water_leak_alarm_1", .flood), ("water_leak_alarm_2", .flood), ("gas_alarm_1", .gas), ("gas_alarm_2", .gas),
    ], [
        (Bool?.none, true, Edge.raise), (false, true, .raise), (true, true, .none),
        (true, false, .clear), (nil, false, .none), (false, false, .none),
    ])
    func alarmKeyTransitions(key: (String, EventType), transition: (Bool?, Bool, Edge)) throws {
        let (name, type) = key
        let (before, after, edge) = transition
        var previous: ZigbeeState?
        if let before { previous = try Z2M.update("{\"\(name)\":\(before)}", ZigbeeRole(.smoke)).state }
        let u = try Z2M.update("{\"\(name)\":\(after),\"linkquality\":90}", ZigbeeRole(.smoke), previous: previous)
        switch edge {
        case .none:
            #expect(u.events.isEmpty)
        case .raise:
            #expect(u.events.map(\.type) == [type])
        case .clear:
            #expect(u.events.map(\.type) == [.clear])
            #expect(u.events.first?.detail.state == type.rawValue) // names the condition that is back to normal
        }
    }

    @Test func secondActivationIsRaisedAgain() throws {
        let steps = try Z2M.sequence([#"{"smoke":true}"#, #"{"smoke":true,"battery":99}"#, #"{"smoke":false}"#, #"{"smoke":true}"#], ZigbeeRole(.smoke))
        #expect(steps.map { $0.map(\.type) } == [[.smoke], [], [.clear], [.smoke]])
    }

    @Test func emergencyActionRaisesEveryPress() throws {
        let steps = try Z2M.sequence([
            #"{"action":"emergency","battery":93}"#, #"{"action":"emergency","battery":93}"#,
            #"{"action":"","battery":93}"#, #"{"action":"single","battery":93}"#, #"{"action":null,"battery":93}"#,
        ], ZigbeeRole(.pendant))
        #expect(steps.map { $0.map(\.type) } == [[.button], [.button], [], [], []])
    }

    @Test func aKeypadsPanicAndSOSActionsArePresses() throws {
        let steps = try Z2M.sequence([#"{"action":"panic"}"#, #"{"action":"sos"}"#, #"{"action":"arm_all_zones"}"#], ZigbeeRole(.pendant))
        #expect(steps.map { $0.map(\.type) } == [[.button], [.button], []])
    }

    @Test func aBatteryStateOfLowIsLowBattery() throws {
        let steps = try Z2M.sequence([#"{"battery_state":"high"}"#, #"{"battery_state":"low"}"#, #"{"battery_state":"low"}"#, #"{"battery_state":"medium"}"#],
                                     ZigbeeRole(.smoke))
        #expect(steps.map { $0.map(\.type) } == [[], [.lowBattery], [], [.clear]])
    }

    @Test func aRadarsFallStatusRaisesAFallOnce() throws {
        let steps = try Z2M.sequence([#"{"fall_status":"normal"}"#, #"{"fall_status":"fall_alarm"}"#, #"{"fall_status":"fall_alarm"}"#, #"{"fall_status":"normal"}"#],
                                     ZigbeeRole(.fallDetector))
        #expect(steps.map { $0.map(\.type) } == [[], [.fall], [], []])
    }

    @Test func twoLeakZonesAreOneCondition() throws {
        let steps = try Z2M.sequence([#"{"water_leak_alarm_1":false,"water_leak_alarm_2":true}"#, #"{"water_leak_alarm_1":true,"water_leak_alarm_2":true}"#,
                                      #"{"water_leak_alarm_1":false,"water_leak_alarm_2":false}"#], ZigbeeRole(.flood))
        #expect(steps.map { $0.map(\.type) } == [[.flood], [], [.clear]])
    }

    @Test func sosRaisesOnTheEdgeAndNeverCancels() throws {
        let steps = try Z2M.sequence([#"{"sos":false}"#, #"{"sos":true}"#, #"{"sos":true}"#, #"{"sos":false}"#, #"{"sos":true}"#], ZigbeeRole(.pendant))
        #expect(steps.map { $0.map(\.type) } == [[], [.button], [], [], [.button]])
    }

    @Test func fallIsRaisedOnceAndNeverCleared() throws {
        let radar = try Z2M.sequence([
            #"{"fall_down_status":"none"}"#, #"{"fall_down_status":"maybe_fall"}"#, #"{"fall_down_status":"fall"}"#,
            #"{"fall_down_status":"fall","presence":true}"#, #"{"fall_down_status":"none"}"#, #"{"fall_down_status":"fall"}"#,
        ], ZigbeeRole(.fallDetector))
        #expect(radar.map { $0.map(\.type) } == [[], [], [.fall], [], [], [.fall]])
        let owon = try Z2M.sequence([#"{"status":"idle"}"#, #"{"status":"falling"}"#, #"{"status":"falling"}"#, #"{"status":"idle"}"#],
                                    ZigbeeRole(.fallDetector))
        #expect(owon.map { $0.map(\.type) } == [[], [.fall], [], []])
    }

    @Test func statusMeansFallingOnlyOnAFallDetector() throws {
        #expect(try Z2M.update(#"{"status":"falling"}"#, ZigbeeRole(.pendant)).events.isEmpty)
        // Another device's numeric `status` is an unknown key to Vigil, not a malformed fall flag.
        #expect(try Z2M.update(#"{"status":3}"#, ZigbeeRole(.flood)).events.isEmpty)
        #expect(Z2M.rejection(#"{"status":3}"#, ZigbeeRole(.fallDetector))?.reason.code == "wrong_type")
    }

    @Test func exitDoorOpensAndCloses() throws {
        let exit = ZigbeeRole(.door, propertyExit: true)
        let steps = try Z2M.sequence([#"{"contact":true}"#, #"{"contact":false}"#, #"{"contact":false,"battery":90}"#, #"{"contact":true}"#], exit)
        #expect(steps.map { $0.map(\.detail.state) } == [["closed"], ["open"], [], ["closed"]])
        #expect(steps[1] == [ZigbeeEvent(type: .door, detail: EventDetail(state: "open", exit: true), battery: nil)])
        #expect(steps[2].isEmpty)
        #expect(steps[3].first?.battery == 90) // the last reported battery rides on later events

        let internalDoor = try Z2M.update(#"{"contact":false}"#, ZigbeeRole(.door), previous: ZigbeeState(contact: true))
        #expect(internalDoor.events == [ZigbeeEvent(type: .door, detail: EventDetail(state: "open", exit: false))])
        // A contact key on a device that is not registered as a door (e.g. a pendant's case) raises nothing.
        let pendant = try Z2M.update(#"{"contact":false}"#, ZigbeeRole(.pendant), previous: ZigbeeState(contact: true))
        #expect(pendant.events.isEmpty)
        #expect(pendant.state.contact == false)
    }

    @Test(arguments: [(DeviceKind.bed, EventType.bed), (.chair, .chair)])
    func bedAndChairOccupancy(kind: DeviceKind, type: EventType) throws {
        let steps = try Z2M.sequence([#"{"occupancy":true}"#, #"{"occupancy":false}"#, #"{"occupancy":false}"#, #"{"occupancy":true}"#], ZigbeeRole(kind))
        #expect(steps.map { $0.map(\.detail.state) } == [["occupied"], ["vacated"], [], ["occupied"]])
        #expect(steps.joined().allSatisfy { $0.type == type })
    }

    @Test func pirOccupancyIsMovementNotAnAlarm() throws {
        let moving = try Z2M.update(#"{"occupancy":true,"illuminance":12,"battery":100}"#, ZigbeeRole(.pir))
        #expect(moving.events.isEmpty)
        #expect(moving.movement)
        let still = try Z2M.update(#"{"occupancy":false,"battery":100}"#, ZigbeeRole(.pir), previous: moving.state)
        #expect(still.events.isEmpty)
        #expect(!still.movement)
        // Occupancy on a bed mat is not movement for the inactivity timer.
        #expect(!(try Z2M.update(#"{"occupancy":true}"#, ZigbeeRole(.bed)).movement))
    }

    @Test func temperatureRaisesOnEnteringABandAndClearsWithHysteresis() throws {
        let role = ZigbeeRole(.temperature)
        let readings = [20, 11.9, 12.3, 12.4, 12.6, 21, 30, 29.6, 29.4, 5, 31]
        let steps = try Z2M.sequence(readings.map { #"{"temperature":\#($0),"humidity":40}"# }, role)
        #expect(steps.map { $0.map(\.type) } == [[], [.temperature], [], [], [.clear], [], [.temperature], [], [.clear], [.temperature], [.temperature]])
        #expect(steps[1].first?.detail.celsius == 11.9)
        #expect(steps[4].first?.detail == EventDetail(state: "temperature", celsius: 12.6))
    }

    @Test func temperatureThresholdsFollowThePolicy() throws {
        let adapter = Zigbee2MQTTAdapter(policy: TriagePolicy(coldCelsius: 16, hotCelsius: 26))
        let steps = try Z2M.sequence([#"{"temperature":15.5}"#, #"{"temperature":26}"#], ZigbeeRole(.temperature), adapter: adapter)
        #expect(steps.map { $0.map(\.type) } == [[.temperature], [.temperature]])
        // What the adapter raises, triage raises too: both count "at the threshold" as extreme.
        let event = steps[1][0].deviceEvent(deviceID: "t-1", eventID: "e", deviceTime: "2026-11-22T02:14:07Z")
        #expect(TriagePolicy(coldCelsius: 16, hotCelsius: 26).classify(event, minuteOfDay: 600) == .raise(.urgent, reason: "extreme heat"))
    }

    @Test func temperatureOnOtherRolesIsOnlyRemembered() throws {
        let u = try Z2M.update(#"{"temperature":4,"occupancy":false}"#, ZigbeeRole(.pir))
        #expect(u.events.isEmpty)
        #expect(u.state.temperature == 4)
    }

    @Test(arguments: [
        (#"{"battery":81,"sos":true}"#, 81), (#"{"battery":"100.00","sos":true}"#, 100), (#"{"battery":"87.5","sos":true}"#, 88),
        (#"{"battery":0,"sos":true}"#, 0), (#"{"battery":" 42 ","sos":true}"#, 42), (#"{"sos":true}"#, nil), (#"{"battery":null,"sos":true}"#, nil),
    ] as [(String, Int?)])
    func batteryAsNumberOrString(json: String, battery: Int?) throws {
        let u = try Z2M.update(json, ZigbeeRole(.pendant))
        #expect(u.events.map(\.battery) == [battery])
    }

    @Test func batteryIsRememberedBetweenPayloads() throws {
        let first = try Z2M.update(#"{"battery":"64.00","linkquality":70}"#, ZigbeeRole(.smoke))
        #expect(first.state.battery == 64)
        let alarm = try Z2M.update(#"{"smoke":true}"#, ZigbeeRole(.smoke), previous: first.state)
        #expect(alarm.events == [ZigbeeEvent(type: .smoke, battery: 64)])
    }

    @Test(arguments: [
        ("not json", "invalid_json"), ("", "invalid_json"), (#"{"smoke":true"#, "invalid_json"),
        ("[1,2]", "not_an_object"), (#"[{"smoke":true}]"#, "not_an_object"), (#""online""#, "not_an_object"), ("true", "not_an_object"),
        (#"{"smoke":"true"}"#, "wrong_type"), (#"{"smoke":1}"#, "wrong_type"), (#"{"water_leak":"ON"}"#, "wrong_type"),
        (#"{"contact":"open"}"#, "wrong_type"), (#"{"occupancy":0}"#, "wrong_type"), (#"{"tamper":[]}"#, "wrong_type"),
        (#"{"battery_low":"false"}"#, "wrong_type"), (#"{"sos":{}}"#, "wrong_type"), (#"{"carbon_monoxide":1}"#, "wrong_type"),
        (#"{"gas":"yes"}"#, "wrong_type"), (#"{"action":5}"#, "wrong_type"), (#"{"fall_down_status":true}"#, "wrong_type"),
        (#"{"temperature":"21.5"}"#, "wrong_type"), (#"{"battery":true}"#, "wrong_type"),
        (#"{"battery":"full"}"#, "invalid_value"), (#"{"battery":"nan"}"#, "invalid_value"), (#"{"battery":"100%"}"#, "invalid_value"),
        (#"{"battery":150}"#, "invalid_value"), (#"{"battery":-1}"#, "invalid_value"), (#"{"battery":""}"#, "invalid_value"),
        (#"{"temperature":-327.68}"#, "invalid_value"),
    ])
    func malformedPayloads(json: String, code: String) throws {
        let r = try #require(Z2M.rejection(json))
        #expect(r.reason.code == code)
        #expect(r.eventID == nil)
        #expect(!r.reason.sentence.isEmpty)
    }

    @Test func rejectionSentencesNameTheKey() throws {
        let battery = try #require(Z2M.rejection(#"{"battery":"full","smoke":false}"#))
        #expect(battery.reason.sentence.contains("\"battery\""))
        #expect(battery.reason.sentence.contains("\"full\""))
        let smoke = try #require(Z2M.rejection(#"{"smoke":"true"}"#))
        #expect(smoke.reason == .wrongType(field: "smoke", expected: "true or false", found: "a string"))
    }

    @Test func invalidUTF8AndOversizedPayloadsAreRejected() throws {
        let bad = Array(#"{"smoke":true,"x":""#.utf8) + [0xC3, 0x28] + Array("\"}".utf8)
        guard case .failure(let r) = Z2M.adapter.decode(bad, role: ZigbeeRole(.smoke), previous: nil) else { Issue.record("accepted"); return }
        #expect(r.reason == .invalidUTF8)
        let big = Array((#"{"smoke":true,"pad":""# + String(repeating: "x", count: 20_000) + "\"}").utf8)
        guard case .failure(let r2) = Z2M.adapter.decode(big, role: ZigbeeRole(.smoke), previous: nil) else { Issue.record("accepted"); return }
        #expect(r2.reason.code == "payload_too_large")
    }

    @Test func nullValuesKeepThePreviousState() throws {
        let alarmed = try Z2M.update(#"{"smoke":true,"battery":80}"#, ZigbeeRole(.smoke))
        let u = try Z2M.update(#"{"smoke":null,"battery":null,"linkquality":null}"#, ZigbeeRole(.smoke), previous: alarmed.state)
        #expect(u.events.isEmpty)
        #expect(u.state == alarmed.state)
    }

    @Test(arguments: [
        (#"{"sos":true,"last_seen":"2026-11-22T02:14:07.312Z"}"#, "2026-11-22T02:14:07.312Z"),
        (#"{"sos":true,"last_seen":"2026-11-22T03:14:07+01:00"}"#, "2026-11-22T03:14:07+01:00"),
        (#"{"sos":true,"last_seen":1795314847123}"#, "2026-11-22T02:34:07.123Z"),
        (#"{"sos":true,"last_seen":"2026-11-22 02:14:07"}"#, nil),
        (#"{"sos":true,"last_seen":12}"#, nil),
        (#"{"sos":true}"#, nil),
    ] as [(String, String?)])
    func lastSeenIsTheDeviceTimeWhenReadable(json: String, time: String?) throws {
        let u = try Z2M.update(json, ZigbeeRole(.pendant))
        #expect(u.deviceTime == time)
        #expect(u.events.map(\.type) == [.button]) // an unreadable last_seen never costs the alarm
    }

    @Test func eventsBecomeDeviceEventsThatTriageRaises() throws {
        let u = try Z2M.update(#"{"contact":false,"battery":90}"#, ZigbeeRole(.door, propertyExit: true))
        let id = ZigbeeEvent.eventID(receivedAt: 1_795_314_847_123, index: 0)
        #expect(id == "z2m-1795314847123-0")
        #expect(Identifier.isValid(id))
        #expect(Identifier.isValid(ZigbeeEvent.eventID(receivedAt: .max, index: .max)))
        let e = try #require(u.events.first).deviceEvent(deviceID: "door-1", eventID: id, deviceTime: "2026-11-22T02:34:07.123Z")
        #expect(e == DeviceEvent(deviceID: "door-1", eventID: id, type: .door, deviceTime: "2026-11-22T02:34:07.123Z", battery: 90,
                                 detail: EventDetail(state: "open", exit: true)))
        #expect(TriagePolicy.default.classify(e, minuteOfDay: 3 * 60) == .raise(.emergency, reason: "property exit at night"))
    }

    @Test func stateCodesWithZigbeeKeyNames() throws {
        let state = ZigbeeState(waterLeak: true, carbonMonoxide: false, batteryLow: true, fallDownStatus: "fall", battery: 55, temperature: 19.5, temperatureBand: .normal)
        let data = try JSONEncoder().encode(state)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"water_leak\":true"))
        #expect(text.contains("\"battery_low\":true"))
        #expect(text.contains("\"fall_down_status\":\"fall\""))
        #expect(try JSONDecoder().decode(ZigbeeState.self, from: data) == state)
    }
}

@Suite("Zigbee2MQTT messages written")
struct ZigbeeMessageTests {
    static let wire = WireEncoder()

    @Test func batteryAsTwoDecimalString() {
        var m = Zigbee2MQTTMessage(ZigbeeState(smoke: false, battery: 100), batteryAsString: true)
        m.linkquality = 87
        #expect(String(decoding: Self.wire.encode(m), as: UTF8.self) == #"{"battery":"100.00","linkquality":87,"smoke":false}"#)
        #expect(Zigbee2MQTTMessage.Battery.string(percent: 7.5) == .string("7.50"))
        #expect(Zigbee2MQTTMessage.Battery.string(percent: 0.04) == .string("0.04"))
        #expect(Zigbee2MQTTMessage.Battery.string(percent: 99.999) == .string("100.00"))
    }

    @Test(arguments: [false, true])
    func stateRoundTrips(batteryAsString: Bool) throws {
        let state = ZigbeeState(smoke: true, waterLeak: false, carbonMonoxide: false, gas: false, contact: true, occupancy: false, sos: false,
                                tamper: false, batteryLow: false, fallDownStatus: "none", status: "idle", battery: 87, temperature: 21.25)
        var m = Zigbee2MQTTMessage(state, linkquality: 120, batteryAsString: batteryAsString)
        m.voltage = 3000
        m.lastSeen = "2026-11-22T02:14:07.000Z"
        let u = try Z2M.Adapter.decode(Self.wire.encode(m), ZigbeeRole(.fallDetector))
        #expect(u.state == state)
        #expect(u.deviceTime == "2026-11-22T02:14:07.000Z")
        #expect(u.events.map(\.type) == [.smoke]) // the only alarm key that is true
    }

    @Test func actionIsEncodedForOnePayload() throws {
        let bytes = Self.wire.encode(Zigbee2MQTTMessage(ZigbeeState(battery: 93), action: "emergency", linkquality: 54))
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"action":"emergency","battery":93,"linkquality":54}"#)
        #expect(try Z2M.Adapter.decode(bytes, ZigbeeRole(.pendant)).events == [ZigbeeEvent(type: .button, battery: 93)])
    }
}

extension Z2M {
    enum Adapter {
        static func decode(_ bytes: [UInt8], _ role: ZigbeeRole, previous: ZigbeeState? = nil) throws -> ZigbeeUpdate {
            try Z2M.adapter.decode(bytes, role: role, previous: previous).get()
        }
    }
}

@Suite("Zigbee2MQTT keys that look like an alarm but are not read")
struct ZigbeeUnrecognisedTests {
    @Test func anAlarmLookingFlagIsReportedWhenItBecomesTrueAndAgainAfterFalse() throws {
        let role = ZigbeeRole(.smoke)
        var state: ZigbeeState?
        var reported: [[String]] = []
        for p in [#"{"fire_alarm":false}"#, #"{"fire_alarm":true}"#, #"{"fire_alarm":true,"battery":80}"#, #"{"battery":79}"#,
                  #"{"fire_alarm":false}"#, #"{"fire_alarm":true}"#] {
            let u = try Z2M.update(p, role, previous: state)
            state = u.state
            reported.append(u.unrecognised)
            #expect(u.events.isEmpty)
        }
        #expect(reported == [[], ["fire_alarm: true"], [], [], [], ["fire_alarm: true"]])
    }

    @Test func anActiveStateWordCountsAndAQuietOneDoesNot() throws {
        let role = ZigbeeRole(.co)
        #expect(try Z2M.update(#"{"co_state":"normal","smoke_state":"normal"}"#, role).unrecognised.isEmpty)
        let u = try Z2M.update(#"{"co_state":"alarm","smoke_state":"Detected","intrusion":true}"#, role)
        #expect(u.unrecognised == ["co_state: alarm", "intrusion: true", "smoke_state: Detected"])
    }

    @Test func settingsReadingsAndKeysVigilReadsAreNotReported() throws {
        let u = try Z2M.update(#"""
            {"alarm_volume":"high","fall_sensitivity":"high","smoke_density":12,"alarm_switch":true,"preheat":true,
             "contact":true,"linkquality":90,"gas_value":3,"smoke":false,"tamper":false,"fall_status":"normal","self_test":true}
            """#, ZigbeeRole(.door))
        #expect(u.unrecognised.isEmpty)
    }

    @Test func theLastValueOfEachKeyIsKeptWithTheState() throws {
        let u = try Z2M.update(#"{"sos_alarm":true}"#, ZigbeeRole(.pendant))
        let again = try Z2M.update(#"{"sos_alarm":true}"#, ZigbeeRole(.pendant), previous: u.state)
        #expect(u.state.unrecognised == ["sos_alarm": "true"])
        #expect(again.unrecognised.isEmpty)
        // The state survives the store's JSON round trip.
        let coded = try JSONDecoder().decode(ZigbeeState.self, from: JSONEncoder().encode(u.state))
        #expect(coded == u.state)
    }

    @Test func anUnregisteredNameIsReadForTheAlarmsAnyDeviceReports() throws {
        let u = try Z2M.update(#"{"smoke":true,"contact":false,"occupancy":false}"#, .unregistered)
        #expect(u.events.map(\.type) == [.smoke])
    }

    /// Found by the fuzzer: long unrecognised keys kept to 64 characters met under one name, and the
    /// dictionary's order (different in each parse) chose which value stayed. Now the active one does,
    /// so the same payload read twice gives the same state and reports the activation.
    @Test func longAlarmKeysSharingTheirFirst64CharactersAreKeptTheSameWayEveryTime() throws {
        let stem = "co_" + String(repeating: "x", count: 61)
        let keys = (0..<12).map { stem + "_\($0)" }
        let payload = "{" + keys.enumerated().map { "\"\($0.element)\":\($0.offset == 7 ? "true" : "false")" }.joined(separator: ",") + "}"
        let first = try Z2M.update(payload, ZigbeeRole(.smoke))
        #expect(first.state.unrecognised == [stem: "true"])
        #expect(first.unrecognised == ["\(stem): true"])
        for _ in 0..<20 {
            let again = try Z2M.update(payload, ZigbeeRole(.smoke), previous: first.state)
            #expect(again.state == first.state)
            #expect(again.unrecognised.isEmpty, "the same activation is not new")
        }
    }
}
