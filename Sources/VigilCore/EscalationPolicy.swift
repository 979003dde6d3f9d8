/// One timed step of an escalation chain.
public struct EscalationStep: Sendable, Equatable {
    public enum When: String, Sendable, Codable {
        /// Counted from when the alarm was raised, while nobody holds it.
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
    /// Who is told, in words (shown in the audit trail and on consoles).
    public var notify: String

    public init(when: When, afterSeconds: Int, level: Int = 0, breach: Bool = false, notify: String) {
        self.when = when
        self.afterSeconds = afterSeconds
        self.level = level
        self.breach = breach
        self.notify = notify
    }
}

/// A chain of steps per priority. Defaults follow the TSA answer targets (60 s / 180 s).
public struct EscalationPolicy: Sendable, Equatable {
    public var chains: [Priority: [EscalationStep]]

    public init(chains: [Priority: [EscalationStep]]) {
        self.chains = chains
    }

    public static let `default` = EscalationPolicy(chains: [
        .emergency: [
            EscalationStep(when: .unclaimed, afterSeconds: 60, level: 1, notify: "supervisors"),
            EscalationStep(when: .unclaimed, afterSeconds: 180, level: 2, breach: true, notify: "all operators"),
            EscalationStep(when: .claimed, afterSeconds: 20 * 60, notify: "reminder to the operator"),
        ],
        .urgent: [
            EscalationStep(when: .unclaimed, afterSeconds: 180, level: 1, breach: true, notify: "supervisors"),
            EscalationStep(when: .unclaimed, afterSeconds: 600, level: 2, notify: "all operators"),
            EscalationStep(when: .claimed, afterSeconds: 30 * 60, notify: "reminder to the operator"),
        ],
        .technical: [
            EscalationStep(when: .unclaimed, afterSeconds: 15 * 60, level: 1, notify: "supervisors"),
            EscalationStep(when: .claimed, afterSeconds: 60 * 60, notify: "reminder to the operator"),
        ],
    ])

    public func steps(_ p: Priority) -> [EscalationStep] { chains[p] ?? [] }

    /// When step `i` of `alarm`'s chain falls due, or nil if it cannot now (fired, or wrong state).
    public func due(_ alarm: Alarm, step i: Int) -> EpochMillis? {
        let chain = steps(alarm.priority)
        guard i < chain.count, i < 64, alarm.stepsFired & (1 << UInt64(i)) == 0 else { return nil }
        let s = chain[i]
        switch (s.when, alarm.state) {
        case (.unclaimed, .raised): return alarm.raisedAt + EpochMillis(s.afterSeconds) * 1000
        case (.claimed, .claimed(_, let since)): return since + EpochMillis(s.afterSeconds) * 1000
        default: return nil
        }
    }

    /// The earliest time any step of `alarm` falls due.
    public func nextDue(_ alarm: Alarm) -> EpochMillis? {
        (0..<steps(alarm.priority).count).compactMap { due(alarm, step: $0) }.min()
    }

    /// Bits of the claimed-steps, cleared on every new claim so a new holder gets their own reminder.
    public func claimedStepMask(_ p: Priority) -> UInt64 {
        var mask: UInt64 = 0
        for (i, s) in steps(p).enumerated() where s.when == .claimed && i < 64 { mask |= 1 << UInt64(i) }
        return mask
    }
}
