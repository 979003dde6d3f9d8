import Foundation
import Testing
@testable import VigilStore
import VigilTesting
import VigilWire

/// Dispatch to arrival on a real broker and daemon: calls recorded, the responder on call for the
/// person's area taken from the rota, a simulated handset reporting its journey, the alarm resolved
/// only once the visit is closed; and a responder who never arrives escalating on short timers.
@Suite("End to end: dispatch to arrival", .serialized)
struct DispatchEndToEndTests {
    func setUp(_ site: Site) throws {
        try site.vigil("users", "add", "--db", site.dbPath, "--id", "u1", "--name", "Edith Clarke", "--area", "3",
                       "--address", "4 Mill Lane", "--access", "key safe 1234")
        try site.vigil("devices", "add", "--db", site.dbPath, "--id", "fall-1", "--user", "u1", "--type", "fall-detector")
        try site.vigil("operators", "add", "--db", site.dbPath, "--id", "op1", "--name", "Sam Okoro")
        try site.vigil("operators", "add", "--db", site.dbPath, "--id", "sup1", "--name", "Pat Lowe", "--role", "supervisor")
        try site.vigil("responders", "add", "--db", site.dbPath, "--id", "resp-ann", "--name", "Ann Shaw", "--phone", "07700 900123")
        try site.vigil("responders", "add", "--db", site.dbPath, "--id", "resp-bob", "--name", "Bob Hale", "--phone", "07700 900456")
        // Ann is on call for area 3 now; Bob takes over in an hour.
        let now = Date().timeIntervalSince1970 * 1000
        func at(_ offsetHours: Double) -> String { RFC3339.format(millis: Int64(now + offsetHours * 3_600_000)) }
        try site.vigil("rota", "add", "--db", site.dbPath, "--area", "3", "--responder", "resp-ann", "--from", at(-1), "--until", at(1))
        try site.vigil("rota", "add", "--db", site.dbPath, "--area", "3", "--responder", "resp-bob", "--from", at(1), "--until", at(9))
    }

    func raiseFall(_ site: Site) throws -> String {
        let device = try TestDevice(site: site)
        return try #require(device.send("fall-1", eventID: "f1", event("f1", "fall"))?.alarm)
    }

    @Test func aFallIsClaimedCallsAreRungTheOnCallResponderArrivesAndOnlyThenItResolves() throws {
        let site = try Site()
        defer { site.stop() }
        try setUp(site)
        let code = try raiseFall(site)
        #expect(try site.alarm("claim", code, operator: "op1").status == 0)
        #expect(try site.alarm("call", code, operator: "op1", "--to", "Mary Clarke (daughter)", "--result", "no-answer").status == 0)
        #expect(try site.alarm("call", code, operator: "op1", "--to", "Joan Reed (neighbour)", "--result", "answered").status == 0)
        // The handset: an hour of travel a few seconds here.
        let handset = try site.vigilSim(["responder", "--broker", site.broker.address, "--id", "resp-ann", "--speed", "600", "--visits", "1", "--duration", "60"],
                                        log: "handset.log")
        defer { _ = handset.stop() }
        #expect(try site.alarm("dispatch", code, operator: "op1").status == 0)
        #expect(try site.count("SELECT count(*) FROM visits WHERE responder = 'resp-ann'") == 1)
        // While the visit is open the alarm cannot be resolved.
        let early = try site.alarm("resolve", code, operator: "op1", "--outcome", "responder-sent")
        #expect(early.status != 0)
        #expect(early.error.contains("visit"))
        #expect(try waitUntil(seconds: 30) { try site.count("SELECT count(*) FROM visits WHERE left_at IS NOT NULL") == 1 })
        #expect(try site.alarm("resolve", code, operator: "op1", "--outcome", "responder-sent").status == 0)

        let db = try Database(path: site.dbPath, mode: .readOnly)
        let calls = try db.prepare("SELECT callee, result, operator_id FROM call_attempts ORDER BY at, id").all { [$0.text(0), $0.text(1), $0.text(2)] }
        #expect(calls == [["Mary Clarke (daughter)", "no-answer", "op1"], ["Joan Reed (neighbour)", "answered", "op1"]])
        let times = try db.prepare("SELECT dispatched_at, en_route_at, on_site_at, access_gained_at, left_at, dispatched_by FROM visits").all {
            ([$0.int64(0), $0.int64(1), $0.int64(2), $0.int64(3), $0.int64(4)], $0.text(5))
        }
        let visit = try #require(times.first)
        #expect(visit.1 == "op1")
        #expect(visit.0 == visit.0.sorted(), "each stage after the one before: \(visit.0)")
        #expect(visit.0.allSatisfy { $0 > 0 })
        #expect(try site.count("SELECT count(*) FROM alarms WHERE code = ? AND state = 'resolved'", [.text(code)]) == 1)
        let trail = try site.vigil("audit", "--db", site.dbPath, "--alarm", code)
        for step in ["claimed", "call", "Mary Clarke (daughter): no-answer", "dispatched", "resp-ann", "en-route", "on-site", "access-gained", "left", "resolved"] {
            #expect(trail.contains(step), "audit lacks \(step)")
        }
        #expect(handset.log().contains("job \(code) for Edith Clarke at 4 Mill Lane"))
    }

    @Test func aResponderWhoNeverArrivesTellsTheHolderAndSupervisorsThenBreaches() throws {
        let site = try Site(config: """
            response:
              late_seconds: 2
              breach_seconds: 4
            """)
        defer { site.stop() }
        try setUp(site)
        let code = try raiseFall(site)
        #expect(try site.alarm("claim", code, operator: "op1").status == 0)
        // Named, not from the rota; no handset answers.
        #expect(try site.alarm("dispatch", code, operator: "op1", "--to", "resp-bob").status == 0)
        #expect(try waitUntil(seconds: 20) { try site.count("SELECT count(*) FROM visits WHERE breached = 1") == 1 })
        #expect(try site.count("SELECT late_notice_sent FROM visits") == 1)
        let told = Set(try Database(path: site.dbPath, mode: .readOnly).prepare("SELECT DISTINCT operator_id FROM notices").all { $0.text(0) })
        #expect(told.isSuperset(of: ["op1", "sup1"]), "notices went to \(told)")
        let trail = try site.vigil("audit", "--db", site.dbPath, "--alarm", code)
        #expect(trail.contains("target-breach"))
        // A responder nobody registered is refused with the command that registers one.
        let unknown = try site.alarm("dispatch", code, operator: "op1", "--to", "resp-zed")
        #expect(unknown.status != 0)
        #expect(unknown.error.contains("vigil responders add"))
    }
}
