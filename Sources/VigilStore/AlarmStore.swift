import VigilCore

/// Alarm state, the audit trail and what supervision and triage read, on the daemon's connection.
/// Every write happens inside the ingest loop's open transaction.
public final class AlarmStore {
    let db: Database
    private let insertAlarm: Statement
    private let updateAlarm: Statement
    private let insertAudit: Statement
    private let findOperator: Statement
    private let findOverrides: Statement
    private let insertWeight: Statement
    private let findWeights: Statement
    private let touchDevice: Statement
    private let findName: Statement
    private let insertVisit: Statement
    private let updateVisit: Statement
    private let insertHandOver: Statement
    private let insertHandOverAlarm: Statement
    private let withdrawHandOver: Statement
    private let withdrawHandOverAlarms: Statement
    /// What each device's row last had written for its contact: supervision keeps the live time in
    /// memory, and the row only needs to be close enough for a restart (see `touch`).
    private var lastTouch: [String: (at: EpochMillis, battery: Int?)] = [:]

    static let alarmColumns = """
        id, code, user_id, device_id, type, priority, reason, state, raised_at, claimed_by, claimed_at, first_claimed_at,
        escalation, steps_fired, breached, event_count, closed_at, outcome, resolved_by, unclaimed_since, unclaimed_repeats, claimed_repeats
        """

    /// What every read of an alarm selects: its columns and, from the first event attached to it, the
    /// device's own time in epoch milliseconds (SQLite reads RFC 3339 with its offset; NULL if not).
    static let selectedColumns = alarmColumns + """
        , (SELECT CAST(round((julianday(e.device_ts) - 2440587.5) * 86400000) AS INTEGER)
           FROM events e WHERE e.alarm_id = alarms.id ORDER BY e.seq LIMIT 1) AS sent_at
        """

    public init(_ db: Database) throws(StoreError) {
        self.db = db
        insertAlarm = try db.prepare("""
            INSERT INTO alarms(\(Self.alarmColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        updateAlarm = try db.prepare("""
            UPDATE alarms SET state = ?, claimed_by = ?, claimed_at = ?, first_claimed_at = ?, escalation = ?, steps_fired = ?,
            breached = ?, event_count = ?, closed_at = ?, outcome = ?, resolved_by = ?, priority = ?, reason = ?,
            unclaimed_since = ?, unclaimed_repeats = ?, claimed_repeats = ? WHERE id = ?
            """)
        insertAudit = try db.prepare("INSERT INTO audit(at, alarm_id, actor, action, detail) VALUES (?, ?, ?, ?, ?)")
        findOperator = try db.prepare("SELECT role FROM operators WHERE id = ?")
        findOverrides = try db.prepare("SELECT exit_always_emergency, night_start, night_end, spo2_scale, heart_failure FROM triage_overrides WHERE user_id = ?")
        insertWeight = try db.prepare("INSERT OR REPLACE INTO weights(user_id, at, kg) VALUES (?, ?, ?)")
        findWeights = try db.prepare("SELECT at, kg FROM weights WHERE user_id = ? AND at >= ? ORDER BY at")
        touchDevice = try db.prepare("UPDATE devices SET last_contact_at = ?, last_battery = coalesce(?, last_battery) WHERE id = ?")
        findName = try db.prepare("SELECT name FROM users WHERE id = ?")
        insertVisit = try db.prepare("""
            INSERT INTO visits(id, alarm_id, responder, dispatched_by, dispatched_at, en_route_at, on_site_at, left_at, cancelled_at, cancel_reason,
                               late_notice_sent, breached, access_gained_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        updateVisit = try db.prepare("""
            UPDATE visits SET en_route_at = ?2, on_site_at = ?3, left_at = ?4, cancelled_at = ?5, cancel_reason = ?6, late_notice_sent = ?7, breached = ?8,
                              access_gained_at = ?9
            WHERE id = ?1
            """)
        insertHandOver = try db.prepare("INSERT INTO hand_over_offers(receiver, giver, note, offered_at) VALUES (?, ?, ?, ?)")
        insertHandOverAlarm = try db.prepare("INSERT INTO hand_over_alarms(receiver, position, alarm_code) VALUES (?, ?, ?)")
        withdrawHandOver = try db.prepare("DELETE FROM hand_over_offers WHERE receiver = ?")
        withdrawHandOverAlarms = try db.prepare("DELETE FROM hand_over_alarms WHERE receiver = ?")
    }

    // MARK: Writes

    /// Performs the desk's persistence actions (audit rows included). Publishing is the caller's.
    public func perform(_ actions: [DeskAction]) throws(StoreError) {
        for action in actions {
            switch action {
            case .open(let a):
                try insertAlarm.run(Self.values(a))
            case .update(let a):
                let r = a.resolution
                try updateAlarm.run([
                    .text(a.status.rawValue), Self.opt(a.claimedBy), Self.opt(a.claimedAt), Self.opt(a.firstClaimedAt), .int(Int64(a.escalation)),
                    .int(Int64(bitPattern: a.stepsFired)), .int(a.breached ? 1 : 0), .int(Int64(a.events)), Self.opt(r?.at),
                    Self.opt(r?.outcome.rawValue), Self.opt(r?.by), .int(Int64(a.priority.rawValue)), .text(a.reason),
                    Self.opt(a.unclaimedSince), .int(Int64(a.unclaimedRepeats)), .int(Int64(a.claimedRepeats)), .int(a.id),
                ])
            case .notify:
                break  // delivered by the engine, which records each delivery
            case .openVisit(let v):
                try insertVisit.run([.int(v.id), .int(v.alarmID), .text(v.responder), .text(v.dispatchedBy), .int(v.dispatchedAt), Self.opt(v.enRouteAt),
                                     Self.opt(v.onSiteAt), Self.opt(v.leftAt), Self.opt(v.cancelledAt), Self.opt(v.cancelReason),
                                     .int(v.lateNoticeSent ? 1 : 0), .int(v.breached ? 1 : 0), Self.opt(v.accessGainedAt)])
            case .updateVisit(let v):
                try updateVisit.run([.int(v.id), Self.opt(v.enRouteAt), Self.opt(v.onSiteAt), Self.opt(v.leftAt), Self.opt(v.cancelledAt),
                                     Self.opt(v.cancelReason), .int(v.lateNoticeSent ? 1 : 0), .int(v.breached ? 1 : 0), Self.opt(v.accessGainedAt)])
            case .offerHandOver(let h):
                try withdrawHandOverAlarms.run([.text(h.to)])
                try withdrawHandOver.run([.text(h.to)])
                try insertHandOver.run([.text(h.to), .text(h.from), .text(h.note), .int(h.at)])
                for (i, code) in h.codes.enumerated() { try insertHandOverAlarm.run([.text(h.to), .int(Int64(i)), .text(code)]) }
            case .withdrawHandOver(let receiver):
                try withdrawHandOverAlarms.run([.text(receiver)])
                try withdrawHandOver.run([.text(receiver)])
            case .audit(let e):
                try insertAudit.run([.int(e.at), e.alarmID.map { .int($0) } ?? .null, .text(e.actor.id), .text(e.action.rawValue), .text(e.detail)])
            }
        }
    }

    /// An audit row that belongs to no desk decision (a refused command, a configuration change).
    public func audit(_ e: AuditEntry) throws(StoreError) {
        try perform([.audit(e)])
    }

    static func opt(_ v: String?) -> SQLValue { v.map { .text($0) } ?? .null }
    static func opt(_ v: Int64?) -> SQLValue { v.map { .int($0) } ?? .null }

    static func values(_ a: Alarm) -> [SQLValue] {
        [
            .int(a.id), .text(a.code), .text(a.user), .text(a.device), .text(a.type.rawValue), .int(Int64(a.priority.rawValue)),
            .text(a.reason), .text(a.status.rawValue), .int(a.raisedAt), opt(a.claimedBy), opt(a.claimedAt), opt(a.firstClaimedAt),
            .int(Int64(a.escalation)), .int(Int64(bitPattern: a.stepsFired)), .int(a.breached ? 1 : 0), .int(Int64(a.events)),
            opt(a.closedAt), opt(a.outcome?.rawValue), opt(a.resolvedBy), opt(a.unclaimedSince), .int(Int64(a.unclaimedRepeats)), .int(Int64(a.claimedRepeats)),
        ]
    }

    static func alarm(_ r: Row) throws(StoreError) -> Alarm {
        let status: Alarm.Status = try r.decode("state")
        let raisedAt = try r.int64("raised_at")
        let state: Alarm.State
        switch status {
        case .raised: state = .raised
        case .claimed: state = .claimed(by: try r.text("claimed_by"), at: try r.optionalInt64("claimed_at") ?? raisedAt)
        case .resolved:
            state = .resolved(Alarm.Resolution(outcome: try r.decode("outcome"), by: try r.optionalText("resolved_by"), at: try r.int64("closed_at")))
        }
        return Alarm(id: try r.int64("id"), code: try r.text("code"), user: try r.text("user_id"), device: try r.text("device_id"),
                     type: try r.decode("type"), priority: try r.decode("priority"), reason: try r.text("reason"), state: state,
                     raisedAt: raisedAt, firstClaimedAt: try r.optionalInt64("first_claimed_at"), escalation: try r.int("escalation"),
                     stepsFired: UInt64(bitPattern: try r.int64("steps_fired")), breached: try r.bool("breached"), events: try r.int("event_count"),
                     sentAt: try r.optionalInt64("sent_at"), unclaimedSince: try r.optionalInt64("unclaimed_since"),
                     unclaimedRepeats: try r.int("unclaimed_repeats"), claimedRepeats: try r.int("claimed_repeats"))
    }

    /// The hand-overs offered and not yet taken, for the desk after a restart.
    public func handOvers() throws(StoreError) -> [HandOver] {
        try NoticeStore.typed("read hand-over offers") {
            let codes = Dictionary(grouping: try db.prepare("SELECT receiver, alarm_code FROM hand_over_alarms ORDER BY receiver, position")
                .all { ($0.text(0), $0.text(1)) }, by: \.0).mapValues { $0.map(\.1) }
            return try db.prepare("SELECT receiver, giver, note, offered_at FROM hand_over_offers ORDER BY receiver").all {
                HandOver(from: $0.text(1), to: $0.text(0), note: $0.text(2), codes: codes[$0.text(0)] ?? [], at: $0.int64(3))
            }
        }
    }

    /// Visits still open, with their alarm's code, for the desk after a restart.
    public func openVisits() throws(StoreError) -> [Visit] {
        try NoticeStore.typed("read visits") {
            try db.prepare("""
                \(Self.visitSelect) WHERE v.left_at IS NULL AND v.cancelled_at IS NULL ORDER BY v.id
                """).rows(table: "visits", Self.visit)
        }
    }

    /// Visits with their alarm's code, for `visit(_:)` to read; the caller adds the WHERE.
    static let visitSelect = "SELECT v.*, a.code AS alarm_code FROM visits v JOIN alarms a ON a.id = v.alarm_id"

    /// One row of `visitSelect`.
    static func visit(_ r: Row) throws -> Visit {
        Visit(id: try r.int64("id"), alarmID: try r.int64("alarm_id"), alarmCode: try r.text("alarm_code"), responder: try r.text("responder"),
              dispatchedBy: try r.text("dispatched_by"), dispatchedAt: try r.int64("dispatched_at"), enRouteAt: try r.optionalInt64("en_route_at"),
              onSiteAt: try r.optionalInt64("on_site_at"), accessGainedAt: try r.optionalInt64("access_gained_at"), leftAt: try r.optionalInt64("left_at"),
              cancelledAt: try r.optionalInt64("cancelled_at"), cancelReason: try r.optionalText("cancel_reason"),
              lateNoticeSent: try r.bool("late_notice_sent"), breached: try r.bool("breached"))
    }

    /// What a responder needs to find a person and get in, and the area whose rota covers them.
    public func whereabouts(_ user: String) throws(StoreError) -> (name: String, area: Int?, address: String, access: String)? {
        try NoticeStore.typed("read a person") {
            try db.prepare("SELECT name, area, coalesce(address, ''), coalesce(access_notes, '') FROM users WHERE id = ?").all([.text(user)]) {
                ($0.text(0), $0.optionalInt(1), $0.text(2), $0.text(3))
            }.first
        }
    }

    public func maxVisitID() throws(StoreError) -> Int64 {
        try db.scalar("SELECT coalesce(max(id), 0) FROM visits")
    }

    /// One call an operator made for an alarm.
    public func recordCall(alarm: Int64, operator op: String, callee: String, result: CallResult, at: EpochMillis) throws(StoreError) {
        try db.prepare("INSERT INTO call_attempts(alarm_id, operator_id, at, callee, result) VALUES (?, ?, ?, ?, ?)")
            .run([.int(alarm), .text(op), .int(at), .text(callee), .text(result.rawValue)])
    }

    /// Records the device's latest contact (read back at start-up by supervision, and shown in an
    /// alarm's detail). Rewriting the row for every event cost a database page per event; so the row
    /// is written when `staleMillis` have passed since it was last written, when the battery reading
    /// changes, and for a device's first message since start-up. What a restart reads is therefore up
    /// to `staleMillis` old, never newer than the truth: a device that goes silent is found no later
    /// than without a restart (up to `staleMillis` sooner), and one that keeps its interval is never
    /// found silent as long as `staleMillis` is less than the grace period.
    public func touch(device: String, at: EpochMillis, battery: Int? = nil, staleMillis: EpochMillis = 0) throws(StoreError) {
        if let last = lastTouch[device], at - last.at < staleMillis, battery == nil || battery == last.battery { return }
        try touchDevice.run([.int(at), battery.map { .int(Int64($0)) } ?? .null, .text(device)])
        lastTouch[device] = (at, battery ?? lastTouch[device]?.battery)
    }

    /// After a rollback: what the rows hold is no longer known, so the next contact of each device
    /// is written again.
    public func forgetTouches() {
        lastTouch.removeAll(keepingCapacity: true)
    }

    public func recordWeight(user: String, at: EpochMillis, kg: Double) throws(StoreError) {
        try insertWeight.run([.text(user), .int(at), .double(kg)])
    }

    // MARK: Reads

    public func weights(user: String, since: EpochMillis) throws(StoreError) -> [(at: EpochMillis, kg: Double)] {
        try findWeights.bind([.text(user), .int(since)])
        defer { try? findWeights.bind([]) }
        var out: [(at: EpochMillis, kg: Double)] = []
        let row = Row(statement: findWeights, table: "weights")
        while try findWeights.step() { out.append((try row.int64("at"), try row.double("kg"))) }
        return out
    }

    /// The person's name as registered now (read each time: `vigil users` may change it while the
    /// daemon runs), or nil for an unknown id.
    public func userName(_ id: String) throws(StoreError) -> String? {
        try findName.bind([.text(id)])
        defer { try? findName.bind([]) }
        guard try findName.step() else { return nil }
        return try Row(statement: findName, table: "users").text("name")
    }

    public func operatorRole(_ id: String) throws(StoreError) -> OperatorRole? {
        try findOperator.bind([.text(id)])
        defer { try? findOperator.bind([]) }
        guard try findOperator.step() else { return nil }
        return try Row(statement: findOperator, table: "operators").decode("role")
    }

    public func triage(user: String) throws(StoreError) -> PersonTriage {
        try findOverrides.bind([.text(user)])
        defer { try? findOverrides.bind([]) }
        guard try findOverrides.step() else { return .none }
        let r = Row(statement: findOverrides, table: "triage_overrides")
        return PersonTriage(exitAlwaysEmergency: try r.bool("exit_always_emergency"), nightStartMinute: try r.optionalInt("night_start"),
                            nightEndMinute: try r.optionalInt("night_end"), spo2Scale2: try r.int("spo2_scale") == 2, heartFailure: try r.bool("heart_failure"))
    }

    /// Everything not yet resolved, for rebuilding the desk after a restart.
    public func openAlarms() throws -> [Alarm] {
        try db.prepare("SELECT \(Self.selectedColumns) FROM alarms WHERE state <> 'resolved' ORDER BY id").rows(table: "alarms", Self.alarm)
    }

    public func alarm(code: String) throws -> Alarm? {
        try db.prepare("SELECT \(Self.selectedColumns) FROM alarms WHERE code = ?").rows([.text(code)], table: "alarms", Self.alarm).first
    }

    /// The highest alarm id ever issued on this database: the table's, or the mark a restore carried
    /// over from the database it replaced (alarms raised after the backup are gone from the table, and
    /// their codes must not be issued again).
    public func maxAlarmID() throws(StoreError) -> Int64 {
        try db.scalar("SELECT max((SELECT coalesce(max(id), 0) FROM alarms), coalesce((SELECT highest_id FROM alarm_code_mark), 0))")
    }

    /// Codes of alarms closed since `since`: their retained queue entries must be cleared.
    public func closedAlarmCodes(since: EpochMillis) throws -> [String] {
        try db.prepare("SELECT code FROM alarms WHERE state = 'resolved' AND closed_at >= ?").rows([.int(since)], table: "alarms") { try $0.text("code") }
    }

    public struct Supervised: Sendable {
        public var device: String
        public var user: String
        public var heartbeatSeconds: Int
        public var isHub: Bool
        public var lastContact: EpochMillis?
        public var rowID: Int64
        /// Suspended by an administrator: not to be supervised.
        public var suspended: Bool
        /// The mark of its last suspend or resume (`devices.supervision_changed_at`), if any.
        public var changeMark: Int64?
    }

    /// Devices with a heartbeat interval registered after row `afterRow` (0: all), and those suspended
    /// or resumed after change mark `changedAfter`.
    public func supervisedDevices(afterRow: Int64, changedAfter: Int64 = 0) throws -> [Supervised] {
        try db.prepare("""
            SELECT id, user_id, heartbeat_seconds, kind, last_contact_at, rowid AS row_id, suspended_at IS NOT NULL AS suspended,
                   supervision_changed_at FROM devices
            WHERE heartbeat_seconds IS NOT NULL AND rowid > ?1
            UNION
            SELECT id, user_id, heartbeat_seconds, kind, last_contact_at, rowid AS row_id, suspended_at IS NOT NULL AS suspended,
                   supervision_changed_at FROM devices
            WHERE heartbeat_seconds IS NOT NULL AND supervision_changed_at > ?2
            ORDER BY row_id
            """).rows([.int(afterRow), .int(changedAfter)], table: "devices") {
            Supervised(device: try $0.text("id"), user: try $0.text("user_id"), heartbeatSeconds: try $0.int("heartbeat_seconds"),
                       isHub: try $0.decode("kind", as: DeviceKind.self) == .hub, lastContact: try $0.optionalInt64("last_contact_at"),
                       rowID: try $0.int64("row_id"), suspended: try $0.bool("suspended"), changeMark: try $0.optionalInt64("supervision_changed_at"))
        }
    }

    /// What the operator must know about where the person is before calling: away or in hospital (with
    /// the note), or a service that has ended (every period closed, the last before `today`). Nil when
    /// none of these holds, or for an id with no caseload record (the unidentified caller).
    public func personStatus(_ user: String, today: Day) throws -> String? {
        let away = try db.prepare("SELECT status, since, note FROM user_status WHERE user_id = ?").all([.text(user)]) { row in
            let absence = PersonAbsence(rawValue: row.text(0))
            return "\(absence?.phrase ?? row.text(0)) since \(row.text(1))" + (row.isNull(2) ? "" : ": \(row.text(2))")
        }.first
        if let away { return away }
        let ended = try db.prepare("""
            SELECT max(end_date) FROM service_periods WHERE user_id = ?1
            HAVING count(*) > 0 AND count(*) = count(end_date) AND max(end_date) < ?2
            """).all([.text(user), .text(today.iso)]) { $0.text(0) }.first
        return ended.map { "service ended \($0)" }
    }

    /// Alarms raised since `since`, open or closed (the answer-time shares on consoles start from them).
    public func alarms(raisedSince since: EpochMillis) throws -> [Alarm] {
        try db.prepare("SELECT \(Self.selectedColumns) FROM alarms WHERE raised_at >= ? ORDER BY id").rows([.int(since)], table: "alarms", Self.alarm)
    }
}
