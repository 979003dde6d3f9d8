import Testing
@testable import VigilCore

/// The desk on virtual time: every step is driven by `now`, no clock is read.
@Suite("Alarm desk: grouping, lifecycle, operators, escalation")
struct AlarmDeskTests {
    static let t0: EpochMillis = 1_795_314_847_000
    let op1 = OperatorIdentity(id: "op1", role: .operator)
    let op2 = OperatorIdentity(id: "op2", role: .operator)
    let sup = OperatorIdentity(id: "sup1", role: .supervisor)

    func event(_ type: EventType, device: String = "pend-1", id: String = "e") -> DeviceEvent {
        DeviceEvent(deviceID: device, eventID: id, type: type, deviceTime: "2026-11-22T02:14:07Z")
    }

    /// Raises a P1 fall for u1 at t0 and returns its code.
    func fall(_ desk: inout AlarmDesk, at: EpochMillis = t0) -> String {
        desk.ingest(event(.fall), user: "u1", decision: .raise(.emergency, reason: "fall"), now: at, year: 2026).alarm!.code
    }

    func refusal(_ r: Result<(Alarm, [DeskAction]), Refusal>) -> String? {
        if case .failure(let f) = r { f.message } else { nil }
    }

    func audits(_ actions: [DeskAction]) -> [String] {
        actions.compactMap { if case .audit(let e) = $0 { e.action.rawValue } else { nil } }
    }

    @Test func raiseOpensAnAlarmWithAnAuditRow() {
        var desk = AlarmDesk()
        let (code, actions) = desk.ingest(event(.fall), user: "u1", decision: .raise(.emergency, reason: "fall"), now: Self.t0, year: 2026).pair
        #expect(code == "A-2026-000001")
        guard case .open(let a)? = actions.first else { Issue.record("no open action"); return }
        #expect(a.priority == .emergency)
        #expect(a.state == .raised)
        #expect(audits(actions) == ["raised"])
        #expect(desk.queue.map(\.code) == ["A-2026-000001"])
    }

    @Test func repeatsOfTheSameConditionJoinTheOpenAlarm() {
        var desk = AlarmDesk()
        let code = fall(&desk)
        let (again, actions) = desk.ingest(event(.fall), user: "u1", decision: .raise(.emergency, reason: "fall"), now: Self.t0 + 5_000, year: 2026).pair
        #expect(again == code)
        #expect(actions == [.update(desk.open[code]!)])
        #expect(desk.open[code]?.events == 2)
        // A different condition for the same person is its own alarm; so is the same condition for someone else.
        #expect(desk.ingest(event(.smoke), user: "u1", decision: .raise(.emergency, reason: "smoke"), now: Self.t0, year: 2026).alarm?.code != code)
        #expect(desk.ingest(event(.fall, device: "f-2"), user: "u2", decision: .raise(.emergency, reason: "fall"), now: Self.t0, year: 2026).alarm?.code != code)
        #expect(desk.open.count == 3)
    }

    @Test func cancelBeforeClaimClosesTheAlarm() {
        var desk = AlarmDesk()
        let code = fall(&desk)
        let (target, actions) = desk.ingest(event(.cancel), user: "u1", decision: .cancel, now: Self.t0 + 10_000, year: 2026).pair
        #expect(target == code)
        #expect(desk.open[code] == nil)
        let closed = actions.compactMap { if case .update(let a) = $0 { a } else { nil } }.last
        #expect(closed?.status == .resolved)
        #expect(closed?.outcome == .cancelledAtDevice)
        #expect(closed?.closedAt == Self.t0 + 10_000)
    }

    /// A fresh press read ahead of the broker's backlog, then the backlog's older press and cancel: the
    /// cancel was sent before the fresh alarm's press, so it must not close it.
    @Test func aCancelSentBeforeTheAlarmWasRaisedLeavesItOpen() {
        var desk = AlarmDesk()
        let fresh = Self.t0 + 600_000
        let code = desk.ingest(event(.button, id: "new"), user: "u1", decision: .raise(.emergency, reason: "button"), now: fresh, year: 2026, sentAt: fresh).alarm!.code
        // The backlog's press joins it; the backlog's cancel of that press comes next.
        #expect(desk.ingest(event(.button, id: "old"), user: "u1", decision: .raise(.emergency, reason: "button"), now: fresh + 10, year: 2026, sentAt: Self.t0).alarm?.code == code)
        let late = desk.ingest(event(.cancel, id: "old-cancel"), user: "u1", decision: .cancel, now: fresh + 20, year: 2026, sentAt: Self.t0 + 30_000)
        #expect(late.alarm?.code == code)
        #expect(desk.open[code]?.state == .raised)
        #expect(audits(late.actions) == ["device-cancel"])
        guard case .audit(let row)? = late.actions.first else { Issue.record("no audit row"); return }
        #expect(row.detail.contains("sent before this alarm was raised"))
        // A cancel sent after the fresh press closes it as before.
        let now = desk.ingest(event(.cancel, id: "new-cancel"), user: "u1", decision: .cancel, now: fresh + 30, year: 2026, sentAt: fresh + 5_000)
        #expect(now.alarm?.code == code)
        #expect(desk.open[code] == nil)
    }

    @Test func cancelAfterClaimOnlyAttaches() throws {
        var desk = AlarmDesk()
        let code = fall(&desk)
        _ = try desk.command(.claim(code), by: op1, now: Self.t0 + 20_000).get()
        let (target, actions) = desk.ingest(event(.cancel), user: "u1", decision: .cancel, now: Self.t0 + 30_000, year: 2026).pair
        #expect(target == code)
        #expect(desk.open[code]?.status == .claimed)
        #expect(desk.open[code]?.events == 2)
        #expect(actions.first == .update(desk.open[code]!))
        #expect(audits(actions) == ["device-cancel"])
    }

    @Test func clearClosesTheSensorsUnclaimedAlarm() {
        var desk = AlarmDesk()
        let flood = desk.ingest(event(.flood, device: "fl"), user: "u1", decision: .raise(.urgent, reason: "flood"), now: Self.t0, year: 2026).alarm!.code
        _ = desk.ingest(event(.clear, device: "fl"), user: "u1", decision: .clear, now: Self.t0 + 1, year: 2026)
        #expect(desk.open[flood] == nil)
        // A clear from a device with nothing open is only recorded.
        #expect(desk.ingest(event(.clear, device: "fl"), user: "u1", decision: .clear, now: Self.t0 + 2, year: 2026).actions.isEmpty)
    }

    /// Fire and gas, and anything that escalated or breached: the device's word is not enough.
    @Test(arguments: [EventType.smoke, .heat, .co, .gas])
    func aFireOrGasAlarmStaysOpenForACallBack(type: EventType) {
        var desk = AlarmDesk()
        let code = desk.ingest(event(type, device: "det"), user: "u1", decision: .raise(.emergency, reason: type.rawValue), now: Self.t0, year: 2026).alarm!.code
        for (n, decision) in [TriageDecision.clear, .cancel].enumerated() {
            let actions = desk.ingest(event(decision == .clear ? .clear : .cancel, device: "det"), user: "u1", decision: decision, now: Self.t0 + 1 + EpochMillis(n), year: 2026).actions
            #expect(audits(actions) == [decision == .clear ? "device-clear" : "device-cancel"])
        }
        #expect(desk.open[code]?.status == .raised)
        #expect(desk.open[code]?.reason == type.rawValue + Alarm.callBackMark)
    }

    @Test func anEscalatedAlarmIsNotClosedByTheDevice() {
        var desk = AlarmDesk()
        let code = desk.ingest(event(.button, device: "pend"), user: "u1", decision: .raise(.emergency, reason: "button"), now: Self.t0, year: 2026).alarm!.code
        // Unanswered for ten minutes: the escalation chain has fired.
        _ = desk.tick(now: Self.t0 + 600_000)
        #expect((desk.open[code]?.escalation ?? 0) > 0)
        _ = desk.ingest(event(.cancel, device: "pend"), user: "u1", decision: .cancel, now: Self.t0 + 600_001, year: 2026)
        #expect(desk.open[code]?.status == .raised)
        #expect(desk.open[code]?.reason.hasSuffix(Alarm.callBackMark) == true)
    }

    @Test func claimIsExclusive() throws {
        var desk = AlarmDesk()
        let code = fall(&desk)
        // Two operators claim in the same instant: the one the desk sees first wins.
        let first = desk.command(.claim(code), by: op1, now: Self.t0 + 1_000)
        let second = desk.command(.claim(code), by: op2, now: Self.t0 + 1_000)
        #expect((try? first.get())?.0.claimedBy == "op1")
        #expect(refusal(second) == "\(code) is already claimed by op1.")
        #expect(desk.open[code]?.claimedBy == "op1")
        // Claiming what you already hold changes nothing.
        #expect(try desk.command(.claim(code), by: op1, now: Self.t0 + 2_000).get().1.isEmpty)
    }

    @Test func resolveNeedsAnOutcomeAndTheHolder() throws {
        var desk = AlarmDesk()
        let code = fall(&desk)
        #expect(refusal(desk.command(.resolve(code, outcome: .ambulance), by: op1, now: Self.t0)) == "Claim \(code) before resolving it.")
        _ = try desk.command(.claim(code), by: op1, now: Self.t0 + 1_000).get()
        guard case .failure(let noOutcome) = desk.command(.resolve(code, outcome: nil), by: op1, now: Self.t0 + 2_000) else {
            Issue.record("resolved without an outcome"); return
        }
        #expect(noOutcome.message.hasPrefix("Choose an outcome"))
        #expect(desk.open[code]?.status == .claimed)
        guard case .failure = desk.command(.resolve(code, outcome: .ambulance), by: op2, now: Self.t0 + 2_000) else {
            Issue.record("resolved by someone who does not hold it"); return
        }
        guard case .failure = desk.command(.resolve(code, outcome: .cancelledAtDevice), by: op1, now: Self.t0 + 2_000) else {
            Issue.record("an operator chose a system outcome"); return
        }
        let (resolved, actions) = try desk.command(.resolve(code, outcome: .ambulance), by: op1, now: Self.t0 + 3_000).get()
        #expect(resolved.status == .resolved)
        #expect(resolved.outcome == .ambulance)
        #expect(resolved.resolvedBy == "op1")
        #expect(audits(actions) == ["resolved"])
        #expect(desk.open.isEmpty)
        #expect(refusal(desk.command(.claim(code), by: op2, now: Self.t0 + 4_000)) == "\(code) is not an open alarm (it may have been resolved or cancelled at the device).")
    }

    @Test func releaseNoteAndReassign() throws {
        var desk = AlarmDesk()
        let code = fall(&desk)
        _ = try desk.command(.claim(code), by: op1, now: Self.t0 + 1_000).get()
        guard case .failure = desk.command(.release(code), by: op2, now: Self.t0 + 2_000) else { Issue.record("op2 released op1's alarm"); return }
        #expect(audits(try desk.command(.note(code, text: "  On the floor, conscious  "), by: op2, now: Self.t0 + 2_000).get().1) == ["note"])
        guard case .failure = desk.command(.note(code, text: "   "), by: op2, now: Self.t0 + 2_000) else { Issue.record("empty note"); return }
        guard case .failure = desk.command(.reassign(code, to: op2), by: op1, now: Self.t0 + 3_000) else { Issue.record("an operator reassigned"); return }
        let (reassigned, _) = try desk.command(.reassign(code, to: op2), by: sup, now: Self.t0 + 3_000).get()
        #expect(reassigned.claimedBy == "op2")
        #expect(reassigned.firstClaimedAt == Self.t0 + 1_000) // the answer time stays the first claim
        let (released, _) = try desk.command(.release(code), by: op2, now: Self.t0 + 4_000).get()
        #expect(released.state == .raised)
        #expect(released.claimedBy == nil)
    }

    // MARK: Escalation

    func escalationAudits(_ desk: inout AlarmDesk, at seconds: Int) -> [String] {
        audits(desk.tick(now: Self.t0 + EpochMillis(seconds) * 1000))
    }

    @Test func p1UnclaimedEscalatesAtExactlySixtyAndOneEightySeconds() {
        var desk = AlarmDesk()
        let code = fall(&desk)
        #expect(desk.nextDue == Self.t0 + 60_000)
        #expect(escalationAudits(&desk, at: 59).isEmpty)
        #expect(escalationAudits(&desk, at: 60) == ["escalated"])
        #expect(desk.open[code]?.escalation == 1)
        #expect(desk.open[code]?.breached == false)
        #expect(escalationAudits(&desk, at: 61).isEmpty) // never twice
        #expect(desk.nextDue == Self.t0 + 180_000)
        #expect(escalationAudits(&desk, at: 179).isEmpty)
        #expect(escalationAudits(&desk, at: 180) == ["escalated", "target-breach"])
        #expect(desk.open[code]?.escalation == 2)
        #expect(desk.open[code]?.breached == true)
        // Nobody has it: everyone is told again every minute until someone claims it.
        #expect(desk.nextDue == Self.t0 + 240_000)
        let again = desk.tick(now: Self.t0 + 240_000)
        #expect(audits(again) == ["escalated"]) // a repeat is no second breach
        #expect(notices(again).map(\.to) == [[.operators, .webhook("duty-manager")]])
        #expect(notices(again).first?.why == "P1 fall: nobody has answered for 4 min")
        #expect(desk.open[code]?.unclaimedRepeats == 1)
        #expect(desk.nextDue == Self.t0 + 300_000)
        _ = try? desk.command(.claim(code), by: op1, now: Self.t0 + 250_000).get()
        #expect(desk.nextDue == Self.t0 + 250_000 + 1_200_000) // only the holder's reminder is left
    }

    func notices(_ actions: [DeskAction]) -> [Notice] {
        actions.compactMap { if case .notify(let n) = $0 { n } else { nil } }
    }

    @Test func eachStepTellsItsPeople() {
        var desk = AlarmDesk()
        _ = fall(&desk)
        #expect(notices(desk.tick(now: Self.t0 + 60_000)).map(\.to) == [[.supervisors]])
        let breach = desk.tick(now: Self.t0 + 180_000)
        #expect(notices(breach).map(\.to) == [[.operators, .webhook("duty-manager")]])
        #expect(notices(breach).first?.why == "P1 fall: nobody has answered for 3 min")
    }

    @Test func aHeldClaimRemindsItsHolderEveryTenMinutesAndTellsTheSupervisorsAtForty() throws {
        var desk = AlarmDesk()
        let code = fall(&desk)
        _ = try desk.command(.claim(code), by: op1, now: Self.t0).get()
        #expect(notices(desk.tick(now: Self.t0 + 1_200_000)).map(\.to) == [[.holder]])
        #expect(notices(desk.tick(now: Self.t0 + 1_800_000)).map(\.to) == [[.holder]])
        let forty = notices(desk.tick(now: Self.t0 + 2_400_000))
        #expect(Set(forty.map(\.to)) == [[.holder], [.supervisors]])
        #expect(forty.first?.why == "P1 fall: claimed by op1 for 40 min, not resolved")
        #expect(desk.open[code]?.claimedRepeats == 2)
    }

    @Test func pressingAgainOnAClaimedAlarmTellsItsHolder() throws {
        var desk = AlarmDesk()
        let code = fall(&desk)
        #expect(notices(desk.ingest(event(.fall), user: "u1", decision: .raise(.emergency, reason: "fall"), now: Self.t0 + 1, year: 2026).actions).isEmpty)
        _ = try desk.command(.claim(code), by: op1, now: Self.t0 + 10_000).get()
        let again = desk.ingest(event(.fall), user: "u1", decision: .raise(.emergency, reason: "fall"), now: Self.t0 + 20_000, year: 2026)
        #expect(again.alarm?.code == code)
        #expect(notices(again.actions).map(\.to) == [[.holder]])
        #expect(notices(again.actions).first?.why == "fall again while claimed by op1")
    }

    @Test func aClaimWhoseHolderWentOfflineReturnsToTheQueueAndRestartsItsChain() throws {
        var desk = AlarmDesk()
        let code = fall(&desk)
        _ = try desk.command(.claim(code), by: op1, now: Self.t0 + 20_000).get()
        let expired = desk.expireClaim(code, awayMillis: 95_000, now: Self.t0 + 200_000)
        #expect(audits(expired) == ["released"])
        #expect(notices(expired).map(\.to) == [[.supervisors]])
        #expect(notices(expired).first?.why == "claim released: op1 offline for 1 min, back in the queue")
        #expect(desk.open[code]?.state == .raised)
        #expect(desk.open[code]?.unclaimedSince == Self.t0 + 200_000)
        // Its unclaimed chain runs again from the release: 60 s, then 180 s.
        #expect(desk.nextDue == Self.t0 + 260_000)
        #expect(desk.expireClaim(code, awayMillis: 1, now: Self.t0 + 201_000).isEmpty) // not claimed: nothing
    }

    @Test func claimedAlarmGetsAReminderAfterTwentyMinutes() throws {
        var desk = AlarmDesk()
        let code = fall(&desk)
        _ = try desk.command(.claim(code), by: op1, now: Self.t0 + 30_000).get()
        #expect(escalationAudits(&desk, at: 200).isEmpty) // claimed: no unclaimed steps
        #expect(desk.nextDue == Self.t0 + 30_000 + 1_200_000)
        #expect(escalationAudits(&desk, at: 30 + 1_199).isEmpty)
        #expect(escalationAudits(&desk, at: 30 + 1_200) == ["reminder"])
        #expect(escalationAudits(&desk, at: 30 + 1_300).isEmpty)
        // A new holder gets their own reminder, 20 minutes after their claim.
        _ = try desk.command(.reassign(code, to: op2), by: sup, now: Self.t0 + 1_400_000).get()
        #expect(desk.nextDue == Self.t0 + 1_400_000 + 1_200_000)
    }

    @Test func aReleasedAlarmStartsItsUnclaimedChainAgain() throws {
        var desk = AlarmDesk()
        let code = fall(&desk)
        _ = try desk.command(.claim(code), by: op1, now: Self.t0 + 10_000).get()
        _ = try desk.command(.release(code), by: op1, now: Self.t0 + 90_000).get()
        #expect(escalationAudits(&desk, at: 90).isEmpty)
        #expect(desk.nextDue == Self.t0 + 150_000)
        #expect(escalationAudits(&desk, at: 150) == ["escalated"])
        #expect(desk.open[code]?.escalation == 1)
    }

    @Test(arguments: [(Priority.urgent, 180, 1, true), (.urgent, 600, 2, false), (.technical, 900, 1, false)])
    func otherPrioritiesFollowTheirChains(priority: Priority, seconds: Int, level: Int, breach: Bool) {
        var desk = AlarmDesk()
        let code = desk.ingest(event(.flood), user: "u1", decision: .raise(priority, reason: "x"), now: Self.t0, year: 2026).alarm!.code
        _ = escalationAudits(&desk, at: seconds - 1)
        let before = desk.open[code]!.escalation
        #expect(before < level)
        let fired = escalationAudits(&desk, at: seconds)
        #expect(fired.first == "escalated")
        #expect(fired.contains("target-breach") == breach)
        #expect(desk.open[code]?.escalation == level)
    }

    @Test func restartResumesTheChainWithoutLosingOrRepeatingAStep() {
        var desk = AlarmDesk()
        let code = fall(&desk)
        _ = escalationAudits(&desk, at: 60) // level 1 fired before the "crash"
        let saved = desk.open[code]!
        // The daemon is down from 100 s to 400 s: rebuilt from the stored alarm.
        var rebuilt = AlarmDesk(open: [saved], nextID: 2)
        #expect(rebuilt.nextDue == Self.t0 + 180_000) // overdue: fires at once
        let fired = audits(rebuilt.tick(now: Self.t0 + 400_000))
        #expect(fired == ["escalated", "target-breach"]) // level 2 only; level 1 is not repeated
        #expect(rebuilt.open[code]?.escalation == 2)
        #expect(audits(rebuilt.tick(now: Self.t0 + 401_000)).isEmpty) // the repeats at 240, 300, 360 s are counted, not rung
        #expect(rebuilt.open[code]?.unclaimedRepeats == 3)
        #expect(rebuilt.nextDue == Self.t0 + 420_000)
        // New alarms after the restart continue the numbering.
        #expect(rebuilt.ingest(event(.smoke), user: "u1", decision: .raise(.emergency, reason: "smoke"), now: Self.t0 + 402_000, year: 2026).alarm?.code == "A-2026-000002")
    }

    @Test func customChainsFromConfig() {
        let policy = EscalationPolicy(chains: [.emergency: [EscalationStep(when: .unclaimed, afterSeconds: 5, level: 3, breach: true, actions: [.webhook("duty-manager")])]])
        var desk = AlarmDesk(escalation: policy)
        let code = fall(&desk)
        #expect(escalationAudits(&desk, at: 5) == ["escalated", "target-breach"])
        #expect(desk.open[code]?.escalation == 3)
    }

    // MARK: Heartbeat alarms

    @Test func noContactAlarmClosesWhenTheDeviceReturnsUnlessClaimed() throws {
        var desk = AlarmDesk()
        let (found, actions) = desk.noContact(device: "hub-1", user: "u1", silentSeconds: 1_020, now: Self.t0, year: 2026).pair
        let code = try #require(found)
        #expect(desk.open[code]?.priority == .technical)
        #expect(desk.open[code]?.isNoContact == true)
        #expect(audits(actions) == ["raised"])
        // Silence reported again while the alarm is open: no second alarm.
        #expect(desk.noContact(device: "hub-1", user: "u1", silentSeconds: 2_000, now: Self.t0 + 1, year: 2026).actions.isEmpty)
        _ = desk.contactRestored(device: "hub-1", now: Self.t0 + 60_000)
        #expect(desk.open[code] == nil)

        let second = try #require(desk.noContact(device: "hub-1", user: "u1", silentSeconds: 1_020, now: Self.t0 + 100_000, year: 2026).alarm?.code)
        _ = try desk.command(.claim(second), by: op1, now: Self.t0 + 101_000).get()
        let back = desk.contactRestored(device: "hub-1", now: Self.t0 + 102_000)
        #expect(back.alarm?.id == desk.open[second]!.id)
        #expect(back.actions == [.update(desk.open[second]!)])
        #expect(desk.open[second]?.status == .claimed)
    }
}

@Suite("Alarm desk: corrections found in review")
struct AlarmDeskReviewTests {
    static let t0: EpochMillis = 1_795_314_847_000

    func event(_ type: EventType, device: String) -> DeviceEvent {
        DeviceEvent(deviceID: device, eventID: "e", type: type, deviceTime: "2026-11-22T02:14:07Z")
    }

    @Test func aWorseReadingRaisesTheOpenAlarmsPriority() {
        var desk = AlarmDesk()
        let code = desk.ingest(event(.vitals, device: "th-1"), user: "u1", decision: .raise(.urgent, reason: "NEWS2 5"), now: Self.t0, year: 2026).alarm!.code
        let (same, actions) = desk.ingest(event(.vitals, device: "th-1"), user: "u1", decision: .raise(.emergency, reason: "NEWS2 8"), now: Self.t0 + 60_000, year: 2026).pair
        #expect(same == code)
        #expect(desk.open[code]?.priority == .emergency)
        #expect(desk.open[code]?.reason == "NEWS2 8")
        #expect(actions.contains { if case .audit(let e) = $0 { e.action == .priorityRaised } else { false } })
        // A milder repeat leaves it where it is.
        _ = desk.ingest(event(.vitals, device: "th-1"), user: "u1", decision: .raise(.urgent, reason: "NEWS2 5"), now: Self.t0 + 70_000, year: 2026)
        #expect(desk.open[code]?.priority == .emergency)
    }

    @Test func oneDetectorsClearDoesNotCloseAnothersAlarm() {
        var desk = AlarmDesk()
        let kitchen = desk.ingest(event(.flood, device: "flood-kitchen"), user: "u1", decision: .raise(.urgent, reason: "flood"), now: Self.t0, year: 2026).alarm!.code
        let bedroom = desk.ingest(event(.flood, device: "flood-bathroom"), user: "u1", decision: .raise(.urgent, reason: "flood"), now: Self.t0 + 1, year: 2026).alarm!.code
        #expect(kitchen != bedroom)
        _ = desk.ingest(event(.clear, device: "flood-kitchen"), user: "u1", decision: .clear, now: Self.t0 + 2, year: 2026)
        #expect(desk.open[kitchen] == nil)
        #expect(desk.open[bedroom] != nil)
    }

    @Test func noContactIsFoundByDeviceAfterARestart() {
        var desk = AlarmDesk()
        let a = desk.noContact(device: "hub-1", user: "u1", silentSeconds: 1_000, now: Self.t0, year: 2026).alarm?.code
        let b = desk.noContact(device: "door-1", user: "u1", silentSeconds: 1_000, now: Self.t0, year: 2026).alarm?.code
        var rebuilt = AlarmDesk(open: Array(desk.open.values), nextID: 3)
        #expect(rebuilt.noContact(device: "hub-1", user: "u1", silentSeconds: 2_000, now: Self.t0 + 1, year: 2026).alarm?.code == a)
        #expect(rebuilt.noContact(device: "door-1", user: "u1", silentSeconds: 2_000, now: Self.t0 + 1, year: 2026).alarm?.code == b)
        #expect(rebuilt.open.count == 2)
    }

    @Test func anAlarmAnsweredInTimeIsNoBreachWhenReleased() throws {
        var desk = AlarmDesk()
        let code = desk.ingest(event(.fall, device: "f-1"), user: "u1", decision: .raise(.emergency, reason: "fall"), now: Self.t0, year: 2026).alarm!.code
        let op = OperatorIdentity(id: "op1", role: .operator)
        _ = try desk.command(.claim(code), by: op, now: Self.t0 + 30_000).get()
        _ = try desk.command(.release(code), by: op, now: Self.t0 + 300_000).get()
        // Back in the queue, its chain runs again from the release.
        let actions = desk.tick(now: Self.t0 + 300_000 + 60_000) + desk.tick(now: Self.t0 + 300_000 + 180_000)
        let audits = actions.compactMap { if case .audit(let e) = $0 { e } else { nil } }
        #expect(audits.map(\.action) == [.escalated, .escalated])
        #expect(!audits.contains { $0.action == .targetBreach })
        #expect(audits.allSatisfy { $0.detail.contains("released after being answered") })
        #expect(desk.open[code]?.breached == false)
        #expect(desk.open[code]?.escalation == 2)
    }
}

extension DeskDecision {
    /// (the alarm's code, the actions), for tests that read both at once.
    var pair: (String?, [DeskAction]) { (alarm?.code, actions) }
}
