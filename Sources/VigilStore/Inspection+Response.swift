import VigilCore

/// The on-call response as a scenario checks it from outside: an alarm's visits with their times,
/// the calls made for it, what its audit rows say, and the centre's own audit rows (a rota gap
/// names no alarm).
extension Inspection {
    /// Every visit to the alarm, open or closed, oldest first.
    public func visits(alarm: Int64) throws -> [Visit] {
        try db.prepare("\(AlarmStore.visitSelect) WHERE v.alarm_id = ? ORDER BY v.id").rows([.int(alarm)], table: "visits", AlarmStore.visit)
    }

    /// The calls recorded for the alarm, in the order they were made.
    public func callAttempts(alarm: Int64) throws -> [(callee: String, result: String, operator: String, at: EpochMillis)] {
        try db.prepare("SELECT callee, result, operator_id, at FROM call_attempts WHERE alarm_id = ? ORDER BY at, id").all([.int(alarm)]) {
            ($0.text(0), $0.text(1), $0.text(2), $0.int64(3))
        }
    }

    /// The details of the alarm's audit rows with this action, oldest first.
    public func auditDetails(alarm: Int64, action: AuditAction) throws -> [String] {
        try db.prepare("SELECT detail FROM audit WHERE alarm_id = ? AND action = ? ORDER BY id").all([.int(alarm), .text(action.rawValue)]) { $0.text(0) }
    }

    /// The details of audit rows with this action that name no alarm (a rota gap), at or after `since`.
    public func centreAuditDetails(action: AuditAction, since: EpochMillis) throws -> [String] {
        try db.prepare("SELECT detail FROM audit WHERE alarm_id IS NULL AND action = ? AND at >= ? ORDER BY id").all([.text(action.rawValue), .int(since)]) { $0.text(0) }
    }
}
