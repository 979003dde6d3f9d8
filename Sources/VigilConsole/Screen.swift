import VigilCore
import VigilText
import VigilWire

/// Draws a `ConsoleModel` into exactly `height` lines of exactly `width` columns, with ANSI styles.
/// Pure: the same model, size and time always give the same lines (which is what the tests read).
///
/// Priority is shown by colour *and* by a text marker (P1 !!!, P2 !!, P3 !), never by colour alone.
public enum Screen {
    static let reset = "\u{1B}[0m"
    static let bold = "\u{1B}[1m"
    static let inverse = "\u{1B}[7m"
    static let red = "\u{1B}[31m", yellow = "\u{1B}[33m", cyan = "\u{1B}[36m", green = "\u{1B}[32m", dim = "\u{1B}[2m"
    static let onRed = "\u{1B}[41;97m"
    static let onYellow = "\u{1B}[43;30m"

    public static func marker(_ p: Priority) -> String {
        switch p {
        case .emergency: "P1!!!"
        case .urgent: "P2!! "
        case .technical: "P3!  "
        }
    }

    static func colour(_ p: Priority) -> String {
        switch p {
        case .emergency: red + bold
        case .urgent: yellow
        case .technical: cyan
        }
    }

    /// The queue pane's columns. PERSON takes what the terminal has left over (`queueWidths`).
    static let queueTable = TextTable(
        ["PRI", "AGE", "ALARM", "PERSON", "TYPE", "ESC", "CLAIMED BY"].map { TextTable.Column($0) }, separator: " ")

    /// Fixed widths for every column but PERSON, which gets the rest of a `width`-column line (at least 10).
    static func queueWidths(_ width: Int) -> [Int] {
        let fixed = [5, 8, 14, 11, 3, 10]
        let person = max(10, width - fixed.reduce(0, +) - queueTable.separator.count * fixed.count - 1)
        return Array(fixed[..<3]) + [person] + Array(fixed[3...])
    }

    /// Unanswered age against the TSA targets: fine, past 60 s (late), past 180 s (breach).
    public static func ageStyle(_ e: QueueEntry, now: EpochMillis) -> (style: String, flag: String) {
        guard e.state == "raised" else { return (dim, " ") }
        let age = now - e.raisedAt
        if age > 180_000 { return (onRed, "!") }
        if age > 60_000 { return (yellow + bold, "*") }
        return ("", " ")
    }

    public static func render(_ m: ConsoleModel, width: Int, height: Int, now: EpochMillis, clock: String) -> [String] {
        let w = max(40, width), h = max(12, height)
        var lines: [String] = []
        func line(_ text: String, _ style: String = "") { lines.append(style + DisplayWidth.fit(text, w) + reset) }

        // Title and status.
        let conn: String
        switch m.connection {
        case .connected: conn = "● connected"
        case .connecting: conn = "○ connecting…"
        case .reconnecting: conn = "○ reconnecting…"
        }
        let s = m.summary
        func pct(_ v: Double?) -> String { v.map { String(format1($0)) + "%" } ?? "–" }
        let head = "VIGIL \(m.operatorID)\(m.supervisor ? " (supervisor)" : "") \(conn) │ P1 \(s.p1) P2 \(s.p2) P3 \(s.p3) │ 1h: ≤60s \(pct(s.answered60)) ≤180s \(pct(s.answered180)) │ \(clock)"
        line(head, m.connection == .connected ? inverse : onRed)
        if m.centreOffline {
            let node = m.daemon.map { $0.node.isEmpty ? "" : " (vigil serve on \($0.node))" } ?? ""
            line("CENTRE OFFLINE — alarms are not being received\(node)", onRed + bold)
        } else if let warning = m.daemon?.warning {
            // The daemon is up but cannot take everything (its disk nearly full): every console says so.
            line("CENTRE DEGRADED — \(warning)", onRed + bold)
        }
        // Vigil asking this operator to act: the newest notice, until they press s.
        let mine = m.myNotices
        if let n = mine.first {
            let more = mine.count > 1 ? " (+\(mine.count - 1) more)" : ""
            line("NOTICE \(n.alarm) \(n.person): \(n.why) — s: seen\(more)", onYellow + bold)
        }
        if let h = m.handOver {
            line("HAND-OVER from \(h.from): \(h.alarms.count) alarm\(h.alarms.count == 1 ? "" : "s") — \(h.note) — A: take them", onYellow + bold)
        }
        // Gaps in the responder rota (told to supervisors, or to everyone when there is none).
        for (area, g) in m.coverGaps.sorted(by: { $0.key < $1.key }) {
            let start = g.from <= now ? "now" : "in \(Age.text(g.from - now))"
            let span = g.until >= g.at + 86_400_000 ? "for the next day or more" : "for \(Age.text(g.until - max(now, g.from)))"
            line("ROTA GAP area \(area): nobody on call \(start), \(span) — vigil rota gaps", onYellow + bold)
        }
        if m.supervisor {
            let others = m.othersUnacknowledged
            if !others.isEmpty {
                line("Not yet seen: " + others.map { "\($0.to) \($0.alarm) (\(Age.text(now - $0.at)))" }.joined(separator: " · "), yellow)
            }
        }

        // Queue pane.
        let list = m.visible
        var queueRows = max(3, min(list.count + 1, (h - 3) / 2))
        // The outcome picker gives up queue rows rather than lose its last choices under the banners:
        // its prompt and (at most) two columns of choices, the message line and the key line.
        if case .outcomes = m.mode {
            let picker = 1 + outcomeRowsInTwoColumns
            queueRows = max(2, min(queueRows, h - lines.count - picker - 2))
        }
        let widths = queueWidths(w)
        line(queueTable.headerLine(widths: widths), bold)
        let bodyRows = queueRows - 1
        let selectedIndex = list.firstIndex { $0.code == m.selected } ?? 0
        let first = max(0, min(selectedIndex - bodyRows / 2, list.count - bodyRows))
        if list.isEmpty {
            line(m.filter.isEmpty ? "  No open alarms." : "  No open alarms match \"\(m.filter)\" (Esc clears the filter).", dim)
            for _ in 1..<bodyRows { line("") }
        } else {
            for i in first..<(first + bodyRows) {
                guard i < list.count else { line(""); continue }
                let e = list[i]
                let (ageStyle, flag) = Self.ageStyle(e, now: now)
                let esc = e.escalation > 0 ? "L\(e.escalation)" : "-"
                let claimed = e.claimedBy.map { $0 == m.operatorID ? "you" : $0 } ?? "—"
                let sel = e.code == m.selected
                let rowStyle = (sel ? inverse : "") + colour(e.priority)
                // A late delivery says so where the eye is; the detail pane says how late.
                let type = e.deliveredLateBy == nil ? e.typeLabel : "late " + e.typeLabel
                let cells = queueTable.cells([marker(e.priority), Age.text(now - e.raisedAt) + flag, e.code, e.person, type, esc, claimed], widths: widths)
                // The age carries its own style; the rest of the row takes the priority colour.
                let text = cells[0] + queueTable.separator + ageStyle + cells[1] + reset + rowStyle + queueTable.separator
                    + cells[2...].joined(separator: queueTable.separator)
                lines.append(fitStyled(rowStyle + text, w))
            }
        }

        // Detail pane (or a prompt's list) fills the middle.
        let bottom = 2
        let detailRows = h - lines.count - bottom
        var detail: [String] = []
        switch m.mode {
        case .outcomes(let selected):
            let choices = Outcome.operatorChoices, keys = ConsoleModel.outcomeKeys
            detail.append(bold + "Resolve \(m.selected ?? "") — choose the outcome (↑/↓ or 1–9, a–\(keys[choices.count - 1]); Enter to resolve, Esc to cancel):" + reset)
            func cell(_ i: Int, _ width: Int) -> String {
                let o = choices[i], full = " \(keys[i]). \(o.title)  [\(o.rawValue)]"
                return (i == selected ? inverse : "") + fitStyled(DisplayWidth.of(full) <= width ? full : " \(keys[i]). \(o.title)", width)
            }
            // One column while the list fits under the queue; two side by side when it does not (80×24).
            if choices.count < detailRows {
                detail += choices.indices.map { cell($0, w) }
            } else {
                let half = outcomeRowsInTwoColumns
                detail += (0..<half).map { r in cell(r, w / 2) + (r + half < choices.count ? cell(r + half, w - w / 2) : "") }
            }
        case .callResult(let who, let selected):
            detail.append(bold + "Call to \(who) for \(m.selected ?? "") — how did it end? (↑/↓ or 1–6, Enter to record, Esc to cancel):" + reset)
            for (i, r) in CallResult.allCases.enumerated() {
                detail.append((i == selected ? inverse : "") + " \(i + 1). \(r.rawValue)" + reset)
            }
        case .visitStage(let responder, let selected):
            detail.append(bold + "Visit by \(responder) to \(m.selected ?? "") — what has happened? (↑/↓ or 1–\(ConsoleModel.visitStages.count), Enter, Esc to cancel):" + reset)
            for (i, stage) in ConsoleModel.visitStages.enumerated() {
                detail.append((i == selected ? inverse : "") + " \(i + 1). \(stage.rawValue)" + reset)
            }
        case .help:
            detail += helpLines(supervisor: m.supervisor)
        default:
            detail += detailLines(m, width: w)
        }
        for i in 0..<detailRows {
            if i < detail.count { lines.append(fitStyled(detail[i], w)) } else { lines.append(String(repeating: " ", count: w)) }
        }

        // Message line and key hints / prompt.
        if let msg = m.message {
            line(msg.text, msg.isError ? onRed : green + bold)
        } else {
            line(m.filter.isEmpty ? "" : "filter: \(m.filter)", dim)
        }
        switch m.mode {
        case .filter(let t): line("Filter (name, alarm, type, operator): \(t)▏  Enter apply · Esc cancel", inverse)
        case .note(let t): line("Note for \(m.selected ?? ""): \(t)▏  Enter save · Esc cancel", inverse)
        case .reassign(let t): line("Reassign \(m.selected ?? "") to operator: \(t)▏  Enter · Esc cancel", inverse)
        case .dispatch(let t): line("Dispatch to \(m.selected ?? "") — responder id, or Enter for the one on call: \(t)▏  Esc cancel", inverse)
        case .callee(let t): line("Call for \(m.selected ?? "") — who did you call? (a number from the list, or a name) \(t)▏  Enter · Esc cancel", inverse)
        case .cancelReason(let r, let t): line("Cancel \(r)'s visit — why? \(t)▏  Enter · Esc cancel", inverse)
        case .confirmQuit: line("You hold \(m.held.count) alarm\(m.held.count == 1 ? "" : "s") (\(m.held.map(\.code).joined(separator: ", "))). Quit anyway? They go back to the queue when your claim lease runs out. y / n", onRed)
        default:
            line("↑↓ move · ⏎ claim · u release · n note · t call · d dispatch · v visit · r resolve · s seen · / · ? · q" + (m.supervisor ? " · a reassign · e escalated first" : ""), dim)
        }
        return Array(lines.prefix(h))
    }

    /// Rows of the outcome picker when its choices stand in two columns.
    static let outcomeRowsInTwoColumns = (Outcome.operatorChoices.count + 1) / 2

    static func format1(_ v: Double) -> String {
        let tenths = Int((v * 10).rounded())
        return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
    }

    /// The text of a styled string without its escape sequences.
    public static func stripped(_ s: String) -> String {
        var out = ""
        var inEscape = false
        for c in s {
            if inEscape { if c.isLetter { inEscape = false }; continue }
            if c == "\u{1B}" { inEscape = true; continue }
            out.append(c)
        }
        return out
    }

    static func fitStyled(_ s: String, _ w: Int) -> String {
        let plain = stripped(s)
        if DisplayWidth.of(plain) <= w { return s + reset + String(repeating: " ", count: w - DisplayWidth.of(plain)) }
        return DisplayWidth.fit(plain, w) + reset
    }

    static func detailLines(_ m: ConsoleModel, width: Int) -> [String] {
        guard let e = m.selectedEntry else { return [dim + "Select an alarm to see the person and their history." + reset] }
        var out: [String] = []
        out.append(bold + "── \(e.code)  \(e.person)  · \(e.reason)  · \(e.events) event\(e.events == 1 ? "" : "s")" + reset)
        if let late = e.deliveredLateBy {
            out.append(yellow + bold + "Delivered late: the device sent this \(Age.text(late)) before Vigil received it (held at the broker or the device). Check it is still happening." + reset)
        }
        if let visit = e.visit { out.append(bold + "Responder: \(visit)" + reset + dim + "  (v records their progress)" + reset) }
        // Away, in hospital, or no longer served: the operator needs it before calling the house.
        if let status = e.personStatus {
            out.append(yellow + bold + "Person: \(status). They may not be at home; still answer the alarm." + reset)
        }
        guard let d = m.details[e.code] else {
            out.append(dim + "Loading details…" + reset)
            return out
        }
        if !d.address.isEmpty { out.append("Address: \(d.address)") }
        if !d.access.isEmpty { out.append(yellow + "Access: \(d.access)" + reset) }
        if !d.conditions.isEmpty || !d.groups.isEmpty {
            out.append("Conditions: \(d.conditions.isEmpty ? "—" : d.conditions)   Groups: \(d.groups.isEmpty ? "—" : d.groups.joined(separator: "; "))")
        }
        func section(_ title: String, _ rows: [AlarmDetail.Line], limit: Int) {
            out.append(bold + title + reset + (rows.isEmpty ? dim + "  none recorded" + reset : ""))
            for r in rows.prefix(limit) { out.append("  " + r.left + "  " + dim + r.right + reset) }
        }
        section("Responders (call in order):", d.responders, limit: 5)
        section("Events on this alarm:", d.events, limit: 5)
        section("Notes and audit:", d.audit, limit: 8)
        section("Devices:", d.devices, limit: 6)
        section("Last ten alarms:", d.recent, limit: 10)
        return out
    }

    static func helpLines(supervisor: Bool) -> [String] {
        var h = [
            bold + "Keys (any key closes this help)" + reset,
            "  ↑ ↓  j k  PgUp PgDn  select an alarm        Enter or c   claim it (only one operator can hold it)",
            "  u    release it back to the queue             n            add a note",
            "  r    resolve: choose the outcome from a list  /            filter by name, alarm, type or operator",
            "  b    bell for new P1 alarms on/off           Esc          clear the filter",
            "  s    seen: acknowledge the NOTICE banner    q            quit (asks first if you hold alarms)",
            "  t    record a call: who, then the result      d            dispatch a responder (Enter: the one on call)",
            "  v    the visit's progress: en route, on site, left, or cancelled with a reason",
            "  A    take the claims in the HAND-OVER banner (vigil shift hand-over offers yours)",
            "",
            "NOTICE (yellow, with the bell): Vigil asks you to act on an alarm — unanswered, held too long, pressed again.",
            "Priority: P1!!! emergency (red), P2!! urgent (yellow), P3! technical (cyan).",
            "Age: plain under 60 s; * past 60 s; ! on red past 180 s (the TSA answer targets).",
            "ESC column: escalation level (L1 supervisors, L2 all operators).",
            "TYPE late fall: the device sent it over a minute before it arrived (the detail pane says how long).",
        ]
        if supervisor { h.append("Supervisor: a reassign the selected alarm · e escalated alarms first · \"Not yet seen\" lists others' notices") }
        return h
    }
}

/// Keeps the last frame and writes only the lines that changed (no flicker over SSH).
public struct ScreenBuffer: Sendable {
    private var last: [String] = []
    private var size = (0, 0)

    public init() {}

    /// The bytes to send to turn the previous frame into `lines`.
    public mutating func diff(_ lines: [String], width: Int, height: Int) -> String {
        var out = ""
        if size != (width, height) {
            out += "\u{1B}[2J"
            last = []
            size = (width, height)
        }
        for (i, l) in lines.enumerated() where i >= last.count || last[i] != l {
            out += "\u{1B}[\(i + 1);1H" + l + "\u{1B}[0m"
        }
        last = lines
        return out
    }
}
