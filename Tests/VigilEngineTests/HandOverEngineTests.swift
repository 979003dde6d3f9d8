import Testing
import VigilCore
import VigilWire
@testable import VigilEngine
@testable import VigilStore

/// A hand-over offered and not yet taken is kept in the database: a restart puts the banner back on
/// the receiver's console and the receiver can still take the claims.
@Suite("Engine: shift hand-over across a restart")
struct HandOverEngineTests {
    func send(_ f: EngineFixture, _ op: String, _ action: ConsoleCommand.Action, to: String? = nil, text: String? = nil) throws -> ConsoleReply? {
        try f.centre.send(operator: op, ConsoleCommand(request: "r-\(op)-\(action.rawValue)-\(f.centre.now)", action: action, alarm: "", text: text, to: to))
    }

    func banner(_ f: EngineFixture, _ op: String) -> HandOverOffer? {
        f.centre.retained[ConsoleTopics().handOver(op)].flatMap { $0.isEmpty ? nil : WireDecoder().decode(HandOverOffer.self, from: $0) }
    }

    @Test func anOfferSurvivesARestartAndIsTakenAfterIt() throws {
        let f = try EngineFixture()
        defer { f.dir.remove() }
        let code = try #require(try f.centre.send(device: "pend-1", f.event(.fall, id: "e1"))?.alarm)
        #expect(try f.claim(code, by: "op1")?.ok == true)
        #expect(try send(f, "op1", .handOver, to: "op2", text: "Daughter on her way")?.ok == true)
        let offered = try #require(banner(f, "op2"))
        #expect(offered == HandOverOffer(from: "op1", to: "op2", note: "Daughter on her way", alarms: [code], at: f.centre.now))

        try f.centre.restart()
        #expect(banner(f, "op2") == offered, "the same offer is back on the receiver's console")
        #expect(try f.stored(code)?.claimedBy == "op1", "offered, not taken: still op1's")
        let took = try send(f, "op2", .acceptHandOver)
        #expect(took?.ok == true && took?.state == "took 1")
        #expect(try f.stored(code)?.claimedBy == "op2")
        #expect(banner(f, "op2") == nil)

        // Taken, so gone from the database: another restart shows no banner and nothing to take.
        try f.centre.restart()
        #expect(banner(f, "op2") == nil)
        #expect(try send(f, "op2", .acceptHandOver)?.error == "Nobody has offered you a hand-over.")
        let db = try Database(path: f.centre.databasePath, mode: .readOnly)
        #expect(try db.scalar("SELECT count(*) FROM hand_over_offers") == 0)
        #expect(try db.scalar("SELECT count(*) FROM hand_over_alarms") == 0)
    }

    @Test func aSupervisorMovingTheClaimsWithdrawsTheStoredOffer() throws {
        let f = try EngineFixture()
        defer { f.dir.remove() }
        let code = try #require(try f.centre.send(device: "pend-1", f.event(.fall, id: "e1"))?.alarm)
        _ = try f.claim(code, by: "op1")
        _ = try send(f, "op1", .handOver, to: "op2", text: "Going home ill")
        let moved = try f.centre.send(operator: "sup1", ConsoleCommand(request: "r-move", action: .moveClaims, alarm: "", text: "op1 went home", to: "sup1", from: "op1"))
        #expect(moved?.ok == true, "\(moved?.error ?? "")")
        #expect(banner(f, "op2") == nil, "the absent operator's offer leaves the receiver's console at once")
        try f.centre.restart()
        #expect(banner(f, "op2") == nil)
        #expect(try f.stored(code)?.claimedBy == "sup1")
        #expect(try AlarmStore(try Database(path: f.centre.databasePath, mode: .readOnly)).handOvers().isEmpty)
    }
}
