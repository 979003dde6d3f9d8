import Testing
import VigilCore
@testable import VigilEngine
import VigilStore
import VigilWire

/// The whole engine — router, stages, desk, store, queue publisher — on virtual time: no broker,
/// no sleeping. Each test runs minutes of a centre's life in milliseconds.
@Suite("Engine on virtual time: escalation, claims, supervision")
struct EngineTests {
    @Test func anUnclaimedFallEscalatesAtSixtyAndOneEightySecondsAndConsolesSeeIt() throws {
        let f = try EngineFixture()
        defer { f.dir.remove() }
        let ack = try #require(try f.centre.send(device: "pend-1", f.event(.fall, id: "e1")))
        #expect(ack.status == .accepted)
        let code = try #require(ack.alarm)
        #expect(f.queueEntry(code)?.state == "raised")

        try f.centre.advance(by: 59_999)
        #expect(try f.stored(code)?.escalation == 0)
        try f.centre.advance(by: 1)
        #expect(try f.stored(code)?.escalation == 1)
        #expect(f.queueEntry(code)?.escalation == 1)

        try f.centre.advance(by: 120_000)
        let a = try #require(try f.stored(code))
        #expect(a.escalation == 2)
        #expect(a.breached)
        #expect(try f.audit(code).filter { $0 != "notice-sent" } == ["raised", "escalated", "escalated", "target-breach"])
        // Told: the supervisor at 60 s; every operator and the supervisor at 180 s.
        #expect(try f.audit(code).filter { $0 == "notice-sent" }.count == 4)
        #expect(f.queueEntry(code)?.breached == true)
    }

    @Test func aClaimIsExclusiveStopsEscalationAndGetsItsReminder() throws {
        let f = try EngineFixture()
        defer { f.dir.remove() }
        let code = try #require(try f.centre.send(device: "pend-1", f.event(.button, id: "e1"))?.alarm)
        try f.centre.advance(by: 30_000)
        #expect(try f.claim(code, by: "op1")?.ok == true)
        let second = try #require(try f.claim(code, by: "op2"))
        #expect(!second.ok)
        #expect(second.error == "\(code) is already claimed by op1.")
        // Claimed at 30 s: the 60 s and 180 s steps never fire; the 20-minute reminder does.
        try f.centre.advance(by: 20 * 60_000 - 1)
        #expect(try f.audit(code).filter { $0 == "escalated" || $0 == "reminder" }.isEmpty)
        try f.centre.advance(by: 1)
        #expect(try f.audit(code).last { $0 != "notice-sent" } == "reminder")
        let a = try #require(try f.stored(code))
        #expect(a.state == .claimed(by: "op1", at: EngineFixture.t0 + 30_000))
        #expect(a.firstClaimedAt == EngineFixture.t0 + 30_000)
        // A refusal is audited under the operator who was refused.
        #expect(try f.audit(code).contains("refused"))
    }

    @Test func resolvingNeedsTheHolderAndAnOutcomeAndClearsTheQueueEntry() throws {
        let f = try EngineFixture()
        defer { f.dir.remove() }
        let code = try #require(try f.centre.send(device: "pend-1", f.event(.fall, id: "e1"))?.alarm)
        _ = try f.claim(code, by: "op1")
        let wrong = try f.centre.send(operator: "op2", ConsoleCommand(request: "r1", action: .resolve, alarm: code, outcome: "ambulance"))
        #expect(wrong?.ok == false)
        let unknown = try f.centre.send(operator: "op1", ConsoleCommand(request: "r2", action: .resolve, alarm: code, outcome: "teleported"))
        #expect(unknown?.error?.hasPrefix("teleported is not an outcome") == true)
        let done = try f.centre.send(operator: "op1", ConsoleCommand(request: "r3", action: .resolve, alarm: code, outcome: "ambulance", text: "Conveyed to the RVI"))
        #expect(done?.ok == true)
        #expect(done?.state == "resolved")
        #expect(try f.stored(code)?.resolution == Alarm.Resolution(outcome: .ambulance, by: "op1", at: EngineFixture.t0))
        #expect(try f.audit(code).suffix(2) == ["resolved", "note"])
        #expect(f.queueEntry(code) == nil)
    }

    @Test func aResendIsAnsweredDuplicateWithItsAlarmAndStoredOnce() throws {
        let f = try EngineFixture()
        defer { f.dir.remove() }
        let first = try #require(try f.centre.send(device: "pend-1", f.event(.button, id: "e1")))
        let again = try #require(try f.centre.send(device: "pend-1", f.event(.button, id: "e1")))
        #expect(again.status == .duplicate)
        #expect(again.alarm == first.alarm)
        #expect(f.centre.engine.counters.accepted == 1)
        #expect(f.centre.engine.counters.duplicates == 1)
        #expect(try f.stored(first.alarm!)?.events == 1)
    }

    @Test func aCancelClosesWhatNobodyHoldsAndOnlyAttachesToAClaim() throws {
        let f = try EngineFixture()
        defer { f.dir.remove() }
        let a = try #require(try f.centre.send(device: "pend-1", f.event(.button, id: "e1"))?.alarm)
        let cancel = try #require(try f.centre.send(device: "pend-1", f.event(.cancel, id: "e2")))
        #expect(cancel.alarm == a)
        #expect(try f.stored(a)?.outcome == .cancelledAtDevice)

        let b = try #require(try f.centre.send(device: "pend-1", f.event(.button, id: "e3"))?.alarm)
        _ = try f.claim(b, by: "op1")
        _ = try f.centre.send(device: "pend-1", f.event(.cancel, id: "e4"))
        let held = try #require(try f.stored(b))
        #expect(held.claimedBy == "op1")
        #expect(held.events == 2)
        #expect(try f.audit(b).last == "device-cancel")
    }

    @Test func unknownDevicesAndBadTopicsAreDeadLetteredWithReasons() throws {
        let f = try EngineFixture()
        defer { f.dir.remove() }
        let ack = try #require(try f.centre.send(device: "ghost-1", f.event(.heartbeat, id: "e1")))
        #expect(ack.status == .rejected)
        #expect(ack.error?.contains("ghost-1") == true)
        try f.centre.deliver(topic: "telecare/v1/devices/pend-1/acks", payload: Array("{}".utf8))
        try f.centre.deliver(topic: "zigbee2mqtt/bridge/state", payload: Array("online".utf8))
        let c = f.centre.engine.counters
        #expect(c.rejected == 2)
        #expect(c.byReason.keys.sorted() == ["bad_topic", "unknown_device"])
        #expect(c.ignored == ["zigbee2mqtt-bridge": 1])
    }

    @Test func aSilentHubRaisesNoContactAndItsReturnClosesIt() throws {
        let f = try EngineFixture()
        defer { f.dir.remove() }
        // Heartbeat every 600 s, grace 120 s. Just registered: silent from t0.
        try f.centre.advance(by: 720_000 - 1)
        #expect(f.centre.retained.keys.filter { $0.contains("/queue/alarms/") }.isEmpty)
        try f.centre.advance(by: 1)
        let entry = try #require(f.centre.retained.first { $0.key.contains("/queue/alarms/") })
        let code = String(entry.key.split(separator: "/").last!)
        let lost = try #require(try f.stored(code))
        #expect(lost.isNoContact)
        #expect(lost.priority == .technical)
        // Its heartbeat comes back: the alarm closes (nobody had claimed it) and leaves the queue.
        try f.centre.advance(by: 60_000)
        let back = try #require(try f.centre.send(device: "hub-1", f.event(.heartbeat, id: "hb-1")))
        #expect(back.status == .accepted)
        #expect(try f.stored(code)?.outcome == .contactRestored)
        #expect(f.queueEntry(code) == nil)
    }

    @Test func aRestartMidEscalationResumesWithoutLosingOrRepeatingAStep() throws {
        let f = try EngineFixture()
        defer { f.dir.remove() }
        let code = try #require(try f.centre.send(device: "smoke-1", f.event(.smoke, id: "s1"))?.alarm)
        try f.centre.advance(by: 61_000)
        #expect(try f.audit(code).filter { $0 == "escalated" }.count == 1)
        try f.centre.restart()
        try f.centre.advance(by: 200_000)
        // 180 s (level 2, the breach) and its first repeat at 240 s; the 60 s step is not repeated.
        #expect(try f.audit(code).filter { $0 == "escalated" }.count == 3)
        #expect(try f.stored(code)?.unclaimedRepeats == 1)
        #expect(try f.stored(code)?.breached == true)
        // The queue a reconnecting console receives still holds it.
        #expect(f.queueEntry(code)?.escalation == 2)
    }

    @Test func theSummaryCountsTheQueueAndTheAnswerShare() throws {
        let f = try EngineFixture()
        defer { f.dir.remove() }
        let a = try #require(try f.centre.send(device: "pend-1", f.event(.button, id: "e1"))?.alarm)
        _ = try f.centre.send(device: "smoke-1", f.event(.smoke, id: "s1"))
        try f.centre.advance(by: 30_000)
        _ = try f.claim(a, by: "op1")
        try f.centre.advance(by: 60_000)
        let p = try #require(f.centre.retained[ConsoleTopics().summary])
        let s = try #require(WireDecoder().decode(QueueSummary.self, from: p))
        #expect(s.open == 2)
        #expect(s.p1 == 2)
        #expect(s.claimed == 1)
        // One answered in 30 s, one unanswered past 60 s: half within the minute.
        #expect(s.answered60 == 50)
    }
}
