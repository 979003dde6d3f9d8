/// Who did something the audit trail records.
public enum Actor: Sendable, Equatable, Hashable {
    /// Vigil itself: triage, the device's own word, supervision, escalation, the daemon's start.
    case system
    case `operator`(String)

    /// The one spelling of Vigil as an actor in the audit trail. Operator ids may not take it.
    public static let systemID = "vigil"

    public var id: String {
        switch self {
        case .system: Self.systemID
        case .operator(let id): id
        }
    }

    public init(id: String) {
        self = id == Self.systemID ? .system : .operator(id)
    }
}

/// What an audit row records. The raw values are what the audit table holds.
public enum AuditAction: String, Sendable, CaseIterable, Codable {
    case raised
    case priorityRaised = "priority-raised"
    /// Closed by the device's own word or by supervision.
    case closed
    case deviceCancel = "device-cancel"
    case deviceClear = "device-clear"
    case claimed, released, note, reassigned, resolved
    /// An operator going off shift offered their claims to another; the other took them (or a
    /// supervisor moved the claims of an operator who is away).
    case handOverOffered = "hand-over-offered"
    case handedOver = "handed-over"
    /// An operator's command that was not carried out, and why.
    case refused
    case escalated
    case targetBreach = "target-breach"
    case reminder
    /// A notice delivered to an operator's console (the detail names them and why).
    case noticeSent = "notice-sent"
    /// The operator pressed the key that says they have seen a notice.
    case noticeAcknowledged = "notice-acknowledged"
    /// One attempt to deliver a webhook (delivered, failed and retrying, or given up).
    case webhook
    /// An area with nobody on call in the next 24 hours.
    case rotaGap = "rota-gap"
    /// A mobile responder sent to the alarm; and each stage of their visit.
    case dispatched
    case visit
    /// A call the operator made for the alarm, and its result.
    case call
    /// `vigil serve` started with settings different from the last recorded ones.
    case configChanged = "config-changed"
}

/// One line of the audit trail: who did what to which alarm, when.
public struct AuditEntry: Sendable, Equatable {
    public var at: EpochMillis
    public var alarmID: Int64?
    public var actor: Actor
    public var action: AuditAction
    public var detail: String

    public init(at: EpochMillis, alarmID: Int64?, actor: Actor, action: AuditAction, detail: String = "") {
        self.at = at
        self.alarmID = alarmID
        self.actor = actor
        self.action = action
        self.detail = detail
    }
}
