import VigilCore

/// Who has been told about which alarm, and who has acknowledged it (issue 11). The engine writes in
/// the batch's transaction; the rows are the record of every notice, kept after the alarm closes.
public struct NoticeStore {
    let db: Database
    private let upsert: Statement
    private let acknowledge: Statement
    private let pendingForAlarm: Statement
    private let roles: Statement

    /// One notice not yet acknowledged, on an open alarm.
    public struct Pending: Sendable, Equatable {
        public var alarm: Alarm
        public var operatorID: String
        public var why: String
        public var sentAt: EpochMillis
    }

    public init(_ db: Database) throws(StoreError) {
        self.db = db
        upsert = try db.prepare("""
            INSERT INTO notices(alarm_id, operator_id, why, sent_at) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT(alarm_id, operator_id) DO UPDATE SET why = ?3, sent_at = ?4, acknowledged_at = NULL
            """)
        acknowledge = try db.prepare("UPDATE notices SET acknowledged_at = ?3 WHERE alarm_id = ?1 AND operator_id = ?2 AND acknowledged_at IS NULL")
        pendingForAlarm = try db.prepare("SELECT operator_id FROM notices WHERE alarm_id = ? AND acknowledged_at IS NULL ORDER BY operator_id")
        roles = try db.prepare("SELECT id, role FROM operators ORDER BY id")
    }

    /// Records a notice to `op` (a repeat replaces the earlier one and asks again).
    public func record(alarm: Int64, to op: String, why: String, at: EpochMillis) throws(StoreError) {
        try upsert.run([.int(alarm), .text(op), .text(why), .int(at)])
    }

    /// Marks the notice acknowledged. False when `op` had none outstanding on the alarm.
    public func acknowledge(alarm: Int64, by op: String, at: EpochMillis) throws(StoreError) -> Bool {
        try acknowledge.run([.int(alarm), .text(op), .int(at)])
        return db.changes > 0
    }

    /// Operators with a notice on this alarm they have not acknowledged.
    public func unacknowledged(alarm: Int64) throws(StoreError) -> [String] {
        try Self.typed("read notices") { try pendingForAlarm.all([.int(alarm)]) { $0.text(0) } }
    }

    /// Every registered operator and whether they supervise.
    public func operators() throws(StoreError) -> [(id: String, role: OperatorRole)] {
        try Self.typed("read operators") { try roles.rows(table: "operators") { (try $0.text("id"), try $0.decode("role") as OperatorRole) } }
    }

    /// Unacknowledged notices on open alarms, for a reconnect's snapshot.
    public func pendingOnOpenAlarms() throws(StoreError) -> [Pending] {
        try Self.typed("read notices") { try db.prepare("""
            SELECT \(AlarmStore.selectedColumns), n.operator_id AS notice_to, n.why AS notice_why, n.sent_at AS notice_at
            FROM notices n JOIN alarms ON alarms.id = n.alarm_id
            WHERE n.acknowledged_at IS NULL AND alarms.state <> 'resolved' ORDER BY n.sent_at
            """).rows(table: "notices") { r in
            Pending(alarm: try AlarmStore.alarm(r), operatorID: try r.text("notice_to"), why: try r.text("notice_why"), sentAt: try r.int64("notice_at"))
        } }
    }

    /// A read whose row closure may throw anything, as the store's own error.
    static func typed<T>(_ operation: String, _ body: () throws -> T) throws(StoreError) -> T {
        do { return try body() } catch let e as StoreError { throw e } catch {
            throw StoreError(code: 1, operation: operation, message: "\(error)")
        }
    }
}
