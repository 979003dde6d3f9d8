/// An operator going off shift offers every claim they hold to another operator, with one note for
/// all of them. Until the other accepts, the claims stay with the one leaving: an alarm is never
/// held by nobody. Each alarm's transfer is audited with the note.
public struct HandOver: Sendable, Equatable {
    public var from: String
    public var to: String
    public var note: String
    public var codes: [String]
    public var at: EpochMillis

    public init(from: String, to: String, note: String, codes: [String], at: EpochMillis) {
        self.from = from
        self.to = to
        self.note = note
        self.codes = codes
        self.at = at
    }
}

extension AlarmDesk {
    /// The longest hand-over note kept.
    public static let maxHandOverNote = 500

    /// `op` offers all the alarms they hold to `receiver`, with `note` (what is in hand: calls made,
    /// responders on their way). A second offer replaces the first.
    public mutating func offerHandOver(by op: OperatorIdentity, to receiver: OperatorIdentity, note: String, now: EpochMillis) -> Result<(HandOver, [DeskAction]), Refusal> {
        guard receiver.id != op.id else { return .failure(Refusal("Hand over to another operator, not to yourself.")) }
        let text = note.trimmingWhitespace()
        guard !text.isEmpty else { return .failure(Refusal("A hand-over needs a note for \(receiver.id): what is in hand on these alarms.")) }
        let codes = open.values.filter { $0.claimedBy == op.id }.sorted { $0.raisedAt < $1.raisedAt }.map(\.code)
        guard !codes.isEmpty else { return .failure(Refusal("You hold no claims to hand over.")) }
        let h = HandOver(from: op.id, to: receiver.id, note: String(text.prefix(Self.maxHandOverNote)), codes: codes, at: now)
        // One offer per person leaving: a new one to someone else withdraws the first.
        let withdrawn = withdrawOffers(from: op.id).filter { $0 != .withdrawHandOver(to: receiver.id) }
        handOvers[receiver.id] = h
        let audits = codes.compactMap { open[$0] }.map {
            DeskAction.audit(AuditEntry(at: now, alarmID: $0.id, actor: .operator(op.id), action: .handOverOffered, detail: "to \(receiver.id): \(h.note)"))
        }
        return .success((h, withdrawn + [.offerHandOver(h)] + audits))
    }

    /// `op` takes the claims offered to them. An alarm closed or taken by someone else since the
    /// offer is left as it is.
    public mutating func acceptHandOver(by op: OperatorIdentity, now: EpochMillis) -> Result<([Alarm], [DeskAction]), Refusal> {
        guard let h = handOvers.removeValue(forKey: op.id) else { return .failure(Refusal("Nobody has offered you a hand-over.")) }
        let (moved, actions) = transfer(h.codes, from: h.from, to: op.id, actor: op.id, detail: "\(h.from) → \(op.id): \(h.note)", now: now)
        return .success((moved, [.withdrawHandOver(to: op.id)] + actions))
    }

    /// A supervisor moves every claim of `away` (an operator who has left or cannot be reached) to
    /// `receiver` at once.
    public mutating func moveClaims(of away: String, to receiver: OperatorIdentity, by supervisor: OperatorIdentity, note: String?, now: EpochMillis) -> Result<([Alarm], [DeskAction]), Refusal> {
        guard supervisor.role == .supervisor else { return .failure(Refusal("Only a supervisor can move another operator's claims.")) }
        guard away != receiver.id else { return .failure(Refusal("\(receiver.id) already holds those claims.")) }
        let codes = open.values.filter { $0.claimedBy == away }.sorted { $0.raisedAt < $1.raisedAt }.map(\.code)
        guard !codes.isEmpty else { return .failure(Refusal("\(away) holds no claims.")) }
        let withdrawn = withdrawOffers(from: away)
        let why = note.map { $0.trimmingWhitespace() }.flatMap { $0.isEmpty ? nil : ": " + String($0.prefix(Self.maxHandOverNote)) } ?? ""
        let (moved, actions) = transfer(codes, from: away, to: receiver.id, actor: supervisor.id, detail: "\(away) → \(receiver.id) by \(supervisor.id)\(why)", now: now)
        return .success((moved, withdrawn + actions))
    }

    /// Drops every offer `giver` has open, and says which receivers lost one.
    private mutating func withdrawOffers(from giver: String) -> [DeskAction] {
        let receivers = handOvers.values.filter { $0.from == giver }.map(\.to).sorted()
        for r in receivers { handOvers[r] = nil }
        return receivers.map { .withdrawHandOver(to: $0) }
    }

    private mutating func transfer(_ codes: [String], from: String, to: String, actor: String, detail: String, now: EpochMillis) -> ([Alarm], [DeskAction]) {
        var moved: [Alarm] = [], actions: [DeskAction] = []
        for code in codes {
            guard var a = open[code], a.claimedBy == from else { continue }
            take(&a, for: to, now: now)
            moved.append(a)
            actions += [.update(a), .audit(AuditEntry(at: now, alarmID: a.id, actor: .operator(actor), action: .handedOver, detail: detail))]
        }
        return (moved, actions)
    }
}
