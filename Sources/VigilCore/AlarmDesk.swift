/// What the owner of the desk must do after a decision: persist and audit. (Publishing the queue
/// follows from the alarms that changed.)
public enum DeskAction: Sendable, Equatable {
    /// A new alarm: insert it.
    case open(Alarm)
    /// Persist the alarm's new state.
    case update(Alarm)
    case audit(AuditEntry)
    /// Tell people (and call webhooks) about the alarm: the owner resolves who, delivers, and audits
    /// each delivery.
    case notify(Notice)
    /// A responder dispatched: insert the visit.
    case openVisit(Visit)
    /// Persist the visit's new stage or timers.
    case updateVisit(Visit)
    /// A hand-over offered to its receiver, replacing any offer they had: keep it until taken.
    case offerHandOver(HandOver)
    /// The offer to this receiver is taken or withdrawn.
    case withdrawHandOver(to: String)
}

/// Why people are told about an alarm, and who: an escalation step fired, the person pressed again
/// on an alarm someone holds, a claim came back because its holder went offline.
public struct Notice: Sendable, Equatable {
    public var alarm: Alarm
    public var to: [StepAction]
    /// In the operator's words: "P1 nobody has answered for 3 min".
    public var why: String
    public var at: EpochMillis

    public init(alarm: Alarm, to: [StepAction], why: String, at: EpochMillis) {
        self.alarm = alarm
        self.to = to
        self.why = why
        self.at = at
    }

    /// "45 s", "3 min", "1 h 20 min": how long, as a notice says it.
    public static func span(_ millis: EpochMillis) -> String {
        let s = max(0, millis) / 1000
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min" }
        return s % 3600 < 60 ? "\(s / 3600) h" : "\(s / 3600) h \((s % 3600) / 60) min"
    }
}

/// A decision of the desk: the alarm the event or finding belongs to (the owner links the stored
/// event to it and names it in the ack), and what to persist.
public struct DeskDecision: Sendable, Equatable {
    public var alarm: Alarm?
    public var actions: [DeskAction]

    public init(alarm: Alarm? = nil, actions: [DeskAction] = []) {
        self.alarm = alarm
        self.actions = actions
    }

    public static let none = DeskDecision()
}

/// A refused operator command, in a sentence for the operator.
public struct Refusal: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// What an operator asks of the desk.
public enum OperatorCommand: Sendable, Equatable {
    case claim(String)
    case release(String)
    case note(String, text: String)
    case reassign(String, to: OperatorIdentity)
    /// `outcome` nil: the operator has not chosen one yet (refused with the list of choices).
    case resolve(String, outcome: Outcome?, note: String? = nil)
    /// Send a mobile responder (a registered one: the engine checks the id).
    case dispatch(String, responder: String)
    /// The responder's progress, recorded by the operator from a phone call or sent by the handset.
    case visit(String, responder: String, stage: Visit.Stage, reason: String? = nil)

    public var alarmCode: String {
        switch self {
        case .claim(let c), .release(let c), .note(let c, _), .reassign(let c, _), .resolve(let c, _, _), .dispatch(let c, _), .visit(let c, _, _, _): c
        }
    }
}

/// The open alarms and every rule about them: grouping, cancel and clear, operator actions and
/// escalation. A value type that returns actions; its owner (the engine) performs them. Time is an
/// input (`now`), so tests drive it through hours of escalation in microseconds.
public struct AlarmDesk: Sendable {
    public internal(set) var open: [String: Alarm] = [:]
    private var byCondition: [Condition: String] = [:]
    private var nextID: Int64
    public let escalation: EscalationPolicy
    /// Responder visits not yet closed, by id; each belongs to an open alarm.
    public private(set) var visits: [Int64: Visit] = [:]
    /// Claims offered by an operator going off shift, by the operator asked to take them.
    public internal(set) var handOvers: [String: HandOver] = [:]
    private var nextVisitID: Int64
    /// The visit timers (45 and 60 minutes by default; shorter in a test centre's config).
    public let visitLateMillis: EpochMillis
    public let visitBreachMillis: EpochMillis

    /// The same condition: one person, one device, one kind of alarm. (Two smoke detectors in one home
    /// are two alarms, so that one detector's clear never closes the other's.)
    struct Condition: Hashable {
        var user: String
        var device: String
        var type: EventType
    }

    public static let maxNoteLength = 2_000

    public init(open alarms: [Alarm] = [], nextID: Int64 = 1, escalation: EscalationPolicy = .default, visits: [Visit] = [], nextVisitID: Int64 = 1,
                visitLateMillis: EpochMillis = Visit.lateMillis, visitBreachMillis: EpochMillis = Visit.breachMillis, handOvers: [HandOver] = []) {
        self.nextID = max(nextID, (alarms.map(\.id).max() ?? 0) + 1)
        self.escalation = escalation
        self.nextVisitID = max(nextVisitID, (visits.map(\.id).max() ?? 0) + 1)
        self.visitLateMillis = visitLateMillis
        self.visitBreachMillis = visitBreachMillis
        for v in visits where v.isOpen { self.visits[v.id] = v }
        for h in handOvers { self.handOvers[h.to] = h }
        for a in alarms where a.isOpen {
            open[a.code] = a
            byCondition[Condition(user: a.user, device: a.device, type: a.type)] = a.code
        }
    }

    /// Open alarms, priority first then oldest first: the queue order.
    public var queue: [Alarm] {
        open.values.sorted(by: Alarm.inQueueOrder)
    }

    // MARK: Device events

    /// Applies triage's decision for an event from a registered device's person.
    public mutating func ingest(_ event: DeviceEvent, user: String, decision: TriageDecision, now: EpochMillis, year: Int, sentAt: EpochMillis? = nil) -> DeskDecision {
        func audit(_ a: Alarm, _ action: AuditAction, _ detail: String) -> DeskAction {
            .audit(AuditEntry(at: now, alarmID: a.id, actor: .system, action: action, detail: detail))
        }
        switch decision {
        case .record:
            return .none
        case .raise(let priority, let reason):
            // A repeat of the same condition for the same person joins the open alarm.
            if let code = byCondition[Condition(user: user, device: event.deviceID, type: event.type)], var a = open[code] {
                a.events += 1
                var actions: [DeskAction] = []
                if priority < a.priority {
                    // A worse reading (NEWS2 5 then 8; an exit by day then at night) raises the alarm and
                    // starts the new priority's chain.
                    actions.append(audit(a, .priorityRaised, "P\(a.priority.rawValue) → P\(priority.rawValue): \(reason)"))
                    a.priority = priority
                    a.reason = reason
                    a.stepsFired = 0
                }
                open[code] = a
                if case .claimed(let holder, _) = a.state {
                    // The person pressed again while someone holds it: the holder must hear of it now.
                    actions.append(.notify(Notice(alarm: a, to: [.holder], why: "\(event.type.rawValue) again while claimed by \(holder)", at: now)))
                }
                return DeskDecision(alarm: a, actions: actions + [.update(a)])
            }
            let a = raise(user: user, device: event.deviceID, type: event.type, priority: priority, reason: reason, now: now, year: year, sentAt: sentAt)
            return DeskDecision(alarm: a, actions: [.open(a), audit(a, .raised, "P\(priority.rawValue) \(reason)")])
        case .cancel, .clear:
            let outcome: Outcome = decision == .cancel ? .cancelledAtDevice : .clearedAtDevice
            // A multi-sensor names what went back to normal ("smoke"): only that alarm is cleared.
            let named = decision == .clear ? event.detail.state.flatMap(EventType.init(rawValue:)) : nil
            let candidates = open.values.filter { $0.device == event.deviceID && (named == nil || $0.type == named) }.sorted { $0.id < $1.id }
            // A cancel the device sent before an alarm's first event belongs to an earlier press: a
            // copy queued at the broker can arrive after a fresh alarm read ahead of that queue (the
            // fresh lane, docs/design.md). It never closes the newer alarm; the alarm's trail says so.
            let mine = candidates.filter { !AlarmDesk.sent(sentAt, before: $0) }
            if mine.isEmpty, let newer = candidates.last {
                let action: AuditAction = decision == .cancel ? .deviceCancel : .deviceClear
                return DeskDecision(alarm: newer, actions: [audit(newer, action, "kept open: \(outcome.rawValue) sent before this alarm was raised arrived late")])
            }
            // Kept with a claimed alarm first, so the operator handling it sees the cancel.
            guard var target = mine.first(where: { $0.status == .claimed }) ?? mine.first else { return .none }
            var actions: [DeskAction] = []
            for var a in mine {
                if a.id == target.id { a.events += 1 }
                switch a.state {
                case .raised where a.needsConfirmationByPhone:
                    // A fire or gas alarm, or one that already escalated or breached: a person must
                    // confirm it was false. It stays in the queue, marked for a call back.
                    if !a.reason.hasSuffix(Alarm.callBackMark) { a.reason += Alarm.callBackMark }
                    open[a.code] = a
                    actions += [.update(a), audit(a, decision == .cancel ? .deviceCancel : .deviceClear, "kept open: \(outcome.rawValue), call back to confirm")]
                case .raised:
                    // Nobody has picked it up: the device's word closes it.
                    close(&a, outcome: outcome, by: nil, now: now)
                    actions += [.update(a), audit(a, .closed, outcome.rawValue)]
                case .claimed(let holder, _):
                    open[a.code] = a
                    if a.id == target.id {
                        actions += [.update(a), audit(a, decision == .cancel ? .deviceCancel : .deviceClear, "attached: the alarm is claimed by \(holder)")]
                    }
                case .resolved:
                    break
                }
                if a.id == target.id { target = a }
            }
            return DeskDecision(alarm: target, actions: actions)
        }
    }

    /// Whether an event the device timed `sentAt` was sent before the alarm's first event, by the
    /// same device's clock. Unknown either way: not before.
    static func sent(_ sentAt: EpochMillis?, before alarm: Alarm) -> Bool {
        guard let sentAt, let raised = alarm.sentAt else { return false }
        return sentAt < raised
    }

    /// Heartbeat supervision lost a device: a P3 "no contact" alarm (type `heartbeat`).
    public mutating func noContact(device: String, user: String, silentSeconds: Int, now: EpochMillis, year: Int) -> DeskDecision {
        if let a = noContactAlarm(device: device) { return DeskDecision(alarm: a) }
        let a = raise(user: user, device: device, type: .heartbeat, priority: .technical, reason: "no contact for \(silentSeconds / 60) min", now: now, year: year)
        return DeskDecision(alarm: a, actions: [.open(a), .audit(AuditEntry(at: now, alarmID: a.id, actor: .system, action: .raised, detail: "P3 no contact from \(device)"))])
    }

    /// The open no-contact alarm of a device, if it has one.
    public func noContactAlarm(device: String) -> Alarm? {
        open.values.first { $0.device == device && $0.isNoContact }
    }

    /// A supervised device was heard from again: its no-contact alarm closes if nobody holds it.
    public mutating func contactRestored(device: String, now: EpochMillis) -> DeskDecision {
        guard var a = noContactAlarm(device: device) else { return .none }
        a.events += 1
        guard a.status == .raised else {
            open[a.code] = a
            return DeskDecision(alarm: a, actions: [.update(a)])
        }
        close(&a, outcome: .contactRestored, by: nil, now: now)
        return DeskDecision(alarm: a, actions: [.update(a), .audit(AuditEntry(at: now, alarmID: a.id, actor: .system, action: .closed, detail: Outcome.contactRestored.rawValue))])
    }

    private mutating func raise(user: String, device: String, type: EventType, priority: Priority, reason: String, now: EpochMillis, year: Int, sentAt: EpochMillis? = nil) -> Alarm {
        let id = nextID
        nextID += 1
        let a = Alarm(id: id, code: Alarm.code(id: id, year: year), user: user, device: device, type: type, priority: priority, reason: reason, raisedAt: now, sentAt: sentAt)
        open[a.code] = a
        byCondition[Condition(user: user, device: device, type: type)] = a.code
        return a
    }

    private mutating func close(_ a: inout Alarm, outcome: Outcome, by: String?, now: EpochMillis) {
        a.state = .resolved(Alarm.Resolution(outcome: outcome, by: by, at: now))
        open[a.code] = nil
        let condition = Condition(user: a.user, device: a.device, type: a.type)
        if byCondition[condition] == a.code { byCondition[condition] = nil }
    }

    // MARK: Operators

    /// Applies an operator's command; every rule about who may do what is here. Refusals change nothing.
    public mutating func command(_ c: OperatorCommand, by op: OperatorIdentity, now: EpochMillis) -> Result<(Alarm, [DeskAction]), Refusal> {
        guard var a = open[c.alarmCode] else {
            return .failure(Refusal("\(c.alarmCode) is not an open alarm (it may have been resolved or cancelled at the device)."))
        }
        func audit(_ action: AuditAction, _ detail: String = "") -> DeskAction {
            .audit(AuditEntry(at: now, alarmID: a.id, actor: .operator(op.id), action: action, detail: detail))
        }
        func note(_ text: String) -> Result<String, Refusal> {
            let t = text.trimmingWhitespace()
            guard !t.isEmpty else { return .failure(Refusal("A note needs some text.")) }
            guard t.count <= Self.maxNoteLength else { return .failure(Refusal("A note is limited to \(Self.maxNoteLength) characters.")) }
            return .success(t)
        }
        switch c {
        case .claim:
            if case .claimed(let holder, _) = a.state {
                if holder == op.id { return .success((a, [])) }
                return .failure(Refusal("\(a.code) is already claimed by \(holder)."))
            }
            take(&a, for: op.id, now: now)
            return .success((a, [.update(a), audit(.claimed)]))
        case .release:
            guard case .claimed(let holder, _) = a.state else { return .failure(Refusal("\(a.code) is not claimed.")) }
            guard holder == op.id || op.role == .supervisor else {
                return .failure(Refusal("\(a.code) is claimed by \(holder); only they or a supervisor can release it."))
            }
            putBack(&a, now: now)
            return .success((a, [.update(a), audit(.released, holder == op.id ? "" : "from \(holder)")]))
        case .note(_, let text):
            switch note(text) {
            case .failure(let r): return .failure(r)
            case .success(let t): return .success((a, [audit(.note, t)]))
            }
        case .reassign(_, let target):
            guard op.role == .supervisor else { return .failure(Refusal("Only a supervisor can reassign an alarm.")) }
            let from = a.claimedBy
            take(&a, for: target.id, now: now)
            return .success((a, [.update(a), audit(.reassigned, "\(from ?? "unclaimed") → \(target.id)")]))
        case .resolve(_, let outcome, let text):
            guard let outcome else {
                return .failure(Refusal("Choose an outcome to resolve \(a.code): \(Outcome.choiceList)."))
            }
            guard Outcome.operatorChoices.contains(outcome) else {
                return .failure(Refusal("\(outcome.rawValue) is recorded by Vigil itself; choose one of: \(Outcome.choiceList)."))
            }
            guard case .claimed(let holder, _) = a.state else { return .failure(Refusal("Claim \(a.code) before resolving it.")) }
            guard holder == op.id || op.role == .supervisor else {
                return .failure(Refusal("\(a.code) is claimed by \(holder); only they or a supervisor can resolve it."))
            }
            if let open = openVisits(a.id).first {
                return .failure(Refusal("\(a.code) has a responder visit open (\(open.responder), \(open.stage.rawValue)): record that they have left, or cancel the visit with a reason, first."))
            }
            // A closing note travels with the resolution; a blank one is simply left out.
            var noteAction: [DeskAction] = []
            if let text, !text.allSatisfy(\.isWhitespace) {
                noteAction = [audit(.note, String(text.trimmingWhitespace().prefix(Self.maxNoteLength)))]
            }
            close(&a, outcome: outcome, by: op.id, now: now)
            return .success((a, [.update(a), audit(.resolved, outcome.rawValue)] + noteAction))
        case .dispatch(_, let responder):
            guard case .claimed(let holder, _) = a.state, holder == op.id || op.role == .supervisor else {
                return .failure(Refusal("Claim \(a.code) before dispatching a responder to it."))
            }
            if openVisits(a.id).contains(where: { $0.responder == responder }) {
                return .failure(Refusal("\(responder) is already on their way to \(a.code)."))
            }
            let v = Visit(id: nextVisitID, alarmID: a.id, alarmCode: a.code, responder: responder, dispatchedBy: op.id, dispatchedAt: now)
            nextVisitID += 1
            visits[v.id] = v
            return .success((a, [.openVisit(v), audit(.dispatched, "\(responder); on site expected within \(Notice.span(visitLateMillis))")]))
        case .visit(_, let responder, let stage, let reason):
            guard var v = openVisits(a.id).first(where: { $0.responder == responder }) else {
                return .failure(Refusal("\(responder) has no open visit to \(a.code)."))
            }
            switch advance(&v, to: stage, reason: reason, now: now) {
            case .failure(let r): return .failure(r)
            case .success(let detail):
                if v.isOpen { visits[v.id] = v } else { visits[v.id] = nil }
                return .success((a, [.updateVisit(v), audit(.visit, "\(responder) \(stage.rawValue)\(detail)")]))
            }
        }
    }

    /// The open visits of an alarm, oldest first.
    public func openVisits(_ alarmID: Int64) -> [Visit] {
        visits.values.filter { $0.alarmID == alarmID }.sorted { $0.id < $1.id }
    }

    /// A responder's handset reports progress on the one alarm they have an open visit to.
    public mutating func responderReport(_ responder: String, alarm code: String, stage: Visit.Stage, now: EpochMillis) -> Result<(Alarm, [DeskAction]), Refusal> {
        guard let a = open[code] else { return .failure(Refusal("\(code) is not an open alarm.")) }
        guard var v = openVisits(a.id).first(where: { $0.responder == responder }) else {
            return .failure(Refusal("\(responder) has no open visit to \(code)."))
        }
        guard stage != .cancelled else { return .failure(Refusal("Only the operator can cancel a visit.")) }
        switch advance(&v, to: stage, reason: nil, now: now) {
        case .failure(let r): return .failure(r)
        case .success(let detail):
            if v.isOpen { visits[v.id] = v } else { visits[v.id] = nil }
            return .success((a, [.updateVisit(v), .audit(AuditEntry(at: now, alarmID: a.id, actor: .operator(responder), action: .visit, detail: "\(stage.rawValue) (from the handset)\(detail)"))]))
        }
    }

    /// Moves a visit on; never back. Returns the audit detail's tail.
    private func advance(_ v: inout Visit, to stage: Visit.Stage, reason: String?, now: EpochMillis) -> Result<String, Refusal> {
        guard stage != .dispatched else { return .failure(Refusal("A visit is dispatched once; say en-route, on-site, access-gained, left or cancelled.")) }
        guard stage.order > v.stage.order || stage == .cancelled else {
            return .failure(Refusal("The visit is already \(v.stage.rawValue); it cannot go back to \(stage.rawValue)."))
        }
        switch stage {
        case .enRoute: v.enRouteAt = now
        case .onSite:
            v.onSiteAt = now
            if v.enRouteAt == nil { v.enRouteAt = now }
            return .success(" after \(Notice.span(now - v.dispatchedAt))")
        case .accessGained:
            v.accessGainedAt = now
            guard let arrived = v.onSiteAt else {
                // Told in one call: they arrived and got in at once.
                v.onSiteAt = now
                if v.enRouteAt == nil { v.enRouteAt = now }
                return .success(" on arriving, \(Notice.span(now - v.dispatchedAt)) after dispatch")
            }
            return .success(" \(Notice.span(now - arrived)) after arriving")
        case .left:
            if v.onSiteAt == nil { return .failure(Refusal("Record that the responder is on site before recording that they left.")) }
            v.leftAt = now
        case .cancelled:
            guard let reason, !reason.trimmingWhitespace().isEmpty else { return .failure(Refusal("Say why the visit is cancelled.")) }
            v.cancelledAt = now
            v.cancelReason = String(reason.trimmingWhitespace().prefix(500))
            return .success(": \(v.cancelReason!)")
        case .dispatched: break
        }
        return .success("")
    }

    mutating func take(_ a: inout Alarm, for operatorID: String, now: EpochMillis) {
        a.state = .claimed(by: operatorID, at: now)
        if a.firstClaimedAt == nil { a.firstClaimedAt = now }
        a.stepsFired &= ~escalation.stepMask(a.priority, .claimed)
        a.claimedRepeats = 0
        open[a.code] = a
    }

    /// Back to the queue: nobody holds it, and its unclaimed chain starts again from now.
    private mutating func putBack(_ a: inout Alarm, now: EpochMillis) {
        a.state = .raised
        a.unclaimedSince = now
        a.stepsFired &= ~escalation.stepMask(a.priority, .unclaimed)
        a.unclaimedRepeats = 0
        open[a.code] = a
    }

    /// The holder's console has been gone longer than the claim lease (crashed, network cut, quit
    /// holding it): the alarm returns to the queue and the supervisors are told.
    public mutating func expireClaim(_ code: String, awayMillis: EpochMillis, now: EpochMillis) -> [DeskAction] {
        guard var a = open[code], case .claimed(let holder, _) = a.state else { return [] }
        putBack(&a, now: now)
        let why = "claim released: \(holder) offline for \(Notice.span(awayMillis))"
        return [.update(a), .audit(AuditEntry(at: now, alarmID: a.id, actor: .system, action: .released, detail: why)),
                .notify(Notice(alarm: a, to: [.supervisors], why: why + ", back in the queue", at: now))]
    }

    // MARK: Escalation

    /// Fires every step that has fallen due by `now`, in time order: each step once, a repeating one
    /// again at each interval while the alarm stays as it was (missed repeats are counted, not rung).
    public mutating func tick(now: EpochMillis) -> [DeskAction] {
        var actions: [DeskAction] = []
        // The engine ticks every turn, and on most turns nothing is due: one look at each open alarm
        // finds those with a step due, and only they are taken in queue order (sorting a copy of the
        // whole queue every turn cost 7 % of the daemon at 1,000 events/s with 50 alarms open).
        let due = open.values.filter { escalation.nextDue($0).map { $0 <= now } ?? false }
        for var a in due.sorted(by: Alarm.inQueueOrder) {
            var changed = false
            let chain = escalation.steps(a.priority)
            let due = chain.indices.compactMap { i in escalation.due(a, step: i).map { (i, $0) } }.filter { $0.1 <= now }.sorted { $0.1 < $1.1 }
            func audit(_ action: AuditAction, _ detail: String) -> DeskAction {
                .audit(AuditEntry(at: now, alarmID: a.id, actor: .system, action: action, detail: detail))
            }
            for (i, at) in due {
                let step = chain[i]
                let isRepeat = a.stepsFired & (1 << UInt64(i)) != 0
                var detail = "step \(i + 1) at \(step.afterSeconds) s"
                // Repeats that fell due while the daemon was down are counted, not rung one after another.
                let n = escalation.repeatsDue(a, step, now: now)
                if step.repeatEverySeconds != nil {
                    if step.when == .unclaimed { a.unclaimedRepeats = n } else { a.claimedRepeats = n }
                }
                if isRepeat { detail += ", repeat \(n) of \(step.maxRepeats)" }
                a.stepsFired |= 1 << UInt64(i)
                changed = true
                detail += ": \(step.actionList)"
                if a.firstClaimedAt != nil && step.when == .unclaimed {
                    detail += " (released after being answered)"
                } else if at < now - 1_000 {
                    detail += " (due \((now - at) / 1000) s earlier; fired late)"
                }
                // A target breach is an alarm nobody answered in time, not one answered and released.
                let breach = step.breach && a.firstClaimedAt == nil && !isRepeat
                let why: String
                switch step.when {
                case .unclaimed:
                    a.escalation = max(a.escalation, step.level)
                    if breach { a.breached = true }
                    actions.append(audit(.escalated, "level \(step.level); " + detail))
                    if breach { actions.append(audit(.targetBreach, "unanswered after \(step.afterSeconds) s")) }
                    why = "P\(a.priority.rawValue) \(a.type.rawValue): nobody has answered for \(Notice.span(now - (a.unclaimedSince ?? a.raisedAt)))"
                case .claimed:
                    actions.append(audit(.reminder, "claimed by \(a.claimedBy ?? "-"); " + detail))
                    why = "P\(a.priority.rawValue) \(a.type.rawValue): claimed by \(a.claimedBy ?? "-") for \(Notice.span(now - (a.claimedAt ?? now))), not resolved"
                }
                if !step.actions.isEmpty { actions.append(.notify(Notice(alarm: a, to: step.actions, why: why, at: now))) }
            }
            if changed {
                open[a.code] = a
                actions.append(.update(a))
            }
        }
        return actions
    }

    /// Visit timers: not on site after 45 minutes tells the holder and the supervisors; after 60
    /// minutes the breach of the mobile-response target is recorded and they are told again.
    public mutating func visitTick(now: EpochMillis) -> [DeskAction] {
        var actions: [DeskAction] = []
        for var v in visits.values.sorted(by: { $0.id < $1.id }) {
            guard let due = v.nextDue(late: visitLateMillis, breach: visitBreachMillis), due <= now, let a = open[v.alarmCode] else { continue }
            let waited = Notice.span(now - v.dispatchedAt)
            func audit(_ action: AuditAction, _ detail: String) -> DeskAction {
                .audit(AuditEntry(at: now, alarmID: a.id, actor: .system, action: action, detail: detail))
            }
            if !v.lateNoticeSent {
                v.lateNoticeSent = true
                actions += [audit(.visit, "\(v.responder) not on site after \(waited)"),
                            .notify(Notice(alarm: a, to: [.holder, .supervisors], why: "responder \(v.responder) not on site after \(waited)", at: now))]
            }
            if !v.breached, now >= v.dispatchedAt + visitBreachMillis {
                v.breached = true
                actions += [audit(.targetBreach, "responder \(v.responder) not on site within \(Notice.span(visitBreachMillis))"),
                            .notify(Notice(alarm: a, to: [.holder, .supervisors], why: "responder \(v.responder) not on site after \(waited): target breached", at: now))]
            }
            visits[v.id] = v
            actions.append(.updateVisit(v))
        }
        return actions
    }

    /// The earliest time a step or a visit timer falls due, for the owner's timer.
    public var nextDue: EpochMillis? {
        (open.values.compactMap { escalation.nextDue($0) } + visits.values.compactMap { $0.nextDue(late: visitLateMillis, breach: visitBreachMillis) }).min()
    }
}

extension Outcome {
    /// The operator's choices, comma-separated, for a refusal that lists them.
    public static var choiceList: String { operatorChoices.map(\.rawValue).joined(separator: ", ") }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}

extension Alarm {
    /// The queue's order: priority first, then the oldest, then the first raised.
    public static func inQueueOrder(_ a: Alarm, _ b: Alarm) -> Bool {
        (a.priority, a.raisedAt, a.id) < (b.priority, b.raisedAt, b.id)
    }

    /// Added to the reason of an alarm a device cancelled but a person must confirm.
    public static let callBackMark = " — cancelled at the device, call back to confirm"

    /// The device's cancel or clear does not close it: fire and gas (the fire procedure calls the
    /// fire service unless the person confirms a false alarm), and anything that already escalated
    /// or breached its answer-time target.
    public var needsConfirmationByPhone: Bool {
        [.smoke, .heat, .co, .gas].contains(type) || escalation > 0 || breached
    }
}
