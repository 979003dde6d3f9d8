import Foundation
import Testing
@testable import VigilStore
import VigilTesting

#if canImport(Glibc)
import Glibc
#endif

/// Escalation that reaches people, with the real parts: Mosquitto, `vigil serve` and two consoles in
/// tmux. A supervisor's console shows the step's notice; a console killed while holding a claim gives
/// it back after the lease, and the supervisor is told.
@Suite("End to end: notices on consoles and claim leases", .serialized)
struct NoticeEndToEndTests {
    static let config = """
        escalation:
          P1:
            - { when: unclaimed, after: 5, level: 1, notify: supervisors }
            - { when: claimed, after: 600, notify: holder }
        claim_lease_seconds: 10
        """

    func console(_ site: Site, _ op: String, supervisor: Bool = false) throws -> ConsoleEndToEndTests.Tmux {
        try ConsoleEndToEndTests.Tmux(dir: site.dir, command: [builtExecutable("vigil"), "console", "--broker", site.broker.address, "--operator", op, "--no-bell"]
            + (supervisor ? ["--supervisor"] : []), name: "tmux-\(op)", width: 120)
    }

    @Test func theSupervisorSeesTheNoticeAndAKilledConsolesClaimComesBack() throws {
        let site = try Site(config: Self.config)
        defer { site.stop() }
        try site.vigil("users", "add", "--db", site.dbPath, "--id", "u1", "--name", "Edith Clarke")
        try site.vigil("devices", "add", "--db", site.dbPath, "--id", "pend-1", "--user", "u1", "--type", "pendant")
        try site.vigil("operators", "add", "--db", site.dbPath, "--id", "op1", "--name", "Sam Okoro")
        try site.vigil("operators", "add", "--db", site.dbPath, "--id", "sup1", "--name", "Pat Lowe", "--role", "supervisor")
        let sup = try console(site, "sup1", supervisor: true)
        defer { sup.stop() }
        let op = try console(site, "op1")
        defer { op.stop() }
        #expect(waitUntil(seconds: 15) { sup.screen().contains("connected") && op.screen().contains("connected") })

        // Unclaimed for 5 s: the supervisor's console shows the notice; the operator's does not.
        let device = try TestDevice(site: site)
        let code = try #require(device.send("pend-1", eventID: "f1", event("f1", "fall"))?.alarm)
        #expect(waitUntil(seconds: 15) { sup.screen().contains("NOTICE \(code) Edith Clarke: P1 fall: nobody has answered for 5 s") }, "\(sup.screen())")
        #expect(!op.screen().contains("NOTICE"))
        sup.press("s")
        #expect(try waitUntil(seconds: 10) { try site.count("SELECT count(*) FROM notices WHERE operator_id = 'sup1' AND acknowledged_at IS NOT NULL") == 1 })
        #expect(waitUntil(seconds: 10) { !sup.screen().contains("NOTICE") }, "\(sup.screen())")

        // op1 claims it, then their console dies without a word (SIGKILL): the broker's will for it
        // follows within the keep-alive, and the claim comes back after the 10 s lease.
        op.press("c")
        #expect(try waitUntil(seconds: 10) { try site.count("SELECT count(*) FROM alarms WHERE claimed_by = 'op1'") == 1 })
        let pid = try #require(op.panePID())
        #expect(kill(pid, SIGKILL) == 0)
        #expect(try waitUntil(seconds: 60) { try site.count("SELECT count(*) FROM alarms WHERE code = ? AND state = 'raised'", [.text(code)]) == 1 })
        #expect(try site.count("SELECT count(*) FROM audit WHERE action = 'released' AND detail LIKE 'claim released: op1 offline for%'") == 1)
        #expect(waitUntil(seconds: 15) { sup.screen().contains("claim released: op1 offline") }, "\(sup.screen())")
        // Back in the queue, its unclaimed chain starts again: the supervisor is told a second time.
        #expect(try waitUntil(seconds: 15) { try site.count("SELECT count(*) FROM audit WHERE action = 'escalated'") == 2 })
    }
}
