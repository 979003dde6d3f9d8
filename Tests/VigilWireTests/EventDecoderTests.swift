import Testing
import VigilCore
@testable import VigilWire

@Suite("Wire v1 decoding")
struct EventDecoderTests {
    func decode(_ json: String, device: String = "dev-1") -> Result<DeviceEvent, Rejection> {
        EventDecoder.decode(Array(json.utf8), deviceID: device, receivedAt: Self.receivedAt)
    }

    static let receivedAt: EpochMillis = 1_795_314_847_123 // 2026-11-22T02:34:07.123Z

    func rejection(_ json: String) -> Rejection? {
        if case .failure(let r) = decode(json) { return r }
        return nil
    }

    static let validDetail: [EventType: String] = [
        .temperature: #"{"celsius": 9.5}"#, .door: #"{"state": "open", "exit": true}"#, .bed: #"{"state": "vacated"}"#,
        .chair: #"{"state": "occupied"}"#, .inactivity: #"{"minutes": 240}"#, .medication: #"{"state": "missed"}"#,
        .vitals: #"{"spo2": 94, "pulse": 88, "systolic": 128, "diastolic": 80, "respiration": 18, "temperature": 37.1, "weight_kg": 71.2, "glucose_mmol": 5.4, "consciousness": "A"}"#,
        .power: #"{"state": "lost"}"#, .fall: #"{"confidence": 0.93}"#,
    ]

    @Test("every event type decodes", arguments: EventType.allCases.filter { $0 != .deviceFault })
    func everyType(type: EventType) throws {
        // (device_fault is Vigil's own: `deviceFaultIsNotADeviceWord` below.)
        let detail = Self.validDetail[type].map { ", \"detail\": \($0)" } ?? ""
        let json = #"{"id": "7f3a-000184", "ts": "2026-11-22T02:14:07Z", "type": "\#(type.rawValue)", "battery": 81\#(detail)}"#
        let e = try decode(json).get()
        #expect(e.type == type)
        #expect(e.eventID == "7f3a-000184")
        #expect(e.deviceID == "dev-1")
        #expect(e.battery == 81)
    }

    @Test func detailFieldsAreRead() throws {
        let v = try decode(#"{"id":"a","ts":"2026-11-22T02:14:07Z","type":"vitals","detail":{"spo2":91,"pulse":131,"consciousness":"v","oxygen":true}}"#).get()
        #expect(v.detail.vitals == VitalSigns(spo2: 91, pulse: 131, consciousness: .voice, onOxygen: true))
        let d = try decode(#"{"id":"a","ts":"2026-11-22T02:14:07Z","type":"door","detail":{"state":"open","exit":true}}"#).get()
        #expect(d.detail.state == "open")
        #expect(d.detail.exit == true)
    }

    @Test func unknownKeysAreTolerated() throws {
        let e = try decode(#"{"id":"a","ts":"2026-11-22T02:14:07Z","type":"button","firmware":"2.1","detail":{"zone":3}}"#).get()
        #expect(e.type == .button)
    }

    // Each rejection reason, with whether the id could still be read (and so acked). Only the size,
    // UTF-8, JSON (a repeated key included), the id and the type can refuse an event.
    @Test(arguments: [
        (#"{"ts":"2026-11-22T02:14:07Z","type":"fall"}"#, "missing_field", false),
        (#"{"id":42,"ts":"2026-11-22T02:14:07Z","type":"fall"}"#, "wrong_type", false),
        (#"{"id":"has space","ts":"2026-11-22T02:14:07Z","type":"fall"}"#, "invalid_id", true),
        (#"{"id":"","ts":"2026-11-22T02:14:07Z","type":"fall"}"#, "invalid_id", false),
        (#"{"id":"a","ts":"2026-11-22T02:14:07Z"}"#, "missing_field", true),
        (#"{"id":"a","ts":"2026-11-22T02:14:07Z","type":true}"#, "wrong_type", true),
        (#"{"id":"a","ts":"2026-11-22T02:14:07Z","type":"explosion"}"#, "unknown_type", true),
        (#"{"id":"a","ts":"2026-11-22T02:14:07Z","type":"device_fault"}"#, "unknown_type", true),
        (#"{"id":"a","type":"heartbeat","type":"fall"}"#, "duplicate_key", true),
        (#"{"id":"a","type":"fall","detail":{"confidence":0.9,"confidence":0.1}}"#, "duplicate_key", true),
        (#"{"id":"a","id":"b","type":"fall"}"#, "duplicate_key", false),
        ("not json", "invalid_json", false),
        (#"{"id":"a","ts":"#, "invalid_json", false),
        (#"{"id":"a","type":"fall",}"#, "invalid_json", false),
        ("[1,2]", "not_an_object", false),
        ("\"fall\"", "not_an_object", false),
        ("", "invalid_json", false),
    ])
    func rejections(json: String, code: String, idReadable: Bool) throws {
        let r = try #require(rejection(json))
        #expect(r.reason.code == code)
        #expect((r.eventID != nil) == idReadable)
        #expect(!r.reason.sentence.isEmpty)
    }

    @Test func invalidUTF8IsRejected() throws {
        var bytes = Array(#"{"id":"a","ts":"2026-11-22T02:14:07Z","type":"fall","x":""#.utf8)
        bytes += [0xC3, 0x28] + Array("\"}".utf8)
        guard case .failure(let r) = EventDecoder.decode(bytes, deviceID: "d", receivedAt: 0) else { Issue.record("accepted invalid UTF-8"); return }
        #expect(r.reason == .invalidUTF8)
    }

    /// A payload padded to exactly `size` bytes with an unknown key.
    func padded(_ size: Int) -> [UInt8] {
        let head = #"{"id":"big-1","ts":"2026-11-22T02:14:07Z","type":"button","pad":""#
        let tail = "\"}"
        return Array((head + String(repeating: "x", count: size - head.utf8.count - tail.utf8.count) + tail).utf8)
    }

    @Test func sixteenKiBIsTheLimit() throws {
        let exact = padded(EventDecoder.maxPayloadBytes)
        #expect(exact.count == 16_384)
        #expect((try? EventDecoder.decode(exact, deviceID: "d", receivedAt: 0).get()) != nil)
        let over = padded(EventDecoder.maxPayloadBytes + 1)
        guard case .failure(let r) = EventDecoder.decode(over, deviceID: "d", receivedAt: 0) else { Issue.record("accepted 16 KiB + 1"); return }
        #expect(r.reason == .payloadTooLarge(bytes: 16_385))
        #expect(r.eventID == "big-1") // still acked, so the device stops resending
    }

    // Issue 12, section 1: a malformed side field is dropped and named; the event is still taken.
    @Test(arguments: [
        (#"{"id":"a","ts":"2026-11-22T02:14:07Z","type":"fall","detail":{"confidence":93}}"#, "detail.confidence 93 is not between 0 and 1; ignored"),
        (#"{"id":"a","ts":"2026-11-22T02:14:07Z","type":"button","battery":80.5}"#, "battery 80.5 is not a whole percent; ignored"),
        (#"{"id":"a","ts":"2026-11-22T02:14:07Z","type":"button","battery":-1}"#, "battery -1 is not a percent from 0 to 100; ignored"),
        (#"{"id":"a","ts":"2026-11-22T02:14:07Z","type":"button","battery":"full"}"#, #"battery "full" is not a percent from 0 to 100; ignored"#),
        (#"{"id":"a","ts":"2026-11-22T02:14:07Z","type":"button","battery":1e400}"#, "battery 1e400 is not a percent from 0 to 100; ignored"),
        (#"{"id":"a","ts":"2026-11-22 02:14:07Z","type":"button"}"#, #"ts "2026-11-22 02:14:07Z" is not an RFC 3339 date-time such as 2026-11-22T02:14:07Z; Vigil's receive time is used"#),
        (#"{"id":"a","ts":1700000000,"type":"button"}"#, "ts 1700000000 is not an RFC 3339 date-time such as 2026-11-22T02:14:07Z; Vigil's receive time is used"),
        (#"{"id":"a","type":"button"}"#, "ts is missing; Vigil's receive time is used"),
        (#"{"id":"a","ts":"2026-11-22T02:14:07Z","type":"button","detail":[1]}"#, "detail is an array, not an object; ignored"),
        (#"{"id":"a","ts":"2026-11-22T02:14:07Z","type":"door","detail":{"state":"ajar"}}"#, #"detail.state "ajar" of a door event is not "open" or "closed"; ignored"#),
        (#"{"id":"a","ts":"2026-11-22T02:14:07Z","type":"door","detail":{"state":"open","exit":"yes"}}"#, #"detail.exit "yes" is not true or false; ignored"#),
        (#"{"id":"a","ts":"2026-11-22T02:14:07Z","type":"temperature","detail":{"celsius":"hot"}}"#, #"detail.celsius "hot" is not a number; ignored"#),
        (#"{"id":"a","ts":"2026-11-22T02:14:07Z","type":"vitals","detail":{"spo2":1e400,"pulse":88}}"#, "detail.spo2 1e400 is not a number; ignored"),
        (#"{"id":"a","ts":"2026-11-22T02:14:07Z","type":"vitals","detail":{"consciousness":"Z","pulse":88}}"#, #"detail.consciousness "Z" is not one of "A", "C", "V", "P", "U" (ACVPU); ignored"#),
    ])
    func sideFieldWarnings(json: String, warning: String) throws {
        let e = try decode(json).get()
        #expect(e.eventID == "a")
        #expect(e.warnings.first == warning)
    }

    @Test func aFallWithAPercentConfidenceIsStillAFall() throws {
        let e = try decode(#"{"id":"f-1","ts":"2026-11-22T02:14:07Z","type":"fall","battery":80.5,"detail":{"confidence":93}}"#).get()
        #expect(e.type == .fall)
        #expect(e.battery == nil)
        #expect(e.detail.confidence == nil)
        #expect(e.deviceTime == "2026-11-22T02:14:07Z")
        #expect(e.warnings == ["battery 80.5 is not a whole percent; ignored", "detail.confidence 93 is not between 0 and 1; ignored"]
            || e.warnings == ["detail.confidence 93 is not between 0 and 1; ignored", "battery 80.5 is not a whole percent; ignored"])
        #expect(e.warnings.count == 2)
    }

    @Test func aMalformedTimestampIsReplacedByTheReceiveTime() throws {
        let e = try decode(#"{"id":"a","ts":"2026-11-22 02:14:07Z","type":"smoke"}"#).get()
        #expect(e.deviceTime == "2026-11-22T02:34:07.123Z")
        #expect(try decode(#"{"id":"a","ts":"2026-11-22T02:14:07Z","type":"smoke"}"#).get().warnings.isEmpty)
    }

    @Test func missingRequiredDetailIsRecordedWithAWarning() throws {
        let t = try decode(#"{"id":"a","ts":"2026-11-22T02:14:07Z","type":"temperature"}"#).get()
        #expect(t.detail.celsius == nil)
        #expect(t.warnings == ["a temperature event needs detail.celsius as a number; recorded without a reading"])
        let v = try decode(#"{"id":"a","ts":"2026-11-22T02:14:07Z","type":"vitals","detail":{}}"#).get()
        #expect(v.warnings.count == 1)
        #expect(v.warnings[0].hasPrefix("a vitals event needs at least one reading"))
    }

    @Test func aHostilePayloadGetsABoundedListOfWarnings() throws {
        let detail = VitalParameter.allCases.map { #""\#($0.key)":"x""# }.joined(separator: ",")
        let e = try decode(#"{"id":"a","ts":"bad","type":"vitals","battery":"x","detail":{\#(detail),"oxygen":"x","consciousness":9}}"#).get()
        #expect(e.warnings.count <= SideFields.maxWarnings)
        #expect(e.warnings.count >= 10)
    }

    @Test func anInvalidIDIsEchoedCutToSixtyFourCharacters() throws {
        let long = String(repeating: "x", count: 70) + " y"
        let r = try #require(rejection(#"{"id":"\#(long)","ts":"2026-11-22T02:14:07Z","type":"fall"}"#))
        #expect(r.reason == .invalidID(long))
        #expect(r.eventID == String(repeating: "x", count: 64))
    }

    @Test func aRepeatedKeyIsNamed() throws {
        let r = try #require(rejection(#"{"id":"a","ts":"2026-11-22T02:14:07Z","type":"heartbeat","type":"fall"}"#))
        #expect(r.reason == .duplicateKey("type"))
        #expect(r.reason.sentence.contains(#""type" appears twice"#))
        let nested = try #require(rejection(#"{"id":"a","type":"vitals","detail":{"spo2":97,"spo2":80}}"#))
        #expect(nested.reason == .duplicateKey("detail.spo2"))
    }

    @Test func idLengthBoundaries() {
        #expect(Identifier.isValid(String(repeating: "a", count: 64)))
        #expect(!Identifier.isValid(String(repeating: "a", count: 65)))
        #expect(Identifier.isValid("A.b_c:d-9"))
        #expect(!Identifier.isValid("a/b"))
        #expect(!Identifier.isValid("é"))
    }
}

@Suite("RFC 3339, topics and acks")
struct WireFormatTests {
    @Test(arguments: ["2026-11-22T02:14:07Z", "2026-11-22t02:14:07z", "2026-11-22T02:14:07.123Z", "2026-11-22T02:14:07+01:00",
                      "2024-02-29T00:00:00Z", "2026-12-31T23:59:60Z", "2026-11-22T02:14:07.123456789-05:30"])
    func validTimestamps(ts: String) { #expect(RFC3339.isValid(ts)) }

    @Test(arguments: ["2026-11-22 02:14:07Z", "2026-11-22T02:14:07", "2025-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
                      "2026-11-22T24:00:00Z", "2026-11-22T02:14:07.Z", "2026-11-22T02:14:07+0100", "26-11-22T02:14:07Z", ""])
    func invalidTimestamps(ts: String) { #expect(!RFC3339.isValid(ts)) }

    @Test func formatsEpochMillis() {
        #expect(RFC3339.format(millis: 0) == "1970-01-01T00:00:00.000Z")
        #expect(RFC3339.format(millis: 1_795_314_847_123) == "2026-11-22T02:34:07.123Z")
        #expect(RFC3339.format(millis: 951_782_400_000) == "2000-02-29T00:00:00.000Z")
    }

    @Test func topicGrammar() throws {
        let t = Topics(prefix: "telecare")
        let p = try #require(t.parse("telecare/v1/devices/pend-1/events"))
        #expect(p.device == "pend-1")
        #expect(p.channel == .events)
        #expect(t.parse("telecare/v1/devices/pend-1/other") == nil)
        #expect(t.parse("telecare/v2/devices/pend-1/events") == nil)
        #expect(t.parse("other/v1/devices/pend-1/events") == nil)
        #expect(t.parse("telecare/v1/devices/a b/events") == nil)
        #expect(t.parse("telecare/v1/devices//events") == nil)
        #expect(t.parse("telecare/v1/devices/a/b/events") == nil)
        #expect(t.parse("telecare/v1/devices/pend-1/events/") == nil)
        #expect(t.parse("telecare/v1/devices/pend-1") == nil)
        #expect(t.parse("telecarex/v1/devices/pend-1/events") == nil)
        #expect(t.parse("telecare/v1/devices/péndant/events") == nil)
        #expect(t.parse("telecare/v1/devices/pend-1/observations")?.channel == .observations)
        #expect(t.parse("telecare/v1/devices/pend-1/acks")?.device == "pend-1")
        #expect(Topics(prefix: "site/north").parse("site/north/v1/devices/x:1/events")?.device == "x:1")
        #expect(t.topic(device: "pend-1", .acks) == "telecare/v1/devices/pend-1/acks")
        #expect(Topics(prefix: "site/north").allEvents == "site/north/v1/devices/+/events")
    }

    @Test func ackRoundTripAndEscaping() throws {
        let wire = WireEncoder()
        let ack = Ack(eventID: "e1", status: .rejected, error: "The field \"ts\" is bad.\n\u{1}")
        #expect(String(decoding: wire.encode(ack), as: UTF8.self) == #"{"error":"The field \"ts\" is bad.\n\u0001","id":"e1","status":"rejected"}"#)
        #expect(WireDecoder().decode(Ack.self, from: wire.encode(ack)) == ack)
        let accepted = Ack(eventID: "7f3a-000184", status: .accepted, alarm: "A-2026-000913")
        #expect(String(decoding: wire.encode(accepted), as: UTF8.self) == #"{"alarm":"A-2026-000913","id":"7f3a-000184","status":"accepted"}"#)
    }

    @Test func encoderOutputDecodes() throws {
        let bytes = WireEncoder().encode(EventMessage(id: "x-1", ts: "2026-11-22T02:14:07Z", type: .temperature, battery: 50, detail: ["celsius": .number(8)]))
        let e = try EventDecoder.decode(bytes, deviceID: "t", receivedAt: 0).get()
        #expect(e.detail.celsius == 8)
        #expect(e.battery == 50)
    }
}
