import Foundation
import Testing
import VigilCore
@testable import VigilWire

/// The payloads the documentation shows, read with the types both ends use: an example that stops
/// decoding, or a key list that stops matching what Vigil sends, fails here.
@Suite("Wire messages: the documented examples")
struct DocumentedMessageTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let readme = (try? String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""
    static let deployGuide = (try? String(contentsOf: root.appendingPathComponent("deploy/README.md"), encoding: .utf8)) ?? ""
    let wire = WireEncoder()
    let reader = WireDecoder()

    /// `example`, after checking that the document still shows it.
    func shown(_ example: String, in document: String = readme) -> [UInt8] {
        #expect(document.contains(example), "no longer in the documentation: \(example)")
        return Array(example.utf8)
    }

    /// The keys in a documented list such as "`id`, `user`, …".
    func keys(_ list: String) -> Set<String> {
        #expect(Self.readme.contains(list), "no longer in the README: \(list)")
        return Set(list.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) })
    }

    @Test func deviceEvents() throws {
        let fall = try #require(reader.decode(EventMessage.self, from: shown(#"{"id":"7f3a-000184","ts":"2026-11-22T02:14:07Z","type":"fall","battery":81}"#)))
        #expect(fall == EventMessage(id: "7f3a-000184", ts: "2026-11-22T02:14:07Z", type: .fall, battery: 81))
        let heartbeat = try #require(reader.decode(EventMessage.self, from: shown(#"{"id":"t-1","ts":"2026-11-22T02:14:07Z","type":"heartbeat"}"#, in: Self.deployGuide)))
        #expect(heartbeat == EventMessage(id: "t-1", ts: "2026-11-22T02:14:07Z", type: .heartbeat))
        // What the simulators write, Vigil's own decoder accepts.
        #expect(try EventDecoder.decode(wire.encode(fall), deviceID: "pend-001", receivedAt: 0).get().battery == 81)
    }

    @Test func ackIsShownAsVigilWritesIt() throws {
        let example = #"{"alarm":"A-2026-000001","id":"7f3a-000184","status":"accepted"}"#
        let ack = try #require(reader.decode(Ack.self, from: shown(example)))
        #expect(ack == Ack(eventID: "7f3a-000184", status: .accepted, alarm: "A-2026-000001"))
        #expect(String(decoding: wire.encode(ack), as: UTF8.self) == example)
    }

    @Test func consoleCommandAndReplies() throws {
        let claim = try ConsoleCommand.decode(shown(#"{"request":"r-1","action":"claim","alarm":"A-2026-000913"}"#)).get()
        #expect(claim == ConsoleCommand(request: "r-1", action: .claim, alarm: "A-2026-000913"))
        let ok = try #require(reader.decode(ConsoleReply.self, from: shown(#"{"request":"r-1","ok":true,"alarm":"…","state":"claimed"}"#)))
        #expect(ok == ConsoleReply(request: "r-1", ok: true, alarm: "…", state: "claimed"))
        let refused = try #require(reader.decode(ConsoleReply.self, from: shown(#"{"request":"r-1","ok":false,"error":"A-2026-000913 is already claimed by op2."}"#)))
        #expect(refused == ConsoleReply(request: "r-1", ok: false, error: "A-2026-000913 is already claimed by op2."))
    }

    @Test func retainedMessagesHaveTheDocumentedKeys() throws {
        let alarm = Alarm(id: 1, code: "A-2026-000001", user: "u1", device: "pend-1", type: .fall, priority: .emergency, reason: "fall", raisedAt: 1_795_314_847_000)
        let entryKeys = keys("`id`, `user`, `person`, `device`, `type`, `priority`, `state`, `reason`, `raised_at`, `escalation`, `breached`, `events`, `claimed_by`, `claimed_at`, `sent_at`, `person_status`, `visit`")
        #expect(try WireKeys.top(wire.encode(QueueEntry(alarm, person: "Edith Clarke"))) == entryKeys) // nulls while unclaimed
        let summaryKeys = keys("`at`, `open`, `p1`, `p2`, `p3`, `claimed`, `escalated`, `answered_60s_pct`, `answered_180s_pct`")
        #expect(try WireKeys.top(wire.encode(QueueSummary(at: 1_795_314_847_000))) == summaryKeys) // nulls with nothing to measure
        let statusKeys = keys("`online`, `node`, `at`, `started`, `accepted`, `duplicates`, `rejected`, `alarms_raised`, `rejected_by_reason`")
        let status = DaemonStatus(at: 1_795_314_847_000, started: 1_795_314_000_000, accepted: 0, duplicates: 0, rejected: 0, alarmsRaised: 0, rejectedByReason: [:])
        #expect(try WireKeys.top(wire.encode(status)) == statusKeys)
    }
}

/// Each type through its encoder and back, and the keys it writes: the receiver reads what the
/// sender wrote, field for field, under the names the contract gives them.
@Suite("Wire messages: round trips and keys")
struct WireRoundTripTests {
    static let t0: EpochMillis = 1_795_314_847_123
    let wire = WireEncoder()
    let reader = WireDecoder()

    func roundTrip<M: Codable & Equatable>(_ message: M) throws -> Set<String> {
        let bytes = wire.encode(message)
        #expect(reader.decode(M.self, from: bytes) == message, "\(M.self) changed through encode and decode")
        #expect(wire.encode(message) == bytes, "\(M.self) is not the same bytes twice")
        return try WireKeys.top(bytes)
    }

    @Test func ack() throws {
        #expect(try roundTrip(Ack(eventID: "e-1", status: .duplicate, alarm: "A-2026-000002")) == ["id", "status", "alarm"])
        #expect(try roundTrip(Ack(eventID: "e-2", status: .rejected, error: "The field \"ts\" is missing.")) == ["id", "status", "error"])
        #expect(try roundTrip(Ack(eventID: "e-3", status: .accepted)) == ["id", "status"])
    }

    @Test func daemonStatus() throws {
        let status = DaemonStatus(at: Self.t0, started: Self.t0 - 60_000, accepted: 12, duplicates: 2, rejected: 3, alarmsRaised: 4,
                                  rejectedByReason: ["unknown_device": 2, "invalid_json": 1])
        #expect(try roundTrip(status) == ["online", "node", "at", "started", "accepted", "duplicates", "rejected", "alarms_raised", "rejected_by_reason"])
        let text = String(decoding: wire.encode(status), as: UTF8.self)
        #expect(text.contains(#""at":"2026-11-22T02:34:07.123Z""#))
        #expect(text.contains(#""online":true"#))
        #expect(text.contains(#""rejected_by_reason":{"invalid_json":1,"unknown_device":2}"#))
    }

    @Test func daemonStatusAsTheLastWill() throws {
        let will = DaemonStatus(online: false, node: "arc-1", at: Self.t0, started: Self.t0, accepted: 0, duplicates: 0, rejected: 0, alarmsRaised: 0, rejectedByReason: [:])
        _ = try roundTrip(will)
        #expect(String(decoding: wire.encode(will), as: UTF8.self).contains(#""node":"arc-1","online":false"#))
    }

    @Test func aStatusRetainedByAnOlderDaemonStillDecodes() throws {
        // Written before `online` and `node` existed: only its age can say whether that daemon lives.
        let old = #"{"at":"2026-11-22T02:34:07.123Z","started":"2026-11-22T02:33:07.123Z","accepted":1,"duplicates":0,"rejected":0,"alarms_raised":1,"rejected_by_reason":{}}"#
        let status = try #require(reader.decode(DaemonStatus.self, from: Array(old.utf8)))
        #expect(status.online)
        #expect(status.node == "")
        #expect(status.at == Self.t0)
    }

    @Test func queueEntry() throws {
        let raised = QueueEntry(code: "A-2026-000001", user: "u1", person: "Zoë Nguyễn", device: "pend-1", type: "fall", priority: .emergency,
                                state: "raised", reason: "fall", raisedAt: Self.t0)
        let keys: Set = ["id", "user", "person", "device", "type", "priority", "state", "reason", "raised_at", "escalation", "breached", "events", "claimed_by", "claimed_at", "sent_at", "person_status", "visit"]
        #expect(try roundTrip(raised) == keys)
        #expect(String(decoding: wire.encode(raised), as: UTF8.self).contains(#""claimed_at":null,"claimed_by":null"#))
        var claimed = raised
        claimed.state = "claimed"
        claimed.claimedBy = "op1"
        claimed.claimedAt = Self.t0 + 30_000
        claimed.escalation = 1
        claimed.breached = true
        claimed.events = 3
        claimed.sentAt = Self.t0 - 120_000
        claimed.personStatus = "away since 2026-11-20"
        claimed.visit = "resp-1 en-route"
        #expect(try roundTrip(claimed) == keys)
        #expect(String(decoding: wire.encode(claimed), as: UTF8.self).contains(#""priority":1"#))
    }

    @Test func queueEntryOfAnAlarm() {
        let a = Alarm(id: 7, code: "A-2026-000007", user: "u2", device: "smoke-1", type: .smoke, priority: .emergency, reason: "smoke alarm",
                      state: .claimed(by: "op2", at: Self.t0 + 5_000), raisedAt: Self.t0, escalation: 2, breached: true, events: 2)
        #expect(QueueEntry(a, person: "Arthur Okafor") == QueueEntry(code: "A-2026-000007", user: "u2", person: "Arthur Okafor", device: "smoke-1",
                                                                   type: "smoke", priority: .emergency, state: "claimed", reason: "smoke alarm",
                                                                   raisedAt: Self.t0, escalation: 2, breached: true, events: 2,
                                                                   claimedBy: "op2", claimedAt: Self.t0 + 5_000))
    }

    @Test func queueSummary() throws {
        let keys: Set = ["at", "open", "p1", "p2", "p3", "claimed", "escalated", "answered_60s_pct", "answered_180s_pct"]
        #expect(try roundTrip(QueueSummary(at: Self.t0, open: 3, p1: 2, p2: 1, claimed: 1, escalated: 1, answered60: 97.5, answered180: 100)) == keys)
        let empty = QueueSummary(at: Self.t0)
        #expect(try roundTrip(empty) == keys)
        #expect(String(decoding: wire.encode(empty), as: UTF8.self).contains(#""answered_180s_pct":null,"answered_60s_pct":null"#))
    }

    @Test func consoleCommand() throws {
        #expect(try roundTrip(ConsoleCommand(request: "r-1", action: .claim, alarm: "A-2026-000001")) == ["request", "action", "alarm"])
        let resolve = ConsoleCommand(request: "r-2", action: .resolve, alarm: "A-2026-000001", outcome: "responder-sent", text: "Daughter on her way")
        #expect(try roundTrip(resolve) == ["request", "action", "alarm", "outcome", "text"])
        #expect(try roundTrip(ConsoleCommand(request: "r-3", action: .reassign, alarm: "A-2026-000001", to: "op2")) == ["request", "action", "alarm", "to"])
        #expect(try ConsoleCommand.decode(wire.encode(resolve)).get() == resolve)
    }

    @Test func consoleReplyWithDetail() throws {
        let detail = AlarmDetail(person: "Edith Clarke", address: "14 Elm Road, Leith", access: "Key safe by the back door", conditions: "COPD",
                                 groups: ["Dementia", "Long-term condition"],
                                 devices: [AlarmDetail.Line("pend-1 (pendant)", "battery 77 %, last contact 2026-11-23 06:28")],
                                 responders: [AlarmDetail.Line("1. Ann Clarke (daughter)", "07700 900123")],
                                 events: [AlarmDetail.Line("2026-11-23 06:28  button", "P1: button alarm")],
                                 audit: [AlarmDetail.Line("2026-11-23 06:28  vigil", "raised: P1 button alarm")])
        let reply = ConsoleReply(request: "r-4", ok: true, alarm: "A-2026-000002", state: "raised", detail: detail)
        #expect(try roundTrip(reply) == ["request", "ok", "alarm", "state", "detail"])
        #expect(try roundTrip(detail) == ["person", "address", "access", "conditions", "groups", "devices", "responders", "recent", "events", "audit"])
        // A line is a pair of strings, as the console's two columns.
        #expect(String(decoding: wire.encode(detail), as: UTF8.self).contains(#""devices":[["pend-1 (pendant)","battery 77 %, last contact 2026-11-23 06:28"]]"#))
        #expect(try roundTrip(ConsoleReply(request: "r-5", ok: false, error: "A-1 is not an open alarm.")) == ["request", "ok", "error"])
    }

    @Test func eventMessage() throws {
        let door = EventMessage(id: "d-1", ts: "2026-11-22T02:14:07Z", type: .door, battery: 64, detail: ["state": .string("open"), "exit": .bool(true)])
        #expect(try roundTrip(door) == ["id", "ts", "type", "battery", "detail"])
        #expect(String(decoding: wire.encode(door), as: UTF8.self) == #"{"battery":64,"detail":{"exit":true,"state":"open"},"id":"d-1","ts":"2026-11-22T02:14:07Z","type":"door"}"#)
        #expect(try roundTrip(EventMessage(id: "h-1", ts: "2026-11-22T02:14:07Z", type: .heartbeat)) == ["id", "ts", "type"])
        let vitals = EventMessage(id: "v-1", ts: "2026-11-22T02:14:07Z", type: .vitals, detail: ["spo2": .number(93), "weight_kg": .number(71.2), "oxygen": .bool(false)])
        #expect(try EventDecoder.decode(wire.encode(vitals), deviceID: "th-1", receivedAt: 0).get().detail.vitals == VitalSigns(spo2: 93, weightKg: 71.2, onOxygen: false))
    }

    @Test func zigbeeMessage() throws {
        var m = Zigbee2MQTTMessage(ZigbeeState(waterLeak: true, carbonMonoxide: false, batteryLow: false, fallDownStatus: "none", battery: 88, temperature: 19.5),
                                   action: "emergency", linkquality: 102)
        m.voltage = 2950
        m.lastSeen = "2026-11-22T02:14:07.312Z"
        #expect(try roundTrip(m) == ["water_leak", "carbon_monoxide", "battery_low", "fall_down_status", "battery", "temperature", "action", "linkquality", "voltage", "last_seen"])
        // A bridge's payload, extra keys and all, reads as the same message.
        let bridge = #"{"battery":"88.00","battery_low":false,"device_temperature":29,"linkquality":120,"power_outage_count":4,"tamper":false,"voltage":3025,"water_leak":true}"#
        var expected = Zigbee2MQTTMessage(ZigbeeState(waterLeak: true, tamper: false, batteryLow: false, battery: 88), linkquality: 120, batteryAsString: true)
        expected.voltage = 3025
        #expect(reader.decode(Zigbee2MQTTMessage.self, from: Array(bridge.utf8)) == expected)
    }

    @Test func fhirObservation() throws {
        let pulse = FHIRObservation(id: "kit-1-pulse", effective: "2026-11-22T02:14:07Z", code: .heartRate, value: 72)
        #expect(try roundTrip(pulse) == ["resourceType", "id", "status", "category", "code", "effectiveDateTime", "valueQuantity"])
        let bp = FHIRObservation(id: "kit-1-bp", effective: "2026-11-22T02:14:07Z", systolic: 150, diastolic: nil)
        #expect(try roundTrip(bp) == ["resourceType", "id", "status", "category", "code", "effectiveDateTime", "component"])
        let components = try #require(JSONValue.parse(wire.encode(bp)).flatMap { if case .object(let o) = $0 { o["component"] } else { nil } })
        guard case .array(let parts) = components, parts.count == 2, case .object(let systolic) = parts[0], case .object(let diastolic) = parts[1] else {
            Issue.record("component is not two objects")
            return
        }
        #expect(Set(systolic.keys) == ["code", "valueQuantity"])
        #expect(Set(diastolic.keys) == ["code", "dataAbsentReason"])
    }
}

/// Keys of an encoded object.
enum WireKeys {
    struct NotAnObject: Error {}

    static func top(_ bytes: [UInt8]) throws -> Set<String> {
        guard case .object(let o)? = JSONValue.parse(bytes) else { throw NotAnObject() }
        return Set(o.keys)
    }
}

/// The sentences an operator's console gets back for a command Vigil cannot read.
@Suite("Console commands that cannot be read")
struct ConsoleCommandErrorTests {
    func error(_ json: String) -> CommandError? {
        if case .failure(let e) = ConsoleCommand.decode(Array(json.utf8)) { e } else { nil }
    }

    @Test func eachMissingPartIsNamed() {
        #expect(error("{not json") == CommandError(request: nil, message: "The command is not a JSON object."))
        #expect(error(#"["claim"]"#) == CommandError(request: nil, message: "The command is not a JSON object."))
        #expect(error(#"{"action":"claim","alarm":"A-1"}"#) == CommandError(request: nil, message: #"The command needs a "request" id (a string of 1–64 bytes)."#))
        #expect(error(#"{"request":"","action":"claim","alarm":"A-1"}"#) == CommandError(request: nil, message: #"The command needs a "request" id (a string of 1–64 bytes)."#))
        #expect(error(#"{"request":"r-1","action":"teleport","alarm":"A-1"}"#)
                == CommandError(request: "r-1", message: #"The command needs an "action": one of claim, release, note, reassign, resolve, detail, acknowledge, dispatch, visit, call, handover, accept-handover, move-claims."#))
        #expect(error(#"{"request":"r-1","action":"claim"}"#) == CommandError(request: "r-1", message: #"The command needs the "alarm" code, e.g. A-2026-000913."#))
        #expect(error(#"{"request":"r-1","action":"claim","alarm":""}"#) == CommandError(request: "r-1", message: #"The command needs the "alarm" code, e.g. A-2026-000913."#))
        let big = #"{"request":"r-1","action":"note","alarm":"A-1","text":""# + String(repeating: "x", count: ConsoleCommand.maxPayloadBytes) + #""}"#
        #expect(error(big) == CommandError(request: nil, message: "The command is larger than 8192 bytes."))
    }

    @Test func optionalKeysOfTheWrongTypeCountAsAbsent() throws {
        let c = try ConsoleCommand.decode(Array(#"{"request":"r-1","action":"note","alarm":"A-1","text":42,"to":null}"#.utf8)).get()
        #expect(c == ConsoleCommand(request: "r-1", action: .note, alarm: "A-1"))
    }
}
