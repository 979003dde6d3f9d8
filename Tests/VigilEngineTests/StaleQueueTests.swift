import Testing
import VigilCore
@testable import VigilEngine
import VigilStore
import VigilWire

/// The retained queue is the database's: what the broker holds for an alarm this database does not
/// have open (left by the database a restore replaced) is cleared; the daemon's own entries, retained
/// or delivered live, are left alone.
@Suite("Engine: retained queue entries the database does not know")
struct StaleQueueTests {
    @Test func anEntryForAnAlarmNotOpenHereIsClearedAndAnOpenOnesEchoIsNot() throws {
        let f = try EngineFixture()
        defer { f.dir.remove() }
        let code = try #require(try f.centre.send(device: "pend-1", f.event(.fall, id: "e1"))?.alarm)
        let console = ConsoleTopics()
        let own = try #require(f.centre.retained[console.alarm(code)])

        // The echo of the daemon's own entry: nothing to publish.
        #expect(try f.centre.deliver(topic: console.alarm(code), payload: own, retain: true).isEmpty)
        // An entry a replaced database left behind: an empty retained payload on its topic.
        let stale = console.alarm("A-2026-000099")
        let out = try f.centre.deliver(topic: stale, payload: own, retain: true)
        #expect(out.map { [$0.topic, "\($0.payload.count)", "\($0.retain)"] } == [[stale, "0", "true"]])
        #expect(f.centre.engine.counters.queueEntriesCleared == 1)
        // Only what the broker retains is judged: a live delivery is the daemon's own publish.
        #expect(try f.centre.deliver(topic: console.alarm("A-2026-000098"), payload: own, retain: false).isEmpty)
        #expect(f.centre.engine.counters.queueEntriesCleared == 1)
        // An empty one (a removal, ours or anyone's) is already what it should be.
        #expect(try f.centre.deliver(topic: stale, payload: [], retain: true).isEmpty)

        // Once the alarm is resolved, a late echo of its entry is cleared again, which changes nothing.
        #expect(try f.claim(code, by: "op1")?.ok == true)
        #expect(try f.centre.send(operator: "op1", ConsoleCommand(request: "r-res", action: .resolve, alarm: code, outcome: "resolved-on-call"))?.ok == true)
        let late = try f.centre.deliver(topic: console.alarm(code), payload: own, retain: true)
        #expect(late.map { [$0.topic, "\($0.payload.count)", "\($0.retain)"] } == [[console.alarm(code), "0", "true"]])
        #expect(f.queueEntry(code) == nil)
    }
}
