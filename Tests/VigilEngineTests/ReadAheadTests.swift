import Mosquitto
import Testing
@testable import VigilEngine
import VigilStore
import VigilWire

/// During a drain the fresh lane reads each new message ahead of the persistent session, which
/// delivers it again later (docs/design.md, "The fresh lane").
@Suite("Messages the fresh lane reads ahead of the persistent session")
struct ReadAheadTests {
    @Test func aRefusalReadAheadIsAnsweredAtOnceAndRecordedOnceWhenItsCopyComes() throws {
        let f = try EngineFixture()
        let topic = f.topics.topic(device: "pend-1", .events)
        let ackTopic = f.topics.topic(device: "pend-1", .acks)
        let bad = Array(#"{"id":"e-bad","ts":"2026-11-22T02:14:07Z","type":"teleport"}"#.utf8)
        let misaddressed = MQTTMessage(topic: "telecare/v1/devices/a b/events", payload: bad)

        let ahead = try f.centre.engine.process([MQTTMessage(topic: topic, payload: bad), misaddressed], now: f.centre.now, ahead: true)
        let answer = ahead.first { $0.topic == ackTopic }.flatMap { WireDecoder().decode(Ack.self, from: $0.payload) }
        #expect(answer?.status == .rejected)
        #expect(answer?.reason == "unknown_type")
        let inspect = try Inspection(path: f.centre.databasePath)
        #expect(try inspect.deadLetterCounts().isEmpty)
        #expect(f.centre.engine.counters.rejected == 0)

        // The persistent session's copies: answered the same, and recorded, once each.
        let copy = try f.centre.send(device: "pend-1", bad)
        try f.centre.deliver(topic: misaddressed.topic, payload: misaddressed.payload)
        #expect(copy == answer)
        #expect(try inspect.deadLetters(reason: "unknown_type") == 1)
        #expect(try inspect.deadLetters(reason: "bad_topic") == 1)
        #expect(f.centre.engine.counters.rejected == 2)
    }

    /// An event read ahead is stored as any other; its copy is the duplicate.
    @Test func anEventReadAheadIsStoredAndItsCopyIsADuplicate() throws {
        let f = try EngineFixture()
        let press = f.event(.button, id: "e-press")
        let ahead = try f.centre.engine.process([MQTTMessage(topic: f.topics.topic(device: "pend-1", .events), payload: press)], now: f.centre.now, ahead: true)
        let answer = ahead.first { $0.topic == f.topics.topic(device: "pend-1", .acks) }.flatMap { WireDecoder().decode(Ack.self, from: $0.payload) }
        #expect(answer?.status == .accepted)
        let code = try #require(answer?.alarm)
        let copy = try f.centre.send(device: "pend-1", press)
        #expect(copy?.status == .duplicate)
        #expect(copy?.alarm == code)
        #expect(f.centre.engine.counters.accepted == 1)
        #expect(f.centre.engine.counters.duplicates == 1)
    }

    /// The other order: the persistent session stored the event and answered it `accepted`; the
    /// lane's copy gets no answer, which could reach the device ahead of that one.
    @Test func aCopyReadAheadOfAnEventAlreadyStoredIsNotAnswered() throws {
        let f = try EngineFixture()
        let press = f.event(.button, id: "e-press")
        #expect(try f.centre.send(device: "pend-1", press)?.status == .accepted)
        let ahead = try f.centre.engine.process([MQTTMessage(topic: f.topics.topic(device: "pend-1", .events), payload: press)], now: f.centre.now, ahead: true)
        #expect(!ahead.contains { $0.topic == f.topics.topic(device: "pend-1", .acks) })
        #expect(try Inspection(path: f.centre.databasePath).deadLetterCounts().isEmpty)
    }
}
