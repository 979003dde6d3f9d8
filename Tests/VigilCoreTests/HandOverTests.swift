import Testing
@testable import VigilCore

/// Going off shift: every claim offered with one note, kept by the one leaving until taken, each
/// transfer audited; a supervisor moving the claims of an operator who is away.
@Suite("Alarm desk: shift hand-over")
struct HandOverTests {
    static let t0: EpochMillis = 1_795_314_847_000
    let op1 = OperatorIdentity(id: "op1", role: .operator)
    let op2 = OperatorIdentity(id: "op2", role: .operator)
    let sup = OperatorIdentity(id: "sup1", role: .supervisor)

    func raise(_ desk: inout AlarmDesk, _ device: String, at: EpochMillis) -> String {
        let e = DeviceEvent(deviceID: device, eventID: "e-\(device)", type: .fall, deviceTime: "2026-11-22T02:14:07Z")
        return desk.ingest(e, user: "u-\(device)", decision: .raise(.emergency, reason: "fall"), now: at, year: 2026).alarm!.code
    }

    func audits(_ actions: [DeskAction], _ action: AuditAction) -> [AuditEntry] {
        actions.compactMap { if case .audit(let e) = $0, e.action == action { e } else { nil } }
    }

    @Test func claimsStayWithTheOneLeavingUntilTakenThenMoveWithTheNote() throws {
        var desk = AlarmDesk()
        let a = raise(&desk, "d1", at: Self.t0), b = raise(&desk, "d2", at: Self.t0 + 1_000), c = raise(&desk, "d3", at: Self.t0 + 2_000)
        for code in [a, b] { _ = desk.command(.claim(code), by: op1, now: Self.t0 + 5_000) }
        _ = desk.command(.claim(c), by: op2, now: Self.t0 + 5_000)

        let offered = try desk.offerHandOver(by: op1, to: op2, note: "daughter on her way to d1", now: Self.t0 + 10_000).get()
        #expect(offered.0.codes == [a, b])
        #expect(audits(offered.1, .handOverOffered).count == 2)
        // Offered, not yet taken: still op1's.
        #expect(desk.open[a]?.claimedBy == "op1")

        let (moved, actions) = try desk.acceptHandOver(by: op2, now: Self.t0 + 20_000).get()
        #expect(moved.map(\.code) == [a, b])
        #expect([a, b, c].map { desk.open[$0]?.claimedBy } == ["op2", "op2", "op2"])
        let trail = audits(actions, .handedOver)
        #expect(trail.count == 2)
        #expect(trail.allSatisfy { $0.detail == "op1 → op2: daughter on her way to d1" && $0.actor == .operator("op2") })
        // Taken once: a second accept finds nothing.
        #expect(throws: Refusal.self) { try desk.acceptHandOver(by: op2, now: Self.t0 + 21_000).get() }
    }

    @Test func anOfferNeedsANoteAndClaimsAndASupervisorMovesAnAwayOperatorsClaims() throws {
        var desk = AlarmDesk()
        let a = raise(&desk, "d1", at: Self.t0)
        #expect(throws: Refusal.self) { try desk.offerHandOver(by: op1, to: op2, note: "all quiet", now: Self.t0).get() }
        _ = desk.command(.claim(a), by: op1, now: Self.t0 + 1_000)
        #expect(throws: Refusal.self) { try desk.offerHandOver(by: op1, to: op2, note: "  ", now: Self.t0).get() }
        #expect(throws: Refusal.self) { try desk.offerHandOver(by: op1, to: op1, note: "me", now: Self.t0).get() }
        #expect(throws: Refusal.self) { try desk.moveClaims(of: "op1", to: op2, by: op2, note: nil, now: Self.t0).get() }
        let (moved, actions) = try desk.moveClaims(of: "op1", to: op2, by: sup, note: "op1 went home ill", now: Self.t0 + 2_000).get()
        #expect(moved.map(\.code) == [a] && desk.open[a]?.claimedBy == "op2")
        #expect(audits(actions, .handedOver).map(\.detail) == ["op1 → op2 by sup1: op1 went home ill"])
    }
}
