import Foundation
import Testing
import VigilCore
@testable import VigilEngine
import VigilStore
import VigilWire

/// Issue 12, sections 1 and 11, on virtual time: an emergency is never refused for a side field, and
/// the wire cannot be replayed or read two ways.
@Suite("Engine: the wire never refuses an emergency and cannot be replayed")
struct WireSafetyTests {
    static let devices = EngineFixture.household + [DeviceRecord(id: "fall-1", userID: "u1", kind: .fallDetector)]

    func raw(_ json: String) -> [UInt8] { Array(json.utf8) }

    /// Open alarms of a device, from the database.
    func openAlarms(_ f: EngineFixture, device: String) throws -> [Alarm] {
        try AlarmStore(try Database(path: f.centre.databasePath, mode: .readOnly)).openAlarms().filter { $0.device == device }
    }

    @Test func aFallWithAPercentConfidenceRaisesTheFallAndTheAckSaysWhatWasDropped() throws {
        let f = try EngineFixture(devices: Self.devices)
        defer { f.dir.remove() }
        let payload = raw(#"{"id":"f-1","ts":"2026-11-22T02:14:07Z","type":"fall","detail":{"confidence":93}}"#)
        let ack = try #require(try f.centre.send(device: "fall-1", payload))
        #expect(ack.status == .accepted)
        #expect(ack.warnings == ["detail.confidence 93 is not between 0 and 1; ignored"])
        let code = try #require(ack.alarm)
        #expect(try f.stored(code)?.priority == .emergency)
        #expect(try f.stored(code)?.type == .fall)
        // The raw payload is kept exactly as received.
        #expect(try Inspection(path: f.centre.databasePath).storedPayload(device: "fall-1", eventID: "f-1") == payload)
        // And the installer hears of it: one P3 "device sends malformed data".
        let faults = try openAlarms(f, device: "fall-1").filter { $0.type == .deviceFault }
        #expect(faults.count == 1)
        #expect(faults.first?.priority == .technical)
        #expect(faults.first?.reason == "device sends malformed data: detail.confidence 93 is not between 0 and 1; ignored")
    }

    @Test(arguments: [
        (#"{"id":"b-1","ts":"2026-11-22T02:14:07Z","type":"button","battery":80.5}"#, "battery 80.5 is not a whole percent; ignored"),
        (#"{"id":"b-1","ts":"2026-11-22T02:14:07Z","type":"button","battery":-1}"#, "battery -1 is not a percent from 0 to 100; ignored"),
        (#"{"id":"b-1","ts":"2026-11-22 02:14:07Z","type":"button"}"#, #"ts "2026-11-22 02:14:07Z" is not an RFC 3339 date-time such as 2026-11-22T02:14:07Z; Vigil's receive time is used"#),
        (#"{"id":"b-1","ts":"2026-11-22T02:14:07Z","type":"button","battery":1e400}"#, "battery 1e400 is not a percent from 0 to 100; ignored"),
    ])
    func aButtonWithAMalformedSideFieldIsRaised(json: String, warning: String) throws {
        let f = try EngineFixture(devices: Self.devices)
        defer { f.dir.remove() }
        let ack = try #require(try f.centre.send(device: "pend-1", raw(json)))
        #expect(ack.status == .accepted)
        #expect(ack.warnings == [warning])
        #expect(try f.stored(try #require(ack.alarm))?.priority == .emergency)
        // The ack as the device reads it.
        let text = String(decoding: WireEncoder().encode(ack), as: UTF8.self)
        #expect(text.contains(#""status":"accepted""#))
        #expect(text.contains(#""warnings":["#))
    }

    @Test func aCleanEventsAckHasNoWarningsKey() throws {
        let f = try EngineFixture(devices: Self.devices)
        defer { f.dir.remove() }
        let ack = try #require(try f.centre.send(device: "pend-1", f.event(.button, id: "b-1")))
        #expect(ack.warnings == nil)
        #expect(!String(decoding: WireEncoder().encode(ack), as: UTF8.self).contains("warnings"))
        #expect(try openAlarms(f, device: "pend-1").allSatisfy { $0.type != .deviceFault })
    }

    @Test func malformedDataRaisesOneP3PerDeviceEachLocalDay() throws {
        // Europe/London, winter: local midnight is 00:00 UTC. The fixture starts at 02:14 UTC.
        let f = try EngineFixture(devices: Self.devices, timeZone: TimeZone(identifier: "Europe/London")!)
        defer { f.dir.remove() }
        func heartbeat(_ id: String) -> [UInt8] { raw(#"{"id":"\#(id)","ts":"2026-11-22T02:14:07Z","type":"heartbeat","battery":80.5}"#) }
        func faults() throws -> [Alarm] { try openAlarms(f, device: "hub-1").filter { $0.type == .deviceFault } }
        #expect(try f.centre.send(device: "hub-1", heartbeat("h-1"))?.warnings?.count == 1)
        #expect(try faults().count == 1)
        let first = try #require(try faults().first)
        // The rest of the day: warned in every ack, and no second alarm.
        for i in 2...5 {
            try f.centre.advance(by: 3_600_000)
            #expect(try f.centre.send(device: "hub-1", heartbeat("h-\(i)"))?.warnings?.count == 1)
        }
        #expect(try faults().map(\.code) == [first.code])
        // A restart does not forget that today's was raised.
        try f.centre.restart()
        #expect(try f.centre.send(device: "hub-1", heartbeat("h-6"))?.status == .accepted)
        #expect(try faults().map(\.code) == [first.code])
        // Another device the same day raises its own.
        _ = try f.centre.send(device: "pend-1", raw(#"{"id":"p-1","ts":"x","type":"heartbeat"}"#))
        #expect(try openAlarms(f, device: "pend-1").filter { $0.type == .deviceFault }.count == 1)
        // The installer resolves it; the next local day the device is still wrong: raised again.
        let claimed = try #require(try f.claim(first.code, by: "op1"))
        #expect(claimed.ok)
        let resolved = try #require(try f.centre.send(operator: "op1", ConsoleCommand(request: "r-resolve", action: .resolve, alarm: first.code, outcome: "false-alarm-device-fault")))
        #expect(resolved.ok, "\(resolved.error ?? "")")
        #expect(try faults().isEmpty)
        try f.centre.advance(to: try #require(RFC3339.millis("2026-11-23T00:00:30Z")))
        _ = try f.centre.send(device: "hub-1", heartbeat("h-7"))
        #expect(try faults().count == 1)
        #expect(try faults().first?.code != first.code)
    }

    @Test func anInvalidIDIsEchoedInTheRejection() throws {
        let f = try EngineFixture(devices: Self.devices)
        defer { f.dir.remove() }
        let long = "evt 1/" + String(repeating: "z", count: 80)
        let ack = try #require(try f.centre.send(device: "pend-1", raw(#"{"id":"\#(long)","ts":"2026-11-22T02:14:07Z","type":"button"}"#)))
        #expect(ack.status == .rejected)
        #expect(ack.eventID == String(long.prefix(64)))
        #expect(ack.error?.contains("is not valid") == true)
    }

    @Test func aRepeatedKeyIsRefusedAndNothingIsStored() throws {
        let f = try EngineFixture(devices: Self.devices)
        defer { f.dir.remove() }
        let ack = try #require(try f.centre.send(device: "pend-1", raw(#"{"id":"d-1","ts":"2026-11-22T02:14:07Z","type":"heartbeat","type":"fall"}"#)))
        #expect(ack.status == .rejected)
        #expect(ack.eventID == "d-1")
        #expect(ack.error == RejectReason.duplicateKey("type").sentence)
        let stored = try Inspection(path: f.centre.databasePath)
        #expect(try stored.storedPayload(device: "pend-1", eventID: "d-1") == nil)
        #expect(try stored.deadLetters(reason: "duplicate_key") == 1)
    }

    // MARK: Console commands (section 11)

    @Test func aRetainedCommandIsIgnoredAndTheReplySaysSo() throws {
        let f = try EngineFixture(devices: Self.devices)
        defer { f.dir.remove() }
        let code = try #require(try f.centre.send(device: "pend-1", f.event(.button, id: "b-1"))?.alarm)
        let note = ConsoleCommand(request: "r-note", action: .note, alarm: code, text: "rang the daughter")
        let console = ConsoleTopics()
        let out = try f.centre.deliver(topic: console.commands("op1"), payload: WireEncoder().encode(note), retain: true)
        let reply = try #require(out.first { $0.topic == console.replies("op1") }.flatMap { WireDecoder().decode(ConsoleReply.self, from: $0.payload) })
        #expect(!reply.ok)
        #expect(reply.request == "r-note")
        #expect(reply.error?.contains("retained") == true)
        #expect(try !f.audit(code).contains("note"))
        // The same command sent as a command is carried out.
        #expect(try f.centre.send(operator: "op1", note)?.ok == true)
        #expect(try f.audit(code).filter { $0 == "note" }.count == 1)
    }

    @Test func aRequestIDIsCarriedOutOnceEvenAcrossARestart() throws {
        let f = try EngineFixture(devices: Self.devices)
        defer { f.dir.remove() }
        let code = try #require(try f.centre.send(device: "pend-1", f.event(.button, id: "b-1"))?.alarm)
        let claim = ConsoleCommand(request: "op1-1", action: .claim, alarm: code)
        #expect(try f.centre.send(operator: "op1", claim)?.ok == true)
        let release = ConsoleCommand(request: "op1-2", action: .release, alarm: code)
        #expect(try f.centre.send(operator: "op1", release)?.ok == true)
        // The broker redelivers the claim after a crash: refused, and the alarm stays released.
        try f.centre.restart()
        let again = try #require(try f.centre.send(operator: "op1", claim))
        #expect(!again.ok)
        #expect(again.error?.contains("already carried out") == true)
        #expect(try f.stored(code)?.status == .raised)
        #expect(try f.audit(code).last == "refused")
        // Another operator may use the same id: ids are per operator.
        #expect(try f.centre.send(operator: "op2", ConsoleCommand(request: "op1-1", action: .claim, alarm: code))?.ok == true)
    }

    @Test func aCommandWithARepeatedKeyOrAHugeNumberIsRefusedWithTheReason() throws {
        let f = try EngineFixture(devices: Self.devices)
        defer { f.dir.remove() }
        let code = try #require(try f.centre.send(device: "pend-1", f.event(.button, id: "b-1"))?.alarm)
        let console = ConsoleTopics()
        func reply(_ json: String) throws -> ConsoleReply? {
            try f.centre.deliver(topic: console.commands("op1"), payload: Array(json.utf8))
                .first { $0.topic == console.replies("op1") }.flatMap { WireDecoder().decode(ConsoleReply.self, from: $0.payload) }
        }
        let twice = try #require(try reply(#"{"request":"r-1","action":"note","action":"claim","alarm":"\#(code)"}"#))
        #expect(!twice.ok)
        #expect(twice.error == RejectReason.duplicateKey("action").sentence)
        let huge = try #require(try reply(#"{"request":"r-2","action":"note","alarm":"\#(code)","text":"x","n":1e400}"#))
        #expect(!huge.ok)
        #expect(huge.error?.contains("\"n\"") == true)
        #expect(try f.stored(code)?.status == .raised)
        #expect(try !f.audit(code).contains("note"))
    }
}
