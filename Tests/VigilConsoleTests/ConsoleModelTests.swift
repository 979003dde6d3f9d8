import Testing
import VigilCore
import VigilText
import VigilWire
@testable import VigilConsole

@Suite("Console view model")
struct ConsoleModelTests {
    static let t0: EpochMillis = 1_795_314_847_000

    func entry(_ code: String, _ p: Priority, raised: EpochMillis, person: String = "Edith Clarke", claimedBy: String? = nil, escalation: Int = 0) -> QueueEntry {
        QueueEntry(code: code, user: "u-\(code)", person: person, device: "d", type: "fall", priority: p, state: claimedBy == nil ? "raised" : "claimed",
                   reason: "fall", raisedAt: raised, escalation: escalation, claimedBy: claimedBy)
    }

    func model(_ entries: [QueueEntry], supervisor: Bool = false) -> ConsoleModel {
        var m = ConsoleModel(operatorID: "op1", supervisor: supervisor)
        m.connected(now: Self.t0)
        for e in entries { _ = m.receive(code: e.code, entry: e, now: Self.t0) }
        return m
    }

    func sent(_ effects: [ConsoleEffect]) -> [ConsoleCommand] {
        effects.compactMap { if case .send(let c) = $0 { c } else { nil } }
    }

    @Test func queueIsOrderedByPriorityThenAge() {
        let m = model([entry("A-3", .technical, raised: Self.t0 - 900_000), entry("A-2", .emergency, raised: Self.t0 - 10_000), entry("A-1", .emergency, raised: Self.t0 - 50_000), entry("A-4", .urgent, raised: Self.t0)])
        #expect(m.visible.map(\.code) == ["A-1", "A-2", "A-4", "A-3"])
        #expect(m.selected == "A-1")
    }

    @Test func supervisorSeesEscalatedFirstWithinAPriorityButNeverAboveANewP1() {
        let queue = [entry("A-1", .emergency, raised: Self.t0 - 50_000),
                     entry("A-2", .technical, raised: Self.t0 - 900_000, escalation: 2),
                     entry("A-3", .urgent, raised: Self.t0 - 600_000, escalation: 1),
                     entry("A-4", .emergency, raised: Self.t0 - 10_000, escalation: 1),
                     entry("A-5", .emergency, raised: Self.t0 - 1_000)]
        var m = model(queue, supervisor: true)
        // Priority first, always; within P1 the escalated alarm rises above the older one.
        #expect(m.visible.map(\.code) == ["A-4", "A-1", "A-5", "A-3", "A-2"])
        _ = m.handle(.char("e"), now: Self.t0)
        #expect(m.visible.map(\.code) == ["A-1", "A-4", "A-5", "A-3", "A-2"])
        // An operator has no such view.
        var op = model(queue)
        _ = op.handle(.char("e"), now: Self.t0)
        #expect(op.visible.map(\.code) == ["A-1", "A-4", "A-5", "A-3", "A-2"])
    }

    @Test func arrowsAndVimKeysMoveTheSelection() {
        var m = model([entry("A-1", .emergency, raised: Self.t0 - 3), entry("A-2", .emergency, raised: Self.t0 - 2), entry("A-3", .emergency, raised: Self.t0 - 1)])
        _ = m.handle(.down, now: Self.t0)
        #expect(m.selected == "A-2")
        _ = m.handle(.char("j"), now: Self.t0)
        _ = m.handle(.char("j"), now: Self.t0) // stops at the end
        #expect(m.selected == "A-3")
        _ = m.handle(.char("k"), now: Self.t0)
        _ = m.handle(.up, now: Self.t0)
        _ = m.handle(.up, now: Self.t0)
        #expect(m.selected == "A-1")
    }

    @Test func enterClaimsAndAClaimedAlarmIsRefusedLocally() {
        var m = model([entry("A-1", .emergency, raised: Self.t0), entry("A-2", .emergency, raised: Self.t0 + 1, claimedBy: "op2")])
        let claim = sent(m.handle(.enter, now: Self.t0))
        #expect(claim.map(\.action) == [.claim])
        #expect(claim.first?.alarm == "A-1")
        _ = m.handle(.down, now: Self.t0)
        #expect(sent(m.handle(.char("c"), now: Self.t0)).isEmpty)
        #expect(m.message?.text == "A-2 is already claimed by op2.")
        #expect(m.message?.isError == true)
    }

    @Test func aLostClaimRaceShowsTheDaemonsReason() {
        var m = model([entry("A-1", .emergency, raised: Self.t0)])
        let claim = sent(m.handle(.char("c"), now: Self.t0))[0]
        m.receive(reply: ConsoleReply(request: claim.request, ok: false, alarm: "A-1", error: "A-1 is already claimed by op2."), now: Self.t0)
        #expect(m.message?.text == "Claim refused: A-1 is already claimed by op2.")
        m.expireMessage(now: Self.t0 + 9_000)
        #expect(m.message == nil)
    }

    @Test func resolveOpensTheOutcomePickerOnlyForTheHolder() {
        var m = model([entry("A-1", .emergency, raised: Self.t0)])
        _ = m.handle(.char("r"), now: Self.t0)
        #expect(m.mode == .queue)
        #expect(m.message?.text.hasPrefix("Claim A-1 before resolving") == true)
        _ = m.receive(code: "A-1", entry: entry("A-1", .emergency, raised: Self.t0, claimedBy: "op1"), now: Self.t0)
        _ = m.handle(.char("r"), now: Self.t0)
        #expect(m.mode == .outcomes(0))
        _ = m.handle(.down, now: Self.t0)
        _ = m.handle(.down, now: Self.t0)
        #expect(m.mode == .outcomes(2))
        _ = m.handle(.char("1"), now: Self.t0) // digits jump
        #expect(m.mode == .outcomes(0))
        _ = m.handle(.up, now: Self.t0) // wraps
        #expect(m.mode == .outcomes(Outcome.operatorChoices.count - 1))
        let resolve = sent(m.handle(.enter, now: Self.t0))
        #expect(resolve.first?.action == .resolve)
        #expect(resolve.first?.outcome == "fall-not-injured")
        #expect(m.mode == .queue)
    }

    /// Fifteen outcomes: letters pick the ones after 9, and at 80×24 with a full queue they stand in
    /// two columns so every one is on the screen.
    @Test func laterOutcomesHaveLetterKeysAndAllFitAt80By24() {
        let alarms = (1...12).map { entry("A-\($0)", .emergency, raised: Self.t0, claimedBy: $0 == 1 ? "op1" : nil) }
        var m = model(alarms)
        _ = m.handle(.char("r"), now: Self.t0)
        #expect(m.mode == .outcomes(0))
        _ = m.handle(.char("c"), now: Self.t0)
        #expect(Outcome.operatorChoices[11] == .ambulanceNotConveyed)
        #expect(m.mode == .outcomes(11))
        _ = m.handle(.char("z"), now: Self.t0) // not a key of the list
        #expect(m.mode == .outcomes(11))
        let text = Screen.render(m, width: 80, height: 24, now: Self.t0, clock: "03:00:00").map(Screen.stripped)
        #expect(text.count == 24)
        for (key, o) in zip(ConsoleModel.outcomeKeys, Outcome.operatorChoices) {
            #expect(text.contains { $0.contains(" \(key). \(o.title)") }, "\(o.rawValue) is not on the 80×24 screen")
        }
        #expect(text.contains { $0.contains("1. Resolved on the call") && $0.contains("9. Test call") }, "two columns side by side")
        #expect(sent(m.handle(.enter, now: Self.t0)).first?.outcome == "ambulance-not-conveyed")

        // With a hand-over offer and three rota gaps above the queue, the queue gives up rows instead.
        _ = m.handle(.char("r"), now: Self.t0)
        _ = m.receive(handOver: HandOverOffer(from: "op2", to: "op1", note: "end of shift", alarms: ["A-2", "A-3"], at: Self.t0))
        for area in 3...5 { _ = m.receive(cover: CoverNotice(area: area, from: Self.t0, until: Self.t0 + 3_600_000, at: Self.t0), area: area) }
        let crowded = Screen.render(m, width: 80, height: 24, now: Self.t0, clock: "03:00:00").map(Screen.stripped)
        #expect(crowded.count == 24)
        #expect(crowded.contains { $0.hasPrefix("HAND-OVER from op2") } && crowded.filter { $0.hasPrefix("ROTA GAP") }.count == 3)
        for (key, o) in zip(ConsoleModel.outcomeKeys, Outcome.operatorChoices) {
            #expect(crowded.contains { $0.contains(" \(key). \(o.title)") }, "\(o.rawValue) is cut off under the banners")
        }
        #expect(crowded.contains { $0.contains("A-1") }, "the alarm being resolved is still listed")
    }

    @Test func noteAndFilterTakeTyping() {
        var m = model([entry("A-1", .emergency, raised: Self.t0, person: "Edith Clarke"), entry("A-2", .urgent, raised: Self.t0, person: "Arthur Okafor")])
        _ = m.handle(.char("n"), now: Self.t0)
        for c in "Talking" { _ = m.handle(.char(c), now: Self.t0) }
        _ = m.handle(.backspace, now: Self.t0)
        let note = sent(m.handle(.enter, now: Self.t0))
        #expect(note.first?.text == "Talkin")
        #expect(note.first?.action == .note)
        _ = m.handle(.char("/"), now: Self.t0)
        for c in "arth" { _ = m.handle(.char(c), now: Self.t0) }
        _ = m.handle(.enter, now: Self.t0)
        #expect(m.visible.map(\.code) == ["A-2"])
        #expect(m.selected == "A-2")
        _ = m.handle(.escape, now: Self.t0)
        #expect(m.visible.count == 2)
    }

    @Test func quitAsksFirstWhenHoldingClaims() {
        var free = model([entry("A-1", .emergency, raised: Self.t0)])
        #expect(free.handle(.char("q"), now: Self.t0) == [.quit])
        var holding = model([entry("A-1", .emergency, raised: Self.t0, claimedBy: "op1")])
        #expect(holding.handle(.char("q"), now: Self.t0).isEmpty)
        #expect(holding.mode == .confirmQuit)
        #expect(holding.handle(.char("n"), now: Self.t0).isEmpty)
        #expect(holding.mode == .queue)
        _ = holding.handle(.ctrlC, now: Self.t0)
        #expect(holding.handle(.char("y"), now: Self.t0) == [.quit])
    }

    @Test func newP1RingsTheBellButTheInitialQueueDoesNot() {
        var m = ConsoleModel(operatorID: "op1")
        m.connected(now: Self.t0)
        #expect(!m.receive(code: "A-1", entry: entry("A-1", .emergency, raised: Self.t0), now: Self.t0 + 100).contains(.bell))
        #expect(m.receive(code: "A-2", entry: entry("A-2", .emergency, raised: Self.t0), now: Self.t0 + 5_000).contains(.bell))
        #expect(!m.receive(code: "A-2", entry: entry("A-2", .emergency, raised: Self.t0, claimedBy: "op2"), now: Self.t0 + 6_000).contains(.bell))
        #expect(!m.receive(code: "A-3", entry: entry("A-3", .urgent, raised: Self.t0), now: Self.t0 + 7_000).contains(.bell))
        var quiet = ConsoleModel(operatorID: "op1", bell: false)
        quiet.connected(now: Self.t0)
        #expect(!quiet.receive(code: "A-9", entry: entry("A-9", .emergency, raised: Self.t0), now: Self.t0 + 5_000).contains(.bell))
    }

    @Test func removedAlarmsLeaveAndTheSelectionMovesOn() {
        var m = model([entry("A-1", .emergency, raised: Self.t0), entry("A-2", .urgent, raised: Self.t0)])
        _ = m.receive(code: "A-1", entry: nil, now: Self.t0)
        #expect(m.visible.map(\.code) == ["A-2"])
        #expect(m.selected == "A-2")
    }

    /// The call list: a number picks that person from the detail pane's ordered responders.
    @Test func aCallPicksWhoFromTheOrderedList() {
        var m = model([entry("A-1", .emergency, raised: Self.t0), entry("A-2", .urgent, raised: Self.t0, claimedBy: "op1")])
        let ask = sent(m.handle(.down, now: Self.t0 + 1))
        let detail = AlarmDetail(person: "Edith Clarke", responders: [AlarmDetail.contactLine(position: 1, name: "Ann Clarke", kind: "keyholder", phone: "07700 900123"),
                                                                      AlarmDetail.contactLine(position: 2, name: "Mobile team", kind: "mobile-response", phone: "0113 496 0000")])
        m.receive(reply: ConsoleReply(request: ask[0].request, ok: true, alarm: "A-2", detail: detail), now: Self.t0 + 2)
        _ = m.handle(.char("t"), now: Self.t0 + 3)
        _ = m.handle(.char("2"), now: Self.t0 + 3)
        _ = m.handle(.enter, now: Self.t0 + 3)
        #expect(m.mode == .callResult(callee: "Mobile team (mobile-response)", 0))
        _ = m.handle(.escape, now: Self.t0 + 3)
        // A number not on the list is refused (not recorded as someone called "7"); the prompt stays.
        _ = m.handle(.char("t"), now: Self.t0 + 4)
        _ = m.handle(.char("7"), now: Self.t0 + 4)
        _ = m.handle(.enter, now: Self.t0 + 4)
        #expect(m.mode == .callee(""))
        #expect(m.message?.isError == true && m.message?.text.hasPrefix("There is no contact 7 in A-2's list") == true)
        _ = m.handle(.escape, now: Self.t0 + 4)
        // A name, or a phone number, is kept as typed.
        for typed in ["Dr Shah", "07700 900456", "07700900456"] {
            _ = m.handle(.char("t"), now: Self.t0 + 4)
            for c in typed { _ = m.handle(.char(c), now: Self.t0 + 4) }
            _ = m.handle(.enter, now: Self.t0 + 4)
            #expect(m.mode == .callResult(callee: typed, 0))
            _ = m.handle(.escape, now: Self.t0 + 4)
        }
    }

    @Test func selectingAnAlarmAsksForItsDetailsOnce() {
        var m = model([entry("A-1", .emergency, raised: Self.t0), entry("A-2", .urgent, raised: Self.t0)])
        let first = sent(m.handle(.down, now: Self.t0 + 1))
        #expect(first.map(\.action) == [.detail])
        #expect(first.first?.alarm == "A-2")
        _ = m.handle(.up, now: Self.t0 + 2)
        #expect(sent(m.handle(.down, now: Self.t0 + 3)).isEmpty) // asked already, not yet answered
        let detail = AlarmDetail(person: "Arthur Okafor", address: "2 Mill Lane")
        m.receive(reply: ConsoleReply(request: first[0].request, ok: true, alarm: "A-2", detail: detail), now: Self.t0 + 4)
        #expect(m.details["A-2"] == detail)
        #expect(m.message == nil) // a detail reply is not news
    }
}

@Suite("Console rendering, keys and widths")
struct ScreenTests {
    static let t0: EpochMillis = 1_795_314_847_000

    func model(_ entries: [QueueEntry]) -> ConsoleModel {
        var m = ConsoleModel(operatorID: "op1")
        m.connected(now: Self.t0)
        for e in entries { _ = m.receive(code: e.code, entry: e, now: Self.t0) }
        return m
    }

    @Test(arguments: [(80, 24), (132, 43), (40, 12)])
    func everyLineFitsTheTerminalExactly(width: Int, height: Int) {
        let m = model([QueueEntry(code: "A-2026-000001", user: "u1", person: "Zoë Nguyễn-李小龍 with a very long name indeed", device: "d", type: "fall", priority: .emergency, state: "raised", reason: "fall", raisedAt: Self.t0 - 200_000)])
        let lines = Screen.render(m, width: width, height: height, now: Self.t0, clock: "03:00:00")
        #expect(lines.count == height)
        for l in lines { #expect(DisplayWidth.of(Screen.stripped(l)) == width, "\(Screen.stripped(l))") }
    }

    /// A fall held at the broker for 12 minutes looks fresh by its age: the row and the detail pane
    /// say it was delivered late; an entry from an older daemon (no device time) shows nothing.
    @Test func anAlarmDeliveredLateSaysSoInTheRowAndTheDetailPane() {
        var late = QueueEntry(code: "A-1", user: "u1", person: "Edith", device: "d", type: "fall", priority: .emergency, state: "raised", reason: "fall", raisedAt: Self.t0 - 5_000)
        late.sentAt = late.raisedAt - 12 * 60_000
        let old = QueueEntry(code: "A-2", user: "u2", person: "Arthur", device: "d", type: "fall", priority: .emergency, state: "raised", reason: "fall", raisedAt: Self.t0 - 4_000)
        let text = Screen.render(model([late, old]), width: 120, height: 30, now: Self.t0, clock: "03:00:00").map(Screen.stripped)
        let rows = text.filter { $0.hasPrefix("P1") }
        #expect(rows.count == 2)
        #expect(rows.first { $0.contains("A-1") }?.contains("late fall") == true)
        #expect(rows.first { $0.contains("A-2") }?.contains("late") == false)
        #expect(text.contains { $0.hasPrefix("Delivered late: the device sent this \(Age.text(12 * 60_000)) before Vigil received it") })
    }

    /// The operator reads where the person is before calling the house; someone at home shows no line.
    @Test func aPersonInHospitalIsSaidInTheDetailPane() {
        let away = QueueEntry(code: "A-1", user: "u1", person: "Edith", device: "d", type: "button", priority: .emergency, state: "raised", reason: "button",
                              raisedAt: Self.t0 - 5_000, personStatus: "in hospital since 2026-12-01: Ward 7, RVI")
        let home = QueueEntry(code: "A-2", user: "u2", person: "Arthur", device: "d", type: "button", priority: .emergency, state: "raised", reason: "button", raisedAt: Self.t0 - 4_000)
        var m = model([away, home])
        #expect(m.selected == "A-1")   // the older of two P1s comes first
        let shown = Screen.render(m, width: 120, height: 30, now: Self.t0, clock: "03:00:00").map(Screen.stripped)
        #expect(shown.contains { $0.hasPrefix("Person: in hospital since 2026-12-01: Ward 7, RVI. They may not be at home") })
        _ = m.handle(.down, now: Self.t0)
        #expect(m.selected == "A-2")
        #expect(!Screen.render(m, width: 120, height: 30, now: Self.t0, clock: "03:00:00").map(Screen.stripped).contains { $0.hasPrefix("Person:") })
    }

    /// A notice rings even with the P1 bell off, shows as a banner until the operator presses s, and
    /// a supervisor sees the ones other operators have not acknowledged.
    @Test func aNoticeRingsShowsABannerAndIsAcknowledgedWithS() {
        let entry = QueueEntry(code: "A-1", user: "u1", person: "Edith", device: "d", type: "fall", priority: .emergency, state: "raised", reason: "fall", raisedAt: Self.t0 - 180_000)
        var m = ConsoleModel(operatorID: "op1", bell: false)
        m.connected(now: Self.t0)
        _ = m.receive(code: "A-1", entry: entry, now: Self.t0)
        let notice = ConsoleNotice(alarm: "A-1", to: "op1", person: "Edith", priority: .emergency, type: "fall", why: "P1 fall: nobody has answered for 3 min", at: Self.t0)
        #expect(m.receive(notice: notice, for: "op1", alarm: "A-1") == [.bell])
        #expect(m.receive(notice: notice, for: "op1", alarm: "A-1").isEmpty)  // the same notice again: no second ring
        var repeated = notice
        repeated.at += 60_000
        #expect(m.receive(notice: repeated, for: "op1", alarm: "A-1") == [.bell]) // a repeat rings again
        let text = Screen.render(m, width: 100, height: 24, now: Self.t0, clock: "03:00:00").map(Screen.stripped)
        #expect(text.contains { $0.hasPrefix("NOTICE A-1 Edith: P1 fall: nobody has answered for 3 min — s: seen") })
        guard case .send(let ack)? = m.handle(.char("s"), now: Self.t0).first else {
            Issue.record("s sent nothing")
            return
        }
        #expect(ack.action == .acknowledge)
        #expect(ack.alarm == "A-1")
        // The daemon clears it; the banner goes.
        _ = m.receive(notice: nil, for: "op1", alarm: "A-1")
        #expect(!Screen.render(m, width: 100, height: 24, now: Self.t0, clock: "03:00:00").map(Screen.stripped).contains { $0.hasPrefix("NOTICE") })
    }

    @Test func aSupervisorSeesNoticesOthersHaveNotAcknowledged() {
        let entry = QueueEntry(code: "A-1", user: "u1", person: "Edith", device: "d", type: "fall", priority: .emergency, state: "claimed", reason: "fall", raisedAt: Self.t0 - 1_200_000, claimedBy: "op2")
        var m = ConsoleModel(operatorID: "sup1", supervisor: true)
        m.connected(now: Self.t0)
        _ = m.receive(code: "A-1", entry: entry, now: Self.t0)
        let theirs = ConsoleNotice(alarm: "A-1", to: "op2", person: "Edith", priority: .emergency, type: "fall", why: "P1 fall: claimed by op2 for 20 min, not resolved", at: Self.t0 - 120_000)
        #expect(m.receive(notice: theirs, for: "op2", alarm: "A-1").isEmpty) // not this console's to ring
        let text = Screen.render(m, width: 100, height: 24, now: Self.t0, clock: "03:00:00").map(Screen.stripped)
        #expect(text.contains { $0.hasPrefix("Not yet seen: op2 A-1 (2m00s)") })
        #expect(!text.contains { $0.hasPrefix("NOTICE") })
        // A notice about an alarm no longer in the queue is not shown (its clearing may have been lost).
        _ = m.receive(code: "A-1", entry: nil, now: Self.t0)
        #expect(m.othersUnacknowledged.isEmpty)
    }

    /// From a claimed alarm: t records a call (who, then the result), d dispatches (Enter alone: the
    /// responder on call), v records the visit's progress, and a cancellation asks why.
    @Test func callsDispatchAndVisitsFromTheKeyboard() {
        var entry = QueueEntry(code: "A-1", user: "u1", person: "Edith", device: "d", type: "fall", priority: .emergency, state: "claimed", reason: "fall",
                               raisedAt: Self.t0 - 60_000, claimedBy: "op1")
        var m = model([entry])
        func sent(_ effects: [ConsoleEffect]) -> ConsoleCommand? {
            effects.compactMap { if case .send(let c) = $0 { c } else { nil } }.last
        }
        _ = m.handle(.char("t"), now: Self.t0)
        for c in "Daughter" { _ = m.handle(.char(c), now: Self.t0) }
        _ = m.handle(.enter, now: Self.t0)
        #expect(m.mode == .callResult(callee: "Daughter", 0))
        let call = sent(m.handle(.char("2"), now: Self.t0) + m.handle(.enter, now: Self.t0))
        #expect(call?.action == .call && call?.to == "Daughter" && call?.outcome == "no-answer")

        _ = m.handle(.char("d"), now: Self.t0)
        let dispatch = sent(m.handle(.enter, now: Self.t0))
        #expect(dispatch?.action == .dispatch && dispatch?.to == nil)

        #expect(m.handle(.char("v"), now: Self.t0).isEmpty)
        #expect(m.message?.text == "A-1 has no responder visit open (d dispatches one).")
        entry.visit = "resp-1 dispatched"
        _ = m.receive(code: "A-1", entry: entry, now: Self.t0)
        _ = m.handle(.char("v"), now: Self.t0)
        let onSite = sent(m.handle(.char("2"), now: Self.t0) + m.handle(.enter, now: Self.t0))
        #expect(onSite?.action == .visit && onSite?.to == "resp-1" && onSite?.outcome == "on-site")
        _ = m.handle(.char("v"), now: Self.t0)
        let inside = sent(m.handle(.char("3"), now: Self.t0) + m.handle(.enter, now: Self.t0))
        #expect(inside?.action == .visit && inside?.outcome == "access-gained")
        _ = m.handle(.char("v"), now: Self.t0)
        _ = m.handle(.char("5"), now: Self.t0)
        _ = m.handle(.enter, now: Self.t0)
        #expect(m.mode == .cancelReason(responder: "resp-1", ""))
        for c in "Family there" { _ = m.handle(.char(c), now: Self.t0) }
        let cancel = sent(m.handle(.enter, now: Self.t0))
        #expect(cancel?.outcome == "cancelled" && cancel?.text == "Family there")
        let text = Screen.render(m, width: 120, height: 30, now: Self.t0, clock: "03:00:00").map(Screen.stripped)
        #expect(text.contains { $0.hasPrefix("Responder: resp-1 dispatched") })
    }

    @Test func priorityAndAgeAreShownInTextNotOnlyColour() {
        let m = model([
            QueueEntry(code: "A-1", user: "u1", person: "Edith", device: "d", type: "fall", priority: .emergency, state: "raised", reason: "", raisedAt: Self.t0 - 200_000, escalation: 2),
            QueueEntry(code: "A-2", user: "u2", person: "Arthur", device: "d", type: "flood", priority: .urgent, state: "raised", reason: "", raisedAt: Self.t0 - 90_000),
            QueueEntry(code: "A-3", user: "u3", person: "Maureen", device: "d", type: "heartbeat", priority: .technical, state: "claimed", reason: "", raisedAt: Self.t0 - 30_000, claimedBy: "op1"),
        ])
        let text = Screen.render(m, width: 100, height: 30, now: Self.t0, clock: "03:00:00").map(Screen.stripped)
        let rows = text.filter { $0.hasPrefix("P") && $0.contains("A-") }
        #expect(rows.count == 3)
        #expect(rows[0].hasPrefix("P1!!! 3m20s!"))   // past 180 s
        #expect(rows[0].contains("L2"))
        #expect(rows[1].hasPrefix("P2!!  1m30s*"))   // past 60 s
        #expect(rows[2].hasPrefix("P3!   30s"))
        #expect(rows[2].contains("no contact"))
        #expect(rows[2].contains("you"))
        #expect(text[0].contains("connected"))
        #expect(text[0].contains("op1"))
    }

    @Test func keyDecoding() {
        var d = KeyDecoder()
        #expect(d.feed([0x1B, 0x5B, 0x41, 0x1B, 0x5B, 0x42, 0x6A, 0x0D, 0x03]) == [.up, .down, .char("j"), .enter, .ctrlC])
        #expect(d.feed([0x1B, 0x5B]) == []) // an arrow split across reads
        #expect(d.feed([0x43]) == [.right])
        #expect(d.feed([0x1B, 0x5B, 0x35, 0x7E]) == [.pageUp])
        #expect(d.feed(Array("é".utf8)) == [.char("é")])
        #expect(d.feed([0x1B]) == [])
        #expect(d.flushEscape() == [.escape])
        #expect(d.feed([0x7F]) == [.backspace])
    }

    @Test func bufferRedrawsOnlyChangedLines() {
        var b = ScreenBuffer()
        let first = b.diff(["a", "b", "c"], width: 10, height: 3)
        #expect(first.contains("\u{1B}[2J"))
        let second = b.diff(["a", "B", "c"], width: 10, height: 3)
        #expect(second == "\u{1B}[2;1HB\u{1B}[0m")
        #expect(b.diff(["a", "B", "c"], width: 10, height: 3).isEmpty)
        #expect(b.diff(["a", "B", "c"], width: 12, height: 3).contains("\u{1B}[2J")) // resize: full redraw
    }

    @Test func queueMessagesDecode() throws {
        let a = Alarm(id: 1, code: "A-2026-000001", user: "u1", device: "pend-1", type: .fall, priority: .emergency, reason: "fall", state: .claimed(by: "op2", at: Self.t0 + 10_000), raisedAt: Self.t0, escalation: 1)
        let e = try #require(WireDecoder().decode(QueueEntry.self, from: WireEncoder().encode(QueueEntry(a, person: "Zoë Nguyễn"))))
        #expect(e.code == "A-2026-000001")
        #expect(e.person == "Zoë Nguyễn")
        #expect(e.raisedAt == Self.t0)
        #expect(e.escalation == 1)
        #expect(e.claimedBy == "op2")
        #expect(e.claimedAt == Self.t0 + 10_000)
        let offset = RFC3339.millis("2026-11-22T02:34:07.123+01:00")
        #expect(offset == Int64(1_795_311_247_123))
    }
}

/// "CENTRE OFFLINE": the console's judgement of whether the daemon is alive, on virtual time (every
/// `now` is given; nothing here reads a clock or sleeps).
@Suite("Console: is the centre alive")
struct CentreLivenessTests {
    static let t0: EpochMillis = 1_795_314_847_000

    func status(online: Bool = true, at: EpochMillis) -> DaemonStatus {
        DaemonStatus(online: online, node: "arc-1", at: at, started: Self.t0 - 60_000, accepted: 0, duplicates: 0, rejected: 0, alarmsRaised: 0, rejectedByReason: [:])
    }

    func connected() -> ConsoleModel {
        var m = ConsoleModel(operatorID: "op1", bell: false)
        m.connected(now: Self.t0)
        return m
    }

    func banner(_ m: ConsoleModel, now: EpochMillis) -> Bool {
        Screen.render(m, width: 80, height: 24, now: now, clock: "02:14:07").map(Screen.stripped).contains { $0.contains("CENTRE OFFLINE — alarms are not being received") }
    }

    @Test func aLiveDaemonRefreshingItsStatusKeepsTheBannerDown() {
        var m = connected()
        var effects: [ConsoleEffect] = []
        for s in stride(from: Self.t0, through: Self.t0 + 120_000, by: 5_000) {
            effects += m.receive(status: status(at: s), retained: false, now: s)
            effects += m.tick(now: s + 4_999)
        }
        #expect(effects.isEmpty)
        #expect(!m.centreOffline)
        #expect(!banner(m, now: Self.t0 + 125_000))
    }

    @Test func theLastWillRaisesTheBannerAtOnceAndRingsOnceEvenWithTheP1BellOff() {
        var m = connected()
        _ = m.receive(status: status(at: Self.t0), retained: true, now: Self.t0)
        #expect(m.receive(status: status(online: false, at: Self.t0), retained: false, now: Self.t0 + 1_000) == [.bell])
        #expect(m.centreOffline)
        #expect(banner(m, now: Self.t0 + 1_000))
        #expect(m.tick(now: Self.t0 + 2_000).isEmpty, "the bell rings once, on the way in")
        // The daemon is back: the banner clears on its first status, no bell.
        #expect(m.receive(status: status(at: Self.t0 + 30_000), retained: false, now: Self.t0 + 30_000).isEmpty)
        #expect(!m.centreOffline)
        #expect(!banner(m, now: Self.t0 + 30_000))
    }

    @Test func silenceFor15SecondsRaisesTheBanner() {
        var m = connected()
        _ = m.receive(status: status(at: Self.t0), retained: false, now: Self.t0)
        #expect(m.tick(now: Self.t0 + 15_000).isEmpty, "15 s is the limit, not yet past it")
        #expect(m.tick(now: Self.t0 + 15_001) == [.bell])
        #expect(banner(m, now: Self.t0 + 15_001))
    }

    @Test func aRetainedStatusIsAsOldAsTheDaemonSays() {
        // A console that connects to find a status written 20 s ago by a daemon that is stuck (its
        // connection still open, so no will yet) shows the banner straight away.
        var m = connected()
        #expect(m.receive(status: status(at: Self.t0 - 20_000), retained: true, now: Self.t0) == [.bell])
        // A daemon clock ahead of ours does not buy a retained status more life than a live one.
        var n = connected()
        _ = n.receive(status: status(at: Self.t0 + 60_000), retained: true, now: Self.t0)
        #expect(n.tick(now: Self.t0 + 15_001) == [.bell])
    }

    @Test func noStatusAtAllWithin15SecondsOfConnectingIsOffline() {
        var m = ConsoleModel(operatorID: "op1")
        #expect(m.tick(now: Self.t0 + 60_000).isEmpty, "not connected yet: nothing to judge by")
        m.connected(now: Self.t0 + 60_000)
        #expect(m.tick(now: Self.t0 + 70_000).isEmpty)
        #expect(m.tick(now: Self.t0 + 75_001) == [.bell])
        #expect(m.daemonOffline(now: Self.t0 + 75_001))
    }

    @Test func theBannerFitsThe80By24ScreenAndNamesTheHost() {
        var m = connected()
        _ = m.receive(status: status(online: false, at: Self.t0), retained: true, now: Self.t0)
        let lines = Screen.render(m, width: 80, height: 24, now: Self.t0, clock: "02:14:07")
        #expect(lines.count == 24)
        #expect(lines.allSatisfy { DisplayWidth.of(Screen.stripped($0)) == 80 })
        #expect(Screen.stripped(lines[1]).hasPrefix("CENTRE OFFLINE — alarms are not being received (vigil serve on arc-1)"))
        #expect(lines[1].hasPrefix(Screen.onRed))
    }
}

@Suite("Console: gaps in the responder rota")
struct ConsoleCoverTests {
    static let t0: EpochMillis = 1_795_314_847_000

    @Test func aGapRingsOnceStaysOnScreenWhileItLastsAndLeavesWhenFilled() {
        var m = ConsoleModel(operatorID: "sup1", supervisor: true)
        let gap = CoverNotice(area: 3, from: Self.t0 + 2 * 3_600_000, until: Self.t0 + 5 * 3_600_000, at: Self.t0)
        #expect(m.receive(cover: gap, area: 3) == [.bell])
        // The same gap redelivered (a reconnect) does not ring again.
        #expect(m.receive(cover: gap, area: 3).isEmpty)
        let shown = Screen.render(m, width: 120, height: 30, now: Self.t0, clock: "03:00:00").map(Screen.stripped)
        let line = shown.first { $0.contains("ROTA GAP area 3") }
        #expect(line?.contains("nobody on call in \(Age.text(2 * 3_600_000)), for \(Age.text(3 * 3_600_000))") == true, "\(line ?? "no line")")
        #expect(m.receive(cover: nil, area: 3).isEmpty)
        #expect(!Screen.render(m, width: 120, height: 30, now: Self.t0, clock: "03:00:00").map(Screen.stripped).contains { $0.contains("ROTA GAP") })
    }
}
