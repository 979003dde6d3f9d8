/// What the owner of the desk must do after a decision: persist, audit, publish.
public enum DeskAction: Sendable, Equatable {
    /// A new alarm: insert it (and link the event `seq`, when there is one).
    case open(Alarm, seq: Int64?)
    /// Link the stored event `seq` to the alarm (a repeat, or a cancel on a claimed alarm).
    case attach(seq: Int64, alarm: Int64)
    /// Persist the alarm's new state.
    case update(Alarm)
    case audit(AuditEntry)
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
    case resolve(String, outcome: Outcome?)

    public var alarmCode: String {
        switch self {
        case .claim(let c), .release(let c), .note(let c, _), .reassign(let c, _), .resolve(let c, _): c
        }
    }
}

/// The open alarms and every rule about them: grouping, cancel and clear, operator actions and
/// escalation. A value type that returns actions; its owner (the engine) performs them. Time is an
/// input (`now`), so tests drive it through hours of escalation in microseconds.
public struct AlarmDesk: Sendable {
    public private(set) var open: [String: Alarm] = [:]
    private var byCondition: [Condition: String] = [:]
    private var nextID: Int64
    public let escalation: EscalationPolicy

    /// The same condition: one person, one device, one kind of alarm. (Two smoke detectors in one home
    /// are two alarms, so that one detector's clear never closes the other's.)
    struct Condition: Hashable {
        var user: String
        var device: String
        var type: EventType
    }

    public static let maxNoteLength = 2_000

    public init(open alarms: [Alarm] = [], nextID: Int64 = 1, escalation: EscalationPolicy = .default) {
        self.nextID = max(nextID, (alarms.map(\.id).max() ?? 0) + 1)
        self.escalation = escalation
        for a in alarms where a.state != .resolved {
            open[a.code] = a
            byCondition[Condition(user: a.user, device: a.device, type: a.type)] = a.code
        }
    }

    /// Open alarms, priority first then oldest first: the queue order.
    public var queue: [Alarm] {
        open.values.sorted { ($0.priority, $0.raisedAt, $0.id) < ($1.priority, $1.raisedAt, $1.id) }
    }

    // MARK: Device events

    /// Applies triage's decision for a stored event. Returns the alarm code the event belongs to.
    public mutating func ingest(seq: Int64, event: DeviceEvent, user: String, decision: TriageDecision, now: EpochMillis, year: Int) -> (alarm: String?, actions: [DeskAction]) {
        switch decision {
        case .record:
            return (nil, [])
        case .raise(let priority, let reason):
            // A repeat of the same condition for the same person joins the open alarm.
            if let code = byCondition[Condition(user: user, device: event.deviceID, type: event.type)], var a = open[code] {
                a.events += 1
                var actions: [DeskAction] = [.attach(seq: seq, alarm: a.id)]
                if priority < a.priority {
                    // A worse reading (NEWS2 5 then 8; an exit by day then at night) raises the alarm and
                    // starts the new priority's chain.
                    actions.append(.audit(AuditEntry(at: now, alarmID: a.id, actor: OperatorIdentity.system, action: "priority-raised", detail: "P\(a.priority.rawValue) → P\(priority.rawValue): \(reason)")))
                    a.priority = priority
                    a.reason = reason
                    a.stepsFired = 0
                }
                open[code] = a
                return (code, actions + [.update(a)])
            }
            let a = raise(user: user, device: event.deviceID, type: event.type, priority: priority, reason: reason, now: now, year: year)
            return (a.code, [.open(a, seq: seq), .audit(AuditEntry(at: now, alarmID: a.id, actor: OperatorIdentity.system, action: "raised", detail: "P\(priority.rawValue) \(reason)"))])
        case .cancel, .clear:
            let outcome: Outcome = decision == .cancel ? .cancelledAtDevice : .clearedAtDevice
            // A multi-sensor names what went back to normal ("smoke"): only that alarm is cleared.
            let named = decision == .clear ? event.detail.state.flatMap(EventType.init(rawValue:)) : nil
            let mine = open.values.filter { $0.device == event.deviceID && (named == nil || $0.type == named) }.sorted { $0.id < $1.id }
            // Kept with a claimed alarm first, so the operator handling it sees the cancel.
            guard let target = mine.first(where: { $0.state == .claimed }) ?? mine.first else { return (nil, []) }
            var actions: [DeskAction] = [.attach(seq: seq, alarm: target.id)]
            for var a in mine {
                if a.id == target.id { a.events += 1 }
                if a.state == .raised {
                    // Nobody has picked it up: the device's word closes it.
                    close(&a, outcome: outcome, by: nil, now: now)
                    actions += [.update(a), .audit(AuditEntry(at: now, alarmID: a.id, actor: OperatorIdentity.system, action: "closed", detail: outcome.rawValue))]
                } else {
                    open[a.code] = a
                    if a.id == target.id {
                        actions += [.update(a), .audit(AuditEntry(at: now, alarmID: a.id, actor: OperatorIdentity.system, action: "device-\(decision == .cancel ? "cancel" : "clear")", detail: "attached: the alarm is claimed by \(a.claimedBy ?? "-")"))]
                    }
                }
            }
            return (target.code, actions)
        }
    }

    /// Heartbeat supervision lost a device: a P3 "no contact" alarm (type `heartbeat`).
    public mutating func noContact(device: String, user: String, silentSeconds: Int, now: EpochMillis, year: Int) -> (alarm: String, actions: [DeskAction]) {
        if let a = noContactAlarm(device: device) {
            return (a.code, [])
        }
        let a = raise(user: user, device: device, type: .heartbeat, priority: .technical, reason: "no contact for \(silentSeconds / 60) min", now: now, year: year)
        return (a.code, [.open(a, seq: nil), .audit(AuditEntry(at: now, alarmID: a.id, actor: OperatorIdentity.system, action: "raised", detail: "P3 no contact from \(device)"))])
    }

    /// The open no-contact alarm of a device, if it has one.
    public func noContactAlarm(device: String) -> Alarm? {
        open.values.first { $0.device == device && $0.isNoContact }
    }

    /// A supervised device was heard from again: its no-contact alarm closes if nobody holds it.
    public mutating func contactRestored(device: String, seq: Int64, now: EpochMillis) -> [DeskAction] {
        guard var a = noContactAlarm(device: device) else { return [] }
        a.events += 1
        guard a.state == .raised else {
            open[a.code] = a
            return [.attach(seq: seq, alarm: a.id), .update(a)]
        }
        close(&a, outcome: .contactRestored, by: nil, now: now)
        return [.attach(seq: seq, alarm: a.id), .update(a), .audit(AuditEntry(at: now, alarmID: a.id, actor: OperatorIdentity.system, action: "closed", detail: Outcome.contactRestored.rawValue))]
    }

    private mutating func raise(user: String, device: String, type: EventType, priority: Priority, reason: String, now: EpochMillis, year: Int) -> Alarm {
        let id = nextID
        nextID += 1
        let a = Alarm(id: id, code: Alarm.code(id: id, year: year), user: user, device: device, type: type, priority: priority, reason: reason, raisedAt: now)
        open[a.code] = a
        byCondition[Condition(user: user, device: device, type: type)] = a.code
        return a
    }

    private mutating func close(_ a: inout Alarm, outcome: Outcome, by: String?, now: EpochMillis) {
        a.state = .resolved
        a.outcome = outcome
        a.closedAt = now
        a.resolvedBy = by
        open[a.code] = nil
        let condition = Condition(user: a.user, device: a.device, type: a.type)
        if byCondition[condition] == a.code { byCondition[condition] = nil }
    }

    // MARK: Operators

    /// Applies an operator's command. Refusals change nothing.
    public mutating func command(_ c: OperatorCommand, by op: OperatorIdentity, now: EpochMillis) -> Result<(Alarm, [DeskAction]), Refusal> {
        guard var a = open[c.alarmCode] else {
            return .failure(Refusal("\(c.alarmCode) is not an open alarm (it may have been resolved or cancelled at the device)."))
        }
        func audit(_ action: String, _ detail: String = "") -> DeskAction {
            .audit(AuditEntry(at: now, alarmID: a.id, actor: op.id, action: action, detail: detail))
        }
        switch c {
        case .claim:
            if a.state == .claimed {
                if a.claimedBy == op.id { return .success((a, [])) }
                return .failure(Refusal("\(a.code) is already claimed by \(a.claimedBy ?? "another operator")."))
            }
            take(&a, for: op.id, now: now)
            return .success((a, [.update(a), audit("claimed")]))
        case .release:
            guard a.state == .claimed, let holder = a.claimedBy else { return .failure(Refusal("\(a.code) is not claimed.")) }
            guard holder == op.id || op.role == .supervisor else {
                return .failure(Refusal("\(a.code) is claimed by \(holder); only they or a supervisor can release it."))
            }
            a.state = .raised
            a.claimedBy = nil
            a.claimedAt = nil
            open[a.code] = a
            return .success((a, [.update(a), audit("released", holder == op.id ? "" : "from \(holder)")]))
        case .note(_, let text):
            let t = text.trimmingWhitespace()
            guard !t.isEmpty else { return .failure(Refusal("A note needs some text.")) }
            guard t.count <= Self.maxNoteLength else { return .failure(Refusal("A note is limited to \(Self.maxNoteLength) characters.")) }
            return .success((a, [audit("note", t)]))
        case .reassign(_, let target):
            guard op.role == .supervisor else { return .failure(Refusal("Only a supervisor can reassign an alarm.")) }
            let from = a.claimedBy
            take(&a, for: target.id, now: now)
            return .success((a, [.update(a), audit("reassigned", "\(from ?? "unclaimed") → \(target.id)")]))
        case .resolve(_, let outcome):
            guard let outcome else {
                return .failure(Refusal("Choose an outcome to resolve \(a.code): \(Outcome.operatorChoices.map(\.rawValue).joined(separator: ", "))."))
            }
            guard Outcome.operatorChoices.contains(outcome) else {
                return .failure(Refusal("\(outcome.rawValue) is recorded by Vigil itself; choose one of: \(Outcome.operatorChoices.map(\.rawValue).joined(separator: ", "))."))
            }
            guard a.state == .claimed else { return .failure(Refusal("Claim \(a.code) before resolving it.")) }
            guard a.claimedBy == op.id || op.role == .supervisor else {
                return .failure(Refusal("\(a.code) is claimed by \(a.claimedBy ?? "another operator"); only they or a supervisor can resolve it."))
            }
            close(&a, outcome: outcome, by: op.id, now: now)
            return .success((a, [.update(a), audit("resolved", outcome.rawValue)]))
        }
    }

    private mutating func take(_ a: inout Alarm, for operatorID: String, now: EpochMillis) {
        a.state = .claimed
        a.claimedBy = operatorID
        a.claimedAt = now
        if a.firstClaimedAt == nil { a.firstClaimedAt = now }
        a.stepsFired &= ~escalation.claimedStepMask(a.priority)
        open[a.code] = a
    }

    // MARK: Escalation

    /// Fires every step that has fallen due by `now`, each exactly once, in time order.
    public mutating func tick(now: EpochMillis) -> [DeskAction] {
        var actions: [DeskAction] = []
        for var a in queue {
            var changed = false
            let chain = escalation.steps(a.priority)
            let due = chain.indices.compactMap { i in escalation.due(a, step: i).map { (i, $0) } }.filter { $0.1 <= now }.sorted { $0.1 < $1.1 }
            for (i, at) in due {
                let step = chain[i]
                a.stepsFired |= 1 << UInt64(i)
                changed = true
                var detail = "step \(i + 1) at \(step.afterSeconds) s: \(step.notify)"
                if a.firstClaimedAt != nil && step.when == .unclaimed {
                    detail += " (released after being answered)"
                } else if at < now - 1_000 {
                    detail += " (due \((now - at) / 1000) s earlier; fired late)"
                }
                // A target breach is an alarm nobody answered in time, not one answered and released.
                let breach = step.breach && a.firstClaimedAt == nil
                switch step.when {
                case .unclaimed:
                    a.escalation = max(a.escalation, step.level)
                    if breach { a.breached = true }
                    actions.append(.audit(AuditEntry(at: now, alarmID: a.id, actor: OperatorIdentity.system, action: "escalated", detail: "level \(step.level); " + detail)))
                    if breach {
                        actions.append(.audit(AuditEntry(at: now, alarmID: a.id, actor: OperatorIdentity.system, action: "target-breach", detail: "unanswered after \(step.afterSeconds) s")))
                    }
                case .claimed:
                    actions.append(.audit(AuditEntry(at: now, alarmID: a.id, actor: OperatorIdentity.system, action: "reminder", detail: "claimed by \(a.claimedBy ?? "-"); " + detail)))
                }
            }
            if changed {
                open[a.code] = a
                actions.append(.update(a))
            }
        }
        return actions
    }

    /// The earliest time a step falls due, for the owner's timer.
    public var nextDue: EpochMillis? {
        open.values.compactMap { escalation.nextDue($0) }.min()
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
