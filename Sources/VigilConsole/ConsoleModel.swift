import VigilCore
import VigilWire

/// What the console asks its owner to do after a key or a message.
public enum ConsoleEffect: Sendable, Equatable {
    case send(ConsoleCommand)
    case bell
    case quit
}

/// The operator console as a pure value: the queue it has been told about, what is selected, which
/// prompt is open. Keys and messages go in; effects and a rendering come out. No terminal, no clock
/// (`now` is passed in), so every behaviour is a unit test.
public struct ConsoleModel: Sendable {
    public enum Connection: Sendable, Equatable {
        case connecting, connected, reconnecting
    }

    public enum Mode: Sendable, Equatable {
        case queue
        case filter(String)
        case note(String)
        case outcomes(Int)
        case reassign(String)
        case help
        case confirmQuit
        /// Dispatch: the responder's id typed, or nothing for the one on call for the person's area.
        case dispatch(String)
        /// A call attempt: who was called, then how it ended.
        case callee(String)
        case callResult(callee: String, Int)
        /// A visit's next stage, for the newest open visit's responder; a cancellation asks why.
        case visitStage(responder: String, Int)
        case cancelReason(responder: String, String)
    }

    /// The stages an operator records for a visit, in the order they happen.
    public static let visitStages: [Visit.Stage] = [.enRoute, .onSite, .accessGained, .left, .cancelled]
    /// The key that picks each outcome in `Outcome.operatorChoices`: digits, then letters (none of
    /// them j, k or q, which move and leave the list).
    public static let outcomeKeys: [Character] = Array("123456789abcdef")

    public struct Message: Sendable, Equatable {
        public var text: String
        public var isError: Bool
        public var until: EpochMillis
    }

    public let operatorID: String
    public let supervisor: Bool
    public var bellEnabled: Bool
    public private(set) var entries: [String: QueueEntry] = [:]
    public private(set) var summary = QueueSummary()
    public var connection: Connection = .connecting
    public private(set) var selected: String?
    public private(set) var filter = ""
    public private(set) var mode: Mode = .queue
    public private(set) var message: Message?
    public private(set) var escalatedFirst: Bool
    public private(set) var details: [String: AlarmDetail] = [:]
    private var seen: Set<String> = []
    private var started: EpochMillis?
    private var requests = 0
    /// The prefix of this console's request ids. Vigil refuses a request id it has already carried
    /// out (a replay), so a console that restarts must not count from 1 under the same prefix again.
    private let session: String
    private var pending: [String: ConsoleCommand] = [:]
    private var detailRequested: [String: EpochMillis] = [:]
    /// Until the operator moves the cursor it rests on the most urgent alarm; after that it stays
    /// where they put it (it never jumps under their fingers).
    private var cursorMoved = false

    /// How long a console waits after connecting before new P1s ring the bell (the retained queue
    /// arriving at once is not news).
    static let settleMillis: EpochMillis = 2_000

    /// The daemon refreshes its status every 5 s; three missed refreshes mean it is not ingesting.
    public static let daemonSilenceMillis: EpochMillis = 15_000

    /// The last daemon status heard, and when (on this console's clock).
    public private(set) var daemon: DaemonStatus?
    private var daemonHeardAt: EpochMillis?
    /// Whether the "CENTRE OFFLINE" banner is up. Set by `tick`, which rings on the way in.
    public private(set) var centreOffline = false

    /// Notices Vigil has put on consoles: this operator's own, and (for a supervisor) everyone's,
    /// keyed by operator and alarm. One leaves when acknowledged or when its alarm closes.
    public private(set) var notices: [NoticeKey: ConsoleNotice] = [:]

    public struct NoticeKey: Hashable, Sendable {
        public var `operator`: String
        public var alarm: String
        public init(operator op: String, alarm: String) {
            self.operator = op
            self.alarm = alarm
        }
    }

    /// - Parameter session: unique to this run of the console (the executable uses its start time);
    ///   request ids are `{session}-{n}`. Defaults to the operator id, for tests.
    public init(operatorID: String, supervisor: Bool = false, bell: Bool = true, session: String? = nil) {
        self.operatorID = operatorID
        self.session = session ?? operatorID
        self.supervisor = supervisor
        bellEnabled = bell
        escalatedFirst = supervisor
    }

    // MARK: The queue

    /// Open alarms as shown: filtered, then priority first, always; within a priority oldest first,
    /// or most escalated first for a supervisor who asks for it. An escalated P3 never sits above a
    /// new P1.
    public var visible: [QueueEntry] {
        let f = filter.lowercased()
        return entries.values
            .filter { f.isEmpty || $0.person.lowercased().contains(f) || $0.code.lowercased().contains(f) || $0.typeLabel.contains(f) || ($0.claimedBy ?? "").lowercased().contains(f) }
            .sorted { a, b in
                if a.priority != b.priority { return a.priority < b.priority }
                if escalatedFirst, a.escalation != b.escalation { return a.escalation > b.escalation }
                return (a.raisedAt, a.code) < (b.raisedAt, b.code)
            }
    }

    public var selectedEntry: QueueEntry? { selected.flatMap { entries[$0] } }

    /// Alarms this operator holds (asked about before quitting).
    public var held: [QueueEntry] { entries.values.filter { $0.claimedBy == operatorID } }

    public mutating func connected(now: EpochMillis) {
        connection = .connected
        started = started ?? now
    }

    /// A retained queue message: an alarm (nil when it left the queue).
    public mutating func receive(code: String, entry: QueueEntry?, now: EpochMillis) -> [ConsoleEffect] {
        var effects: [ConsoleEffect] = []
        if let entry {
            let isNew = !seen.contains(code)
            entries[code] = entry
            seen.insert(code)
            let settled = started.map { now - $0 >= Self.settleMillis } ?? false
            if isNew, settled, entry.priority == .emergency, bellEnabled { effects.append(.bell) }
        } else {
            entries[code] = nil
            details[code] = nil
        }
        if !cursorMoved || selected == nil || entries[selected!] == nil || !visible.contains(where: { $0.code == selected }) {
            selected = visible.first?.code
        }
        return effects + detailRequest(now: now)
    }

    /// A retained notice for `op` about `alarm` (nil: it was acknowledged or the alarm closed). A new
    /// one of this operator's own, or a repeat of one, rings the bell whatever the P1 bell is set to:
    /// Vigil is asking this person to act.
    public mutating func receive(notice: ConsoleNotice?, for op: String, alarm: String) -> [ConsoleEffect] {
        let key = NoticeKey(operator: op, alarm: alarm)
        let before = notices[key]
        notices[key] = notice
        guard let notice, op == operatorID, before?.at != notice.at else { return [] }
        return [.bell]
    }

    /// This operator's notices on alarms still open, newest first: the banner shows the first.
    public var myNotices: [ConsoleNotice] {
        notices.values.filter { $0.to == operatorID && entries[$0.alarm] != nil }.sorted { ($0.at, $0.alarm) > ($1.at, $1.alarm) }
    }

    /// Other operators' notices nobody has acknowledged, oldest first (the supervisor's list).
    public var othersUnacknowledged: [ConsoleNotice] {
        notices.values.filter { $0.to != operatorID && entries[$0.alarm] != nil }.sorted { ($0.at, $0.to) < ($1.at, $1.to) }
    }

    /// Gaps in the responder rota, by area (nil: the area is covered again). Shown to supervisors
    /// for as long as they last; a new one rings the bell.
    public private(set) var coverGaps: [Int: CoverNotice] = [:]

    /// Claims another operator offers this one as they go off shift (nil: taken or withdrawn).
    public private(set) var handOver: HandOverOffer?

    public mutating func receive(handOver offer: HandOverOffer?) -> [ConsoleEffect] {
        let before = handOver
        handOver = offer
        return offer != nil && before?.at != offer?.at ? [.bell] : []
    }

    public mutating func receive(cover: CoverNotice?, area: Int) -> [ConsoleEffect] {
        let before = coverGaps[area]
        coverGaps[area] = cover
        return cover != nil && before == nil ? [.bell] : []
    }

        public mutating func receive(summary: QueueSummary) {
        self.summary = summary
    }

    // MARK: Is the centre alive

    /// The daemon's retained status (or its last will). A retained copy is as old as the daemon
    /// says (at most: a clock ahead of ours counts as now); a live one is fresh now, so the two
    /// clocks need not agree.
    public mutating func receive(status: DaemonStatus, retained: Bool, now: EpochMillis) -> [ConsoleEffect] {
        daemon = status
        daemonHeardAt = retained ? min(now, status.at) : now
        return tick(now: now)
    }

    /// Whether the daemon is offline by `now`: it said so (its last will or its goodbye), or nothing
    /// has been heard from it for `daemonSilenceMillis` — since the console first connected, when
    /// no status has come at all.
    public func daemonOffline(now: EpochMillis) -> Bool {
        if let daemon, !daemon.online { return true }
        guard let since = daemonHeardAt ?? started else { return false }
        return now - since > Self.daemonSilenceMillis
    }

    /// Called every turn of the console's loop (and on each status): raises or clears the banner.
    /// Going offline rings the bell even with the P1 bell off: no alarm at all can arrive then.
    public mutating func tick(now: EpochMillis) -> [ConsoleEffect] {
        let offline = daemonOffline(now: now)
        defer { centreOffline = offline }
        return offline && !centreOffline ? [.bell] : []
    }

    /// The daemon's answer to one of our commands.
    public mutating func receive(reply: ConsoleReply, now: EpochMillis) {
        guard let command = pending.removeValue(forKey: reply.request) else { return }
        if command.action == .detail {
            if let detail = reply.detail { details[command.alarm] = detail }
            return
        }
        if reply.ok {
            flash("\(command.alarm): \(Self.pastTense(command.action))", error: false, now: now)
        } else {
            flash("\(Self.title(command.action)) refused: \(reply.error ?? "no reason given")", error: true, now: now)
        }
    }

    static func pastTense(_ a: ConsoleCommand.Action) -> String {
        switch a {
        case .claim: "claimed"
        case .release: "released"
        case .note: "note added"
        case .resolve: "resolved"
        case .reassign: "reassigned"
        case .detail: "details"
        case .acknowledge: "notice acknowledged"
        case .dispatch: "responder dispatched"
        case .visit: "visit recorded"
        case .call: "call recorded"
        case .handOver: "hand-over offered"
        case .acceptHandOver: "hand-over taken"
        case .moveClaims: "claims moved"
        }
    }

    static func title(_ a: ConsoleCommand.Action) -> String {
        switch a {
        case .claim: "Claim"
        case .release: "Release"
        case .note: "Note"
        case .resolve: "Resolve"
        case .reassign: "Reassign"
        case .detail: "Details"
        case .acknowledge: "Acknowledge"
        case .dispatch: "Dispatch"
        case .visit: "Visit"
        case .call: "Call"
        case .handOver: "Hand over"
        case .acceptHandOver: "Take hand-over"
        case .moveClaims: "Move claims"
        }
    }

    private mutating func flash(_ text: String, error: Bool, now: EpochMillis) {
        message = Message(text: text, isError: error, until: now + (error ? 8_000 : 4_000))
    }

    public mutating func expireMessage(now: EpochMillis) {
        if let m = message, m.until <= now { message = nil }
    }

    private mutating func command(_ action: ConsoleCommand.Action, _ code: String, outcome: String? = nil, text: String? = nil, to: String? = nil) -> ConsoleEffect {
        requests += 1
        let c = ConsoleCommand(request: "\(session)-\(requests)", action: action, alarm: code, outcome: outcome, text: text, to: to)
        pending[c.request] = c
        return .send(c)
    }

    /// Asks for the selected alarm's details when they are missing (at most every 10 s per alarm).
    private mutating func detailRequest(now: EpochMillis) -> [ConsoleEffect] {
        guard connection == .connected, let code = selected, details[code] == nil else { return [] }
        if let last = detailRequested[code], now - last < 10_000 { return [] }
        detailRequested[code] = now
        return [command(.detail, code)]
    }

    /// Refresh the selected alarm's details (after its events or audit changed).
    public mutating func refreshDetail(now: EpochMillis) -> [ConsoleEffect] {
        guard let code = selected else { return [] }
        details[code] = nil
        detailRequested[code] = nil
        return detailRequest(now: now)
    }

    // MARK: Keys

    public mutating func handle(_ key: Key, now: EpochMillis) -> [ConsoleEffect] {
        switch mode {
        case .queue: return queueKey(key, now: now)
        case .help:
            mode = .queue
            return []
        case .confirmQuit:
            if key == .char("y") || key == .char("Y") { return [.quit] }
            mode = .queue
            return []
        case .filter(let text):
            switch key {
            case .enter: filter = text; mode = .queue
            case .escape: mode = .queue
            case .backspace: mode = .filter(String(text.dropLast()))
            case .char(let c): mode = .filter(text + String(c))
            default: break
            }
            selected = visible.first { $0.code == selected }?.code ?? visible.first?.code
            return []
        case .note(let text):
            switch key {
            case .enter:
                mode = .queue
                guard let code = selected, !text.allSatisfy(\.isWhitespace) else { return [] }
                return [command(.note, code, text: text)]
            case .escape: mode = .queue
            case .backspace: mode = .note(String(text.dropLast()))
            case .char(let c): if text.count < AlarmDesk.maxNoteLength { mode = .note(text + String(c)) }
            default: break
            }
            return []
        case .reassign(let text):
            switch key {
            case .enter:
                mode = .queue
                guard let code = selected, !text.isEmpty else { return [] }
                return [command(.reassign, code, to: text)]
            case .escape: mode = .queue
            case .backspace: mode = .reassign(String(text.dropLast()))
            case .char(let c): mode = .reassign(text + String(c))
            default: break
            }
            return []
        case .dispatch(let text):
            switch key {
            case .enter:
                mode = .queue
                guard let code = selected else { return [] }
                let to = text.trimmingCharacters(in: .whitespaces)
                return [command(.dispatch, code, to: to.isEmpty ? nil : to)]
            case .escape: mode = .queue
            case .backspace: mode = .dispatch(String(text.dropLast()))
            case .char(let c): if text.count < 64 { mode = .dispatch(text + String(c)) }
            default: break
            }
            return []
        case .callee(let text):
            switch key {
            case .enter:
                // A number (one or two digits) picks that person from the detail pane's ordered list;
                // anything else, a phone number included, is kept as typed. A number not on the list is
                // not recorded as someone called "7": the operator is told and types again.
                let typed = text.trimmingCharacters(in: .whitespaces)
                guard typed.count <= 2, let n = Int(typed) else {
                    mode = typed.isEmpty ? .queue : .callResult(callee: typed, 0)
                    return []
                }
                guard let who = selected.flatMap({ details[$0] })?.contact(numbered: n) else {
                    flash("There is no contact \(n) in \(selected ?? "the alarm")'s list\(selected.flatMap { details[$0] } == nil ? " (its detail has not arrived yet)" : ""): type a number shown, or the name.", error: true, now: now)
                    mode = .callee("")
                    return []
                }
                mode = .callResult(callee: who, 0)
            case .escape: mode = .queue
            case .backspace: mode = .callee(String(text.dropLast()))
            case .char(let c): if text.count < 200 { mode = .callee(text + String(c)) }
            default: break
            }
            return []
        case .callResult(let who, let i):
            let results = CallResult.allCases
            switch key {
            case .up, .char("k"): mode = .callResult(callee: who, (i + results.count - 1) % results.count)
            case .down, .char("j"): mode = .callResult(callee: who, (i + 1) % results.count)
            case .escape, .char("q"): mode = .queue
            case .enter:
                mode = .queue
                guard let code = selected else { return [] }
                return [command(.call, code, outcome: results[i].rawValue, to: who)]
            case .char(let c): if let n = c.wholeNumberValue, n >= 1, n <= results.count { mode = .callResult(callee: who, n - 1) }
            default: break
            }
            return []
        case .visitStage(let responder, let i):
            let stages = Self.visitStages
            switch key {
            case .up, .char("k"): mode = .visitStage(responder: responder, (i + stages.count - 1) % stages.count)
            case .down, .char("j"): mode = .visitStage(responder: responder, (i + 1) % stages.count)
            case .escape, .char("q"): mode = .queue
            case .enter:
                if stages[i] == .cancelled { mode = .cancelReason(responder: responder, ""); return [] }
                mode = .queue
                guard let code = selected else { return [] }
                return [command(.visit, code, outcome: stages[i].rawValue, to: responder)]
            case .char(let c): if let n = c.wholeNumberValue, n >= 1, n <= stages.count { mode = .visitStage(responder: responder, n - 1) }
            default: break
            }
            return []
        case .cancelReason(let responder, let text):
            switch key {
            case .enter:
                mode = .queue
                guard let code = selected, !text.allSatisfy(\.isWhitespace) else { return [] }
                return [command(.visit, code, outcome: Visit.Stage.cancelled.rawValue, text: text, to: responder)]
            case .escape: mode = .queue
            case .backspace: mode = .cancelReason(responder: responder, String(text.dropLast()))
            case .char(let c): if text.count < 500 { mode = .cancelReason(responder: responder, text + String(c)) }
            default: break
            }
            return []
        case .outcomes(let i):
            let choices = Outcome.operatorChoices
            switch key {
            case .up, .char("k"): mode = .outcomes((i + choices.count - 1) % choices.count)
            case .down, .char("j"): mode = .outcomes((i + 1) % choices.count)
            case .escape, .char("q"): mode = .queue
            case .enter:
                mode = .queue
                guard let code = selected else { return [] }
                return [command(.resolve, code, outcome: choices[i].rawValue)]
            case .char(let c):
                if let n = Self.outcomeKeys.firstIndex(of: c), n < choices.count { mode = .outcomes(n) }
            default: break
            }
            return []
        }
    }

    private mutating func queueKey(_ key: Key, now: EpochMillis) -> [ConsoleEffect] {
        let list = visible
        let index = list.firstIndex { $0.code == selected }
        func select(_ i: Int) -> [ConsoleEffect] {
            guard !list.isEmpty else { return [] }
            cursorMoved = true
            selected = list[max(0, min(list.count - 1, i))].code
            return detailRequest(now: now)
        }
        switch key {
        case .up, .char("k"): return select((index ?? 0) - 1)
        case .down, .char("j"): return select((index ?? -1) + 1)
        case .pageUp: return select((index ?? 0) - 10)
        case .pageDown: return select((index ?? 0) + 10)
        case .home: return select(0)
        case .end: return select(list.count - 1)
        case .enter, .char("c"):
            guard let e = selectedEntry else { return [] }
            if let holder = e.claimedBy, holder != operatorID {
                flash("\(e.code) is already claimed by \(holder).", error: true, now: now)
                return []
            }
            return [command(.claim, e.code)]
        case .char("u"):
            guard let e = selectedEntry else { return [] }
            return [command(.release, e.code)]
        case .char("n"):
            guard selectedEntry != nil else { return [] }
            mode = .note("")
        case .char("r"):
            guard let e = selectedEntry else { return [] }
            guard e.claimedBy == operatorID || supervisor else {
                flash("Claim \(e.code) before resolving it (Enter or c).", error: true, now: now)
                return []
            }
            mode = .outcomes(0)
        case .char("/"):
            mode = .filter(filter)
        case .char("?"):
            mode = .help
        case .char("a") where supervisor:
            guard selectedEntry != nil else { return [] }
            mode = .reassign("")
        case .char("e") where supervisor:
            escalatedFirst.toggle()
        case .char("d"):
            guard let e = selectedEntry else { return [] }
            guard e.claimedBy == operatorID || supervisor else {
                flash("Claim \(e.code) before dispatching a responder (Enter or c).", error: true, now: now)
                return []
            }
            mode = .dispatch("")
        case .char("t"):
            guard selectedEntry != nil else { return [] }
            mode = .callee("")
        case .char("v"):
            guard let e = selectedEntry else { return [] }
            guard let responder = e.visit?.split(separator: " ").first.map(String.init) else {
                flash("\(e.code) has no responder visit open (d dispatches one).", error: true, now: now)
                return []
            }
            mode = .visitStage(responder: responder, 0)
        case .char("A"):
            // Take the claims offered in the hand-over banner.
            guard handOver != nil else {
                flash("Nobody has offered you a hand-over.", error: true, now: now)
                return []
            }
            return [command(.acceptHandOver, "")]
        case .char("s"):
            // "Seen": acknowledges the notice in the banner (the newest of this operator's own).
            guard let n = myNotices.first else {
                flash("No notice to acknowledge.", error: false, now: now)
                return []
            }
            return [command(.acknowledge, n.alarm)]
        case .char("b"):
            bellEnabled.toggle()
            flash("Bell for new P1 alarms \(bellEnabled ? "on" : "off").", error: false, now: now)
        case .escape:
            filter = ""
        case .char("q"), .ctrlC:
            if held.isEmpty { return [.quit] }
            mode = .confirmQuit
        default:
            break
        }
        return []
    }
}
