/// Who a step tells, or what it calls. Typed, so a step cannot name somebody Vigil cannot reach.
public enum StepAction: Sendable, Hashable {
    /// A notice on every supervisor's console.
    case supervisors
    /// A notice on every operator's and supervisor's console.
    case operators
    /// A notice on the console of the operator who holds the alarm (claimed steps only).
    case holder
    /// An HTTP POST to the webhook of this name in the config (a pager, an SMS gateway, the duty
    /// manager, a partner centre). A default step's webhook that is not configured is skipped.
    case webhook(String)

    /// As a config file writes it: `supervisors`, `operators`, `holder`, `webhook:NAME`.
    public var name: String {
        switch self {
        case .supervisors: "supervisors"
        case .operators: "operators"
        case .holder: "holder"
        case .webhook(let n): "webhook:\(n)"
        }
    }

    public init?(name: String) {
        switch name {
        case "supervisors": self = .supervisors
        case "operators": self = .operators
        case "holder": self = .holder
        default:
            guard name.hasPrefix("webhook:"), name.count > 8 else { return nil }
            self = .webhook(String(name.dropFirst(8)))
        }
    }
}

/// One timed step of an escalation chain.
public struct EscalationStep: Sendable, Equatable {
    public enum When: String, Sendable, Codable {
        /// Counted from when the alarm was raised (or last released), while nobody holds it.
        case unclaimed
        /// Counted from the current claim, while it is held but not resolved.
        case claimed
    }

    public var when: When
    public var afterSeconds: Int
    /// The escalation level an unclaimed step raises the alarm to (1: supervisors, 2: everyone).
    public var level: Int
    /// Record the step as a breach of an answer-time target.
    public var breach: Bool
    /// Who is told and what is called when the step fires.
    public var actions: [StepAction]
    /// Fire again every so many seconds while the alarm stays as it was (unclaimed, or held by the
    /// same claim), at most `maxRepeats` times. At most one repeating step per kind in a chain.
    public var repeatEverySeconds: Int?
    public var maxRepeats: Int

    public init(when: When, afterSeconds: Int, level: Int = 0, breach: Bool = false, actions: [StepAction], repeatEverySeconds: Int? = nil, maxRepeats: Int = 60) {
        self.when = when
        self.afterSeconds = afterSeconds
        self.level = level
        self.breach = breach
        self.actions = actions
        self.repeatEverySeconds = repeatEverySeconds
        self.maxRepeats = maxRepeats
    }

    /// For the audit trail: "supervisors, webhook:duty-manager".
    public var actionList: String { actions.isEmpty ? "nobody" : actions.map(\.name).joined(separator: ", ") }
}

/// A chain of steps per priority. Defaults follow the TSA answer targets (60 s / 180 s): a P1 nobody
/// has answered rings the supervisors at 60 s, everyone at 180 s (a breach; the duty manager's
/// webhook if configured) and again every minute until someone claims it; a claim held for 20
/// minutes reminds its holder every 10 minutes, and at 40 minutes the supervisors are told too.
public struct EscalationPolicy: Sendable, Equatable {
    public var chains: [Priority: [EscalationStep]]

    public init(chains: [Priority: [EscalationStep]]) {
        self.chains = chains
    }

    public static let `default` = EscalationPolicy(chains: [
        .emergency: [
            EscalationStep(when: .unclaimed, afterSeconds: 60, level: 1, actions: [.supervisors]),
            EscalationStep(when: .unclaimed, afterSeconds: 180, level: 2, breach: true, actions: [.operators, .webhook("duty-manager")],
                           repeatEverySeconds: 60),
            EscalationStep(when: .claimed, afterSeconds: 20 * 60, actions: [.holder], repeatEverySeconds: 10 * 60),
            EscalationStep(when: .claimed, afterSeconds: 40 * 60, actions: [.supervisors]),
        ],
        .urgent: [
            EscalationStep(when: .unclaimed, afterSeconds: 180, level: 1, breach: true, actions: [.supervisors]),
            EscalationStep(when: .unclaimed, afterSeconds: 600, level: 2, actions: [.operators, .webhook("duty-manager")], repeatEverySeconds: 300),
            EscalationStep(when: .claimed, afterSeconds: 30 * 60, actions: [.holder], repeatEverySeconds: 15 * 60),
            EscalationStep(when: .claimed, afterSeconds: 60 * 60, actions: [.supervisors]),
        ],
        .technical: [
            EscalationStep(when: .unclaimed, afterSeconds: 15 * 60, level: 1, actions: [.supervisors]),
            EscalationStep(when: .unclaimed, afterSeconds: 60 * 60, level: 2, actions: [.operators], repeatEverySeconds: 30 * 60),
            EscalationStep(when: .claimed, afterSeconds: 60 * 60, actions: [.holder], repeatEverySeconds: 30 * 60),
            EscalationStep(when: .claimed, afterSeconds: 2 * 60 * 60, actions: [.supervisors]),
        ],
    ])

    public func steps(_ p: Priority) -> [EscalationStep] { chains[p] ?? [] }

    /// Where step `i`'s clock starts for `alarm` (raised or last released; the current claim), or nil
    /// when the alarm is not in the step's state.
    func base(_ alarm: Alarm, _ s: EscalationStep) -> EpochMillis? {
        switch (s.when, alarm.state) {
        case (.unclaimed, .raised): alarm.unclaimedSince ?? alarm.raisedAt
        case (.claimed, .claimed(_, let since)): since
        default: nil
        }
    }

    /// When step `i` of `alarm`'s chain next falls due — its first firing, or its next repeat — or
    /// nil if it cannot now (fired and not repeating, repeats used up, or the wrong state).
    public func due(_ alarm: Alarm, step i: Int) -> EpochMillis? {
        let chain = steps(alarm.priority)
        guard i < chain.count, i < 64 else { return nil }
        let s = chain[i]
        guard let base = base(alarm, s) else { return nil }
        let first = base + EpochMillis(s.afterSeconds) * 1000
        guard alarm.stepsFired & (1 << UInt64(i)) != 0 else { return first }
        guard let every = s.repeatEverySeconds else { return nil }
        let done = alarm.repeats(s.when)
        guard done < s.maxRepeats else { return nil }
        return first + EpochMillis(done + 1) * EpochMillis(every) * 1000
    }

    /// How many repeats of `s` have fallen due by `now` (capped at its maximum): a daemon that was
    /// down fires the step once and counts the ones it missed, instead of ringing them all at once.
    public func repeatsDue(_ alarm: Alarm, _ s: EscalationStep, now: EpochMillis) -> Int {
        guard let every = s.repeatEverySeconds, let base = base(alarm, s) else { return 0 }
        let first = base + EpochMillis(s.afterSeconds) * 1000
        return min(s.maxRepeats, Int(max(0, now - first) / (EpochMillis(every) * 1000)))
    }

    /// The earliest time any step of `alarm` falls due.
    public func nextDue(_ alarm: Alarm) -> EpochMillis? {
        (0..<steps(alarm.priority).count).compactMap { due(alarm, step: $0) }.min()
    }

    /// Bits of the steps of one kind: claimed-steps are cleared on every new claim, so a new holder
    /// gets their own reminders; unclaimed-steps on a release, so the chain starts again.
    public func stepMask(_ p: Priority, _ kind: EscalationStep.When) -> UInt64 {
        var mask: UInt64 = 0
        for (i, s) in steps(p).enumerated() where s.when == kind && i < 64 { mask |= 1 << UInt64(i) }
        return mask
    }

    /// Why a chain cannot run, in a sentence naming the step; nil when it can.
    public static func problem(in chain: [EscalationStep]) -> String? {
        guard chain.count <= 64 else { return "at most 64 steps" }
        for kind in [EscalationStep.When.unclaimed, .claimed] where chain.filter({ $0.when == kind && $0.repeatEverySeconds != nil }).count > 1 {
            return "only one \(kind.rawValue) step may repeat"
        }
        for (i, s) in chain.enumerated() {
            if s.afterSeconds <= 0 { return "step \(i + 1): after must be a positive number of seconds" }
            if let r = s.repeatEverySeconds, r <= 0 { return "step \(i + 1): repeat must be a positive number of seconds" }
            if s.maxRepeats < 1 { return "step \(i + 1): max_repeats must be at least 1" }
            if s.when == .claimed && s.level != 0 { return "step \(i + 1): only unclaimed steps raise a level" }
            if s.when == .unclaimed && s.actions.contains(.holder) { return "step \(i + 1): an unclaimed alarm has no holder to notify" }
        }
        return nil
    }
}
