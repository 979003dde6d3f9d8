/// The reserved person an alarm from an unregistered device is raised against until an operator
/// identifies the caller. Its id holds `~`, which the id grammar refuses, so no command or import can
/// create or reuse it; the store adds it in a migration.
public enum UnidentifiedCaller {
    public static let userID = "~unidentified"
}

/// An alarm in the response queue. Never deleted: resolving it closes it.
public struct Alarm: Sendable, Equatable {
    /// Where the alarm stands. Each state carries what is true only in it: who holds a claim and
    /// since when; how, by whom and when it was closed.
    public enum State: Sendable, Equatable {
        case raised
        case claimed(by: String, at: EpochMillis)
        case resolved(Resolution)
    }

    /// The three states by name, as stored and sent on the wire.
    public enum Status: String, Sendable, Codable, CaseIterable {
        case raised, claimed, resolved
    }

    public struct Resolution: Sendable, Equatable {
        public var outcome: Outcome
        /// The operator who resolved it; nil when the device's own word or supervision closed it.
        public var by: String?
        public var at: EpochMillis

        public init(outcome: Outcome, by: String?, at: EpochMillis) {
            self.outcome = outcome
            self.by = by
            self.at = at
        }
    }

    public var id: Int64
    public var code: String
    public var user: String
    public var device: String
    public var type: EventType
    public var priority: Priority
    public var reason: String
    public var state: State
    public var raisedAt: EpochMillis
    /// The first time anyone claimed it: the answer time the TSA targets measure. Survives release.
    public var firstClaimedAt: EpochMillis?
    /// Highest escalation level reached (0: none).
    public var escalation: Int
    /// Bit i set: step i of the priority's escalation chain has fired (for the current claim, for
    /// claimed-steps).
    public var stepsFired: UInt64
    /// An answer-time target was breached.
    public var breached: Bool
    public var events: Int
    /// The device's own clock for the event that raised it, when it sent one that could be read.
    /// Only shown, never timed: an event queued at the broker during an outage or buffered by the
    /// device arrives late, and the operator must not take it for a fresh call.
    public var sentAt: EpochMillis?
    /// When it was last released back to the queue (nil: never): its unclaimed steps count from here.
    public var unclaimedSince: EpochMillis?
    /// Repeats fired of the chain's repeating unclaimed step since it last became unclaimed, and of
    /// its repeating claimed step for the current claim.
    public var unclaimedRepeats: Int
    public var claimedRepeats: Int

    public func repeats(_ kind: EscalationStep.When) -> Int { kind == .unclaimed ? unclaimedRepeats : claimedRepeats }

    public init(id: Int64, code: String, user: String, device: String, type: EventType, priority: Priority, reason: String, state: State = .raised, raisedAt: EpochMillis, firstClaimedAt: EpochMillis? = nil, escalation: Int = 0, stepsFired: UInt64 = 0, breached: Bool = false, events: Int = 1, sentAt: EpochMillis? = nil,
                unclaimedSince: EpochMillis? = nil, unclaimedRepeats: Int = 0, claimedRepeats: Int = 0) {
        self.unclaimedSince = unclaimedSince
        self.unclaimedRepeats = unclaimedRepeats
        self.claimedRepeats = claimedRepeats
        self.id = id
        self.code = code
        self.user = user
        self.device = device
        self.type = type
        self.priority = priority
        self.reason = reason
        self.state = state
        self.raisedAt = raisedAt
        self.firstClaimedAt = firstClaimedAt
        self.escalation = escalation
        self.stepsFired = stepsFired
        self.breached = breached
        self.events = events
        self.sentAt = sentAt
    }

    /// Past this gap between the device's time and the receive time, an alarm is shown as late.
    public static let lateAfterMillis: EpochMillis = 60_000

    /// How long after the device sent it the alarm was received, when that is over a minute.
    public var deliveredLateBy: EpochMillis? {
        Alarm.lateBy(sentAt: sentAt, receivedAt: raisedAt)
    }

    public static func lateBy(sentAt: EpochMillis?, receivedAt: EpochMillis) -> EpochMillis? {
        guard let sentAt, receivedAt - sentAt > lateAfterMillis else { return nil }
        return receivedAt - sentAt
    }

    public var status: Status {
        switch state {
        case .raised: .raised
        case .claimed: .claimed
        case .resolved: .resolved
        }
    }

    public var isOpen: Bool { status != .resolved }
    /// Who holds the claim now.
    public var claimedBy: String? { if case .claimed(let by, _) = state { by } else { nil } }
    /// When the current claim was taken.
    public var claimedAt: EpochMillis? { if case .claimed(_, let at) = state { at } else { nil } }
    public var resolution: Resolution? { if case .resolved(let r) = state { r } else { nil } }
    public var outcome: Outcome? { resolution?.outcome }
    public var closedAt: EpochMillis? { resolution?.at }
    public var resolvedBy: String? { resolution?.by }
    /// Closed by the device (cancel, clear) or by supervision before anyone answered: not an answered call.
    public var wasWithdrawn: Bool { status == .resolved && firstClaimedAt == nil }
    /// Raised by heartbeat supervision rather than by a device event.
    public var isNoContact: Bool { type == .heartbeat }

    /// `A-{year}-{number}`, the code operators read out and type.
    public static func code(id: Int64, year: Int) -> String {
        let n = String(id)
        return "A-\(year)-" + String(repeating: "0", count: max(0, 6 - n.count)) + n
    }
}
