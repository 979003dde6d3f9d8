import Testing
import VigilCore
@testable import VigilEngine
import VigilStore
import VigilWire

/// Supervision that does not go quiet, on virtual time. The household hub checks in every 600 s with
/// 120 s of grace, so it is out of contact 720 s after it was last heard from.
@Suite("Engine: supervision never goes quiet")
struct SupervisionRuleTests {
    func noContactCodes(_ f: EngineFixture) -> [String] {
        f.centre.retained.keys.filter { $0.contains("/queue/alarms/") }.map { String($0.split(separator: "/").last!) }.sorted()
    }

    func resolve(_ f: EngineFixture, _ code: String) throws {
        _ = try f.claim(code, by: "op1")
        let done = try f.centre.send(operator: "op1", ConsoleCommand(request: "r-resolve-\(code)", action: .resolve, alarm: code, outcome: "false-alarm-device-fault", text: "Rang Edith: hub unplugged, she will plug it in"))
        #expect(done?.ok == true)
    }

    @Test func aNoContactAlarmResolvedWhileTheDeviceIsSilentIsRaisedAgain() throws {
        let f = try EngineFixture()
        defer { f.dir.remove() }
        try f.centre.advance(by: 720_000)
        let first = try #require(noContactCodes(f).first)
        // Ten minutes later an operator resolves it; the hub has still said nothing.
        try f.centre.advance(by: 600_000)
        try resolve(f, first)
        #expect(noContactCodes(f).isEmpty)
        // One more interval plus grace from the resolve: it is raised again, as a new alarm.
        try f.centre.advance(by: 720_000 - 1)
        #expect(noContactCodes(f).isEmpty)
        try f.centre.advance(by: 1)
        let second = try #require(noContactCodes(f).first)
        #expect(second != first)
        #expect(try f.stored(second)?.isNoContact == true)
        // Silent since t0: the reason counts from the last contact, not from the resolve.
        #expect(try f.stored(second)?.reason == "no contact for 34 min")
    }

    /// The stored contact of the hub: what a restart reads.
    func storedContact(_ f: EngineFixture) throws -> EpochMillis? {
        try AlarmStore(try Database(path: f.centre.databasePath, mode: .readOnly)).supervisedDevices(afterRow: 0).first { $0.device == "hub-1" }?.lastContact
    }

    @Test func theStoredContactIsRewrittenAMinuteAtATimeAndARestartStillWaitsForTheNextHeartbeat() throws {
        let f = try EngineFixture()
        defer { f.dir.remove() }
        let t0 = EngineFixture.t0
        // Grace 120 s: the row is rewritten once it is 60 s old, or when the battery reading changes.
        try f.centre.advance(to: t0 + 100_000)
        _ = try f.centre.send(device: "hub-1", f.event(.heartbeat, id: "hb-1"))
        #expect(try storedContact(f) == t0 + 100_000, "a device's first message since start-up is written")
        try f.centre.advance(to: t0 + 130_000)
        _ = try f.centre.send(device: "hub-1", f.event(.heartbeat, id: "hb-2"))
        #expect(try storedContact(f) == t0 + 100_000, "30 s on: not rewritten")
        try f.centre.advance(to: t0 + 140_000)
        _ = try f.centre.send(device: "hub-1", WireEncoder().encode(EventMessage(id: "hb-3", ts: RFC3339.format(millis: f.centre.now), type: .heartbeat, battery: 41)))
        #expect(try storedContact(f) == t0 + 140_000, "a new battery reading is written at once")
        try f.centre.advance(to: t0 + 200_000)
        _ = try f.centre.send(device: "hub-1", f.event(.heartbeat, id: "hb-4"))
        #expect(try storedContact(f) == t0 + 200_000, "60 s after the last write: rewritten")
        try f.centre.advance(to: t0 + 230_000)
        _ = try f.centre.send(device: "hub-1", f.event(.heartbeat, id: "hb-5"))
        #expect(try storedContact(f) == t0 + 200_000)

        // A restart reads 200 s, 30 s older than the truth. The hub keeps its 600 s interval: its next
        // heartbeat at 830 s comes before the deadline the restart computed (200 + 600 + 120 = 920 s).
        try f.centre.restart()
        try f.centre.advance(to: t0 + 830_000)
        _ = try f.centre.send(device: "hub-1", f.event(.heartbeat, id: "hb-6"))
        try f.centre.advance(to: t0 + 1_000_000)
        #expect(noContactCodes(f).isEmpty)
        // Then it falls silent: found out of contact no later than 720 s after its last heartbeat.
        try f.centre.advance(to: t0 + 830_000 + 720_000)
        #expect(noContactCodes(f).count == 1)
    }

    @Test func aDeviceHeardFromBeforeTheFollowUpIsNotRaisedAgain() throws {
        let f = try EngineFixture()
        defer { f.dir.remove() }
        try f.centre.advance(by: 720_000)
        let first = try #require(noContactCodes(f).first)
        try resolve(f, first)
        try f.centre.advance(by: 300_000)
        _ = try f.centre.send(device: "hub-1", f.event(.heartbeat, id: "hb-1"))
        try f.centre.advance(by: 600_000)
        #expect(noContactCodes(f).isEmpty)
    }

    @Test func aBrokerOutageDoesNotFloodTheQueueWhenTheConnectionReturns() throws {
        let f = try EngineFixture(devices: EngineFixture.household + [
            DeviceRecord(id: "pend-2", userID: "u1", kind: .pendant, heartbeatSeconds: 3_600),
            DeviceRecord(id: "hub-2", userID: "u1", kind: .hub, heartbeatSeconds: 900),
        ])
        defer { f.dir.remove() }
        try f.centre.advance(by: 60_000)
        for (device, id) in [("hub-1", "a"), ("pend-2", "b"), ("hub-2", "c")] {
            _ = try f.centre.send(device: device, f.event(.heartbeat, id: id))
        }
        // Forty minutes without a broker: every deadline but the pendant's passes meanwhile.
        try f.centre.brokerOutage(for: 2_400_000)
        try f.centre.advance(by: 0)
        #expect(noContactCodes(f).isEmpty, "nothing is raised the instant the connection returns")
        // The queued heartbeats arrive within the grace period: nothing is raised at all.
        try f.centre.advance(by: 30_000)
        _ = try f.centre.send(device: "hub-1", f.event(.heartbeat, id: "a2"))
        _ = try f.centre.send(device: "hub-2", f.event(.heartbeat, id: "c2"))
        try f.centre.advance(by: 120_000)
        #expect(noContactCodes(f).isEmpty)
        // The hubs keep checking in; the pendant, silent since t0 + 60 s, is raised when its own
        // deadline passes (3,600 + 120 s after its heartbeat, t0 + 3,780 s), and nothing else is.
        for round in 1...3 {
            try f.centre.advance(by: 300_000)
            _ = try f.centre.send(device: "hub-1", f.event(.heartbeat, id: "a\(round + 2)"))
            _ = try f.centre.send(device: "hub-2", f.event(.heartbeat, id: "c\(round + 2)"))
        }
        try f.centre.advance(to: EngineFixture.t0 + 3_780_000 - 1)
        let early = try noContactCodes(f).map { try f.stored($0).map { "\($0.device) \($0.raisedAt - EngineFixture.t0)" } }
        #expect(early.isEmpty, "\(early)")
        try f.centre.advance(by: 1)
        let codes = noContactCodes(f)
        #expect(codes.count == 1)
        #expect(try codes.first.flatMap { try f.stored($0) }?.device == "pend-2")
    }

    @Test func aDeviceStillSilentAfterTheReconnectGraceIsRaised() throws {
        let f = try EngineFixture()
        defer { f.dir.remove() }
        try f.centre.brokerOutage(for: 3_600_000)
        try f.centre.advance(by: 120_000 - 1)
        #expect(noContactCodes(f).isEmpty)
        try f.centre.advance(by: 1)
        #expect(noContactCodes(f).count == 1)
    }
}
