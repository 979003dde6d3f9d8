import Foundation
import Mosquitto
import Testing
@testable import VigilStore
import VigilTesting
import VigilWire

#if canImport(Glibc)
import Glibc
#endif

/// Escalation, claims and the console protocol against a real broker and daemon, on short timers.
@Suite("End to end: escalation and the operator workflow", .serialized)
struct OperatorWorkflowTests {
    static let shortChains = """
        supervision:
          grace_seconds: 1
        escalation:
          P1:
            - { when: unclaimed, after: 2, level: 1, notify: supervisors }
            - { when: unclaimed, after: 4, level: 2, breach: true, notify: operators }
            - { when: claimed, after: 600, notify: holder }
        """

    func setUp(_ site: Site) throws {
        try site.vigil("users", "add", "--db", site.dbPath, "--id", "u1", "--name", "Edith Clarke")
        try site.vigil("devices", "add", "--db", site.dbPath, "--id", "pend-1", "--user", "u1", "--type", "pendant")
        try site.vigil("operators", "add", "--db", site.dbPath, "--id", "op1", "--name", "Sam Okoro")
        try site.vigil("operators", "add", "--db", site.dbPath, "--id", "op2", "--name", "Kim Reyes")
        try site.vigil("operators", "add", "--db", site.dbPath, "--id", "sup1", "--name", "Pat Lowe", "--role", "supervisor")
    }

    func raiseFall(_ site: Site) throws -> String {
        let device = try TestDevice(site: site)
        return try #require(device.send("pend-1", eventID: "f1", event("f1", "fall"))?.alarm)
    }

    func escalation(_ site: Site, _ code: String) throws -> Int? {
        try site.queue().first { $0["id"] as? String == code }?["escalation"] as? Int
    }

    @Test func unclaimedFallEscalatesToLevelOneThenTwo() throws {
        let site = try Site(config: Self.shortChains)
        defer { site.stop() }
        try setUp(site)
        let code = try raiseFall(site)
        #expect(try escalation(site, code) == 0)
        #expect(try waitUntil(seconds: 15) { try escalation(site, code) == 1 })
        #expect(try waitUntil(seconds: 15) { try escalation(site, code) == 2 })
        let trail = try site.vigil("audit", "--db", site.dbPath, "--alarm", code)
        #expect(trail.contains("level 1; step 1 at 2 s: supervisors"))
        #expect(trail.contains("level 2; step 2 at 4 s: operators"))
        #expect(trail.contains("notice-sent"))
        #expect(trail.contains("target-breach"))
        #expect(try site.count("SELECT breached FROM alarms WHERE code = ?", [.text(code)]) == 1)
    }

    @Test func anOperatorGoingOffShiftHandsTheirClaimsOverWithOneNote() throws {
        let site = try Site()
        defer { site.stop() }
        try setUp(site)
        let code = try raiseFall(site)
        #expect(try site.alarm("claim", code, operator: "op1").status == 0)
        func shift(_ args: String...) throws -> Int32 {
            try runProgram(builtExecutable("vigil"), ["shift"] + args + ["--broker", site.broker.address]).status
        }
        #expect(try shift("hand-over", "--operator", "op1", "--to", "op2", "--note", "daughter is on her way") == 0)
        #expect(try site.queue().first?["claimed_by"] as? String == "op1", "offered, not yet taken")
        #expect(try shift("take", "--operator", "op2") == 0)
        #expect(try waitUntil(seconds: 10) { try site.queue().first?["claimed_by"] as? String == "op2" })
        #expect(try site.count("SELECT count(*) FROM audit WHERE action = 'handed-over' AND detail = 'op1 → op2: daughter is on her way'") == 1)
        // A supervisor moves op2's claims back while op2 is away.
        #expect(try shift("move", "--operator", "sup1", "--from", "op2", "--to", "op1", "--note", "op2 called away") == 0)
        #expect(try waitUntil(seconds: 10) { try site.queue().first?["claimed_by"] as? String == "op1" })
    }

    @Test func twoOperatorsClaimingAtOnceLeaveExactlyOneOwner() throws {
        let site = try Site()
        defer { site.stop() }
        try setUp(site)
        let code = try raiseFall(site)
        let exe = builtExecutable("vigil")
        // Both claims are in flight together: two processes started back to back.
        let c1 = try ChildProcess(executable: exe, arguments: ["alarm", "claim", "--broker", site.broker.address, "--operator", "op1", code], logPath: site.dir.file("claim1.log"))
        let c2 = try ChildProcess(executable: exe, arguments: ["alarm", "claim", "--broker", site.broker.address, "--operator", "op2", code], logPath: site.dir.file("claim2.log"))
        let s1 = c1.wait(), s2 = c2.wait()
        #expect([s1, s2].sorted() == [0, 1], "exit statuses \(s1), \(s2)")
        let loser = s1 == 0 ? c2 : c1
        let winner = s1 == 0 ? "op1" : "op2"
        #expect(loser.log().contains("already claimed by \(winner)"))
        let q = try site.queue()
        #expect(q.first?["claimed_by"] as? String == winner)
        #expect(q.first?["state"] as? String == "claimed")
        #expect(try site.count("SELECT count(*) FROM audit WHERE action = 'claimed'") == 1)
        #expect(try site.count("SELECT count(*) FROM audit WHERE action = 'refused'") == 1)
    }

    @Test func resolveNeedsAnOutcomeAndRemovesTheRetainedQueueEntry() throws {
        let site = try Site()
        defer { site.stop() }
        try setUp(site)
        let code = try raiseFall(site)

        // A console that connects now sees the whole queue at once, from retained messages.
        let retained = try site.retainedQueue()
        #expect(retained[code]?.contains("\"person\":\"Edith Clarke\"") == true)

        #expect(try site.alarm("claim", code, operator: "op1").status == 0)
        let noOutcome = try site.alarm("resolve", code, operator: "op1")
        #expect(noOutcome.status == 1)
        #expect(noOutcome.error.contains("Choose an outcome"))
        let notHolder = try site.alarm("resolve", code, operator: "op2", "--outcome", "ambulance")
        #expect(notHolder.status == 1)
        let reassignByOperator = try site.alarm("reassign", code, operator: "op2", "--to", "op2")
        #expect(reassignByOperator.status == 1)
        #expect(reassignByOperator.error.contains("Only a supervisor"))
        #expect(try site.alarm("note", code, operator: "op1", "--text", "On the floor, talking, no pain").status == 0)
        #expect(try site.alarm("resolve", code, operator: "op1", "--outcome", "responder-sent").status == 0)

        #expect(try site.queue().isEmpty)
        #expect(try site.count("SELECT count(*) FROM alarms WHERE code = ? AND state = 'resolved' AND outcome = 'responder-sent' AND resolved_by = 'op1'", [.text(code)]) == 1)
        #expect(try site.retainedQueue()[code] == nil)
        let actions = try Database(path: site.dbPath, mode: .readOnly).prepare("SELECT t.action FROM audit t JOIN alarms a ON a.id = t.alarm_id WHERE a.code = ? ORDER BY t.id").all([.text(code)]) { $0.text(0) }
        #expect(actions == ["raised", "claimed", "refused", "refused", "refused", "note", "resolved"])
    }

    @Test func restartMidEscalationResumesWithoutLosingOrRepeatingAStep() throws {
        let config = """
            escalation:
              P1:
                - { when: unclaimed, after: 2, level: 1, notify: supervisors }
                - { when: unclaimed, after: 6, level: 2, breach: true, notify: operators }
            """
        let site = try Site(config: config)
        defer { site.stop() }
        try setUp(site)
        let code = try raiseFall(site)
        #expect(try waitUntil(seconds: 15) { try escalation(site, code) == 1 })
        site.daemon.stop(signal: SIGKILL)
        // Level 2 falls due while the daemon is down.
        let due = try waitUntil(seconds: 15) {
            try site.count("SELECT count(*) FROM alarms WHERE code = ? AND raised_at + 8500 < ?", [.text(code), .int(Int64(Date().timeIntervalSince1970 * 1000))]) == 1
        }
        #expect(due)
        try site.daemon.start()
        #expect(try waitUntil(seconds: 15) { try escalation(site, code) == 2 })
        #expect(try site.count("SELECT count(*) FROM audit t JOIN alarms a ON a.id = t.alarm_id WHERE a.code = ? AND t.action = 'escalated'", [.text(code)]) == 2)
        let trail = try site.vigil("audit", "--db", site.dbPath, "--alarm", code)
        #expect(trail.contains("fired late"))
        #expect(site.daemon.log().contains("alarms.open=1"))
    }

    @Test func silentDeviceRaisesNoContactAndItsReturnClosesIt() throws {
        let site = try Site(config: Self.shortChains)
        defer { site.stop() }
        try setUp(site)
        try site.vigil("devices", "add", "--db", site.dbPath, "--id", "hub-1", "--user", "u1", "--type", "hub", "--heartbeat", "2")
        // Picked up by the running daemon's registry scan, then silent for 2 s + 1 s grace.
        let raised = try waitUntil(seconds: 20) { try site.queue().contains { $0["device"] as? String == "hub-1" && $0["priority"] as? Int == 3 } }
        #expect(raised)
        let device = try TestDevice(site: site)
        #expect(device.send("hub-1", eventID: "hb-1", event("hb-1", "heartbeat"))?.status == .accepted)
        #expect(try site.queue().allSatisfy { $0["device"] as? String != "hub-1" })
        #expect(try site.count("SELECT count(*) FROM alarms WHERE device_id = 'hub-1' AND outcome = 'contact-restored'") == 1)
    }
}
