import Testing
@testable import VigilCore

/// A responder's visit on virtual time: dispatched → en route → on site → left, the 45- and
/// 60-minute timers, and no resolving an alarm while someone is still on their way.
@Suite("Alarm desk: responder visits")
struct VisitTests {
    static let t0: EpochMillis = 1_795_314_847_000
    let op1 = OperatorIdentity(id: "op1", role: .operator)
    let op2 = OperatorIdentity(id: "op2", role: .operator)

    func claimedFall(_ desk: inout AlarmDesk) throws -> String {
        let code = desk.ingest(DeviceEvent(deviceID: "pend-1", eventID: "e", type: .fall, deviceTime: "2026-11-22T02:14:07Z"), user: "u1",
                               decision: .raise(.emergency, reason: "fall"), now: Self.t0, year: 2026).alarm!.code
        _ = try desk.command(.claim(code), by: op1, now: Self.t0 + 20_000).get()
        return code
    }

    func refusal(_ r: Result<(Alarm, [DeskAction]), Refusal>) -> String? {
        if case .failure(let f) = r { f.message } else { nil }
    }

    func notices(_ actions: [DeskAction]) -> [Notice] {
        actions.compactMap { if case .notify(let n) = $0 { n } else { nil } }
    }

    @Test func aVisitRunsFromDispatchToLeftAndOnlyThenTheAlarmResolves() throws {
        var desk = AlarmDesk()
        let code = try claimedFall(&desk)
        let t = Self.t0 + 60_000
        let (_, sent) = try desk.command(.dispatch(code, responder: "resp-1"), by: op1, now: t).get()
        guard case .openVisit(let v)? = sent.first else { Issue.record("no visit opened"); return }
        #expect(v.responder == "resp-1" && v.dispatchedBy == "op1" && v.dispatchedAt == t && v.stage == .dispatched)
        #expect(refusal(desk.command(.dispatch(code, responder: "resp-1"), by: op1, now: t + 1)) == "resp-1 is already on their way to \(code).")
        #expect(refusal(desk.command(.resolve(code, outcome: .responderSent), by: op1, now: t + 2))
                == "\(code) has a responder visit open (resp-1, dispatched): record that they have left, or cancel the visit with a reason, first.")
        _ = try desk.command(.visit(code, responder: "resp-1", stage: .enRoute), by: op1, now: t + 60_000).get()
        #expect(refusal(desk.command(.visit(code, responder: "resp-1", stage: .left), by: op1, now: t + 70_000))
                == "Record that the responder is on site before recording that they left.")
        let (_, arrived) = try desk.responderReport("resp-1", alarm: code, stage: .onSite, now: t + 25 * 60_000).get()
        #expect(arrived.contains { if case .audit(let e) = $0 { e.detail == "on-site (from the handset) after 25 min" } else { false } })
        #expect(refusal(desk.command(.visit(code, responder: "resp-1", stage: .enRoute), by: op1, now: t + 26 * 60_000))
                == "The visit is already on-site; it cannot go back to en-route.")
        _ = try desk.responderReport("resp-1", alarm: code, stage: .left, now: t + 50 * 60_000).get()
        #expect(desk.openVisits(desk.open[code]!.id).isEmpty)
        #expect(desk.nextDue == desk.escalation.nextDue(desk.open[code]!)) // no visit timer left
        _ = try desk.command(.resolve(code, outcome: .responderSent), by: op1, now: t + 51 * 60_000).get()
        #expect(desk.open[code] == nil)
    }

    @Test func accessGainedIsItsOwnStageBetweenOnSiteAndLeftAndNotNeededToLeave() throws {
        var desk = AlarmDesk()
        let code = try claimedFall(&desk)
        let t = Self.t0 + 60_000
        _ = try desk.command(.dispatch(code, responder: "resp-1"), by: op1, now: t).get()
        _ = try desk.responderReport("resp-1", alarm: code, stage: .onSite, now: t + 20 * 60_000).get()
        let (_, inside) = try desk.responderReport("resp-1", alarm: code, stage: .accessGained, now: t + 23 * 60_000).get()
        #expect(inside.contains { if case .audit(let e) = $0 { e.detail == "access-gained (from the handset) 3 min after arriving" } else { false } })
        guard case .updateVisit(let v)? = inside.first else { Issue.record("the visit was not updated"); return }
        #expect(v.stage == .accessGained && v.onSiteAt == t + 20 * 60_000 && v.accessGainedAt == t + 23 * 60_000)
        #expect(refusal(desk.responderReport("resp-1", alarm: code, stage: .onSite, now: t + 24 * 60_000))
                == "The visit is already access-gained; it cannot go back to on-site.")
        #expect(refusal(desk.command(.resolve(code, outcome: .responderSent), by: op1, now: t + 25 * 60_000)) != nil, "still open while they are inside")
        _ = try desk.responderReport("resp-1", alarm: code, stage: .left, now: t + 40 * 60_000).get()
        #expect(desk.openVisits(desk.open[code]!.id).isEmpty)

        // A second visit told in one call: arrived and got in at once, then left.
        _ = try desk.command(.dispatch(code, responder: "resp-2"), by: op1, now: t + 41 * 60_000).get()
        let (_, atOnce) = try desk.command(.visit(code, responder: "resp-2", stage: .accessGained), by: op1, now: t + 71 * 60_000).get()
        guard case .updateVisit(let w)? = atOnce.first else { Issue.record("the visit was not updated"); return }
        #expect(w.enRouteAt == t + 71 * 60_000 && w.onSiteAt == t + 71 * 60_000 && w.accessGainedAt == t + 71 * 60_000)
        #expect(atOnce.contains { if case .audit(let e) = $0 { e.detail.hasSuffix("on arriving, 30 min after dispatch") } else { false } })

        // A third leaves without getting in: nobody answered the door.
        _ = try desk.command(.dispatch(code, responder: "resp-3"), by: op1, now: t + 80 * 60_000).get()
        _ = try desk.command(.visit(code, responder: "resp-2", stage: .left), by: op1, now: t + 81 * 60_000).get()
        _ = try desk.command(.visit(code, responder: "resp-3", stage: .onSite), by: op1, now: t + 90 * 60_000).get()
        let (_, gone) = try desk.command(.visit(code, responder: "resp-3", stage: .left), by: op1, now: t + 95 * 60_000).get()
        guard case .updateVisit(let x)? = gone.first else { Issue.record("the visit was not updated"); return }
        #expect(x.stage == .left && x.accessGainedAt == nil)
    }

    @Test func notOnSiteAt45MinutesTellsTheHolderAndSupervisorsAndAt60IsABreach() throws {
        var desk = AlarmDesk()
        let code = try claimedFall(&desk)
        let t = Self.t0 + 60_000
        _ = try desk.command(.dispatch(code, responder: "resp-1"), by: op1, now: t).get()
        #expect(desk.visits.values.first?.nextDue() == t + 45 * 60_000)
        #expect(desk.visitTick(now: t + 45 * 60_000 - 1).isEmpty)
        let late = desk.visitTick(now: t + 45 * 60_000)
        #expect(notices(late).map(\.to) == [[.holder, .supervisors]])
        #expect(notices(late).first?.why == "responder resp-1 not on site after 45 min")
        #expect(desk.visitTick(now: t + 50 * 60_000).isEmpty) // once
        let breach = desk.visitTick(now: t + 60 * 60_000)
        #expect(breach.contains { if case .audit(let e) = $0 { e.action == .targetBreach && e.detail == "responder resp-1 not on site within 1 h" } else { false } })
        #expect(notices(breach).first?.why == "responder resp-1 not on site after 1 h: target breached")
        #expect(desk.visitTick(now: t + 90 * 60_000).isEmpty)
    }

    @Test func aVisitCancelledNeedsAReasonAndARestartKeepsItsTimers() throws {
        var desk = AlarmDesk()
        let code = try claimedFall(&desk)
        let t = Self.t0 + 60_000
        _ = try desk.command(.dispatch(code, responder: "resp-1"), by: op1, now: t).get()
        _ = desk.visitTick(now: t + 45 * 60_000)
        // The daemon restarts: the desk is rebuilt from the stored alarm and visit.
        var rebuilt = AlarmDesk(open: Array(desk.open.values), nextID: 2, visits: Array(desk.visits.values), nextVisitID: 2)
        #expect(rebuilt.visits.values.first?.nextDue() == t + 60 * 60_000) // the 45-minute notice is not sent again
        #expect(refusal(rebuilt.command(.visit(code, responder: "resp-1", stage: .cancelled), by: op1, now: t + 46 * 60_000)) == "Say why the visit is cancelled.")
        _ = try rebuilt.command(.visit(code, responder: "resp-1", stage: .cancelled, reason: "Daughter arrived first"), by: op1, now: t + 46 * 60_000).get()
        #expect(rebuilt.visits.isEmpty)
        #expect(rebuilt.visitTick(now: t + 61 * 60_000).isEmpty)
        #expect(refusal(rebuilt.responderReport("resp-2", alarm: code, stage: .onSite, now: t)) == "resp-2 has no open visit to \(code).")
    }

    @Test func onlyTheHolderOrASupervisorDispatches() throws {
        var desk = AlarmDesk()
        let code = try claimedFall(&desk)
        #expect(refusal(desk.command(.dispatch(code, responder: "resp-1"), by: op2, now: Self.t0 + 30_000)) == "Claim \(code) before dispatching a responder to it.")
        _ = try desk.command(.dispatch(code, responder: "resp-1"), by: OperatorIdentity(id: "sup1", role: .supervisor), now: Self.t0 + 30_000).get()
    }
}
