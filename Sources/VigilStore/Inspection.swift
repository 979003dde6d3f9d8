import VigilCore

/// Read-only questions the simulators and benchmarks ask of a centre's database after driving it:
/// what was stored, what went to dead letters, what state an alarm ended in. They check the daemon
/// from outside, as a report does, over their own connection; the SQL stays here with the rest.
public struct Inspection {
    let db: Database

    /// Opens `path` read-only (the daemon keeps writing through its own connection).
    public init(path: String) throws(StoreError) {
        db = try Database(path: path, mode: .readOnly)
    }

    public init(_ db: Database) { self.db = db }

    /// The database's page size in bytes: a WAL frame is one page and a 24-byte header.
    public func pageSize() throws -> Int { Int(try db.scalar("PRAGMA page_size")) }

    /// Codes of the open alarms in queue order: priority first, then oldest first.
    public func openAlarmCodes() throws -> [String] {
        try QueueReader(db).openAlarms().map(\.code)
    }

    /// Stored events, all of them.
    public func eventCount() throws(StoreError) -> Int {
        Int(try db.scalar("SELECT count(*) FROM events"))
    }

    /// What the audit trail says of the webhook calls: how many were decided, delivered, and refused
    /// by a full delivery queue, and how many the outbox still owes (the benchmark's check that paging
    /// really ran).
    public func webhookAudit() throws(StoreError) -> (queued: Int, delivered: Int, refused: Int, owed: Int) {
        func count(_ like: String) throws(StoreError) -> Int {
            Int(try db.scalar("SELECT count(*) FROM audit WHERE action = 'webhook' AND detail LIKE ?", [.text(like)]))
        }
        return (try count("%: queued: %"), try count("%: delivered (%"), try count("%: not sent: the delivery queue is full%"),
                Int(try db.scalar("SELECT count(*) FROM webhook_outbox")))
    }

    /// How often each (device, event id) whose event id matches the LIKE `pattern` is stored, keyed
    /// "device/event": exactly once is the contract.
    public func storedEvents(eventIDLike pattern: String) throws -> [String: Int] {
        let rows = try db.prepare("SELECT device_id, event_id, count(*) AS n FROM events WHERE event_id LIKE ? GROUP BY device_id, event_id")
            .rows([.text(pattern)], table: "events") { ("\(try $0.text("device_id"))/\(try $0.text("event_id"))", try $0.int("n")) }
        return Dictionary(uniqueKeysWithValues: rows)
    }

    /// Dead letters by reason; only those whose event id matches the LIKE `pattern`, if given.
    public func deadLetterCounts(eventIDLike pattern: String? = nil) throws -> [String: Int] {
        let rows = if let pattern {
            try db.prepare("SELECT reason, count(*) AS n FROM dead_letters WHERE event_id LIKE ? GROUP BY reason")
                .rows([.text(pattern)], table: "dead_letters") { (try $0.text("reason"), try $0.int("n")) }
        } else {
            try db.prepare("SELECT reason, count(*) AS n FROM dead_letters GROUP BY reason")
                .rows(table: "dead_letters") { (try $0.text("reason"), try $0.int("n")) }
        }
        return Dictionary(uniqueKeysWithValues: rows)
    }

    /// The payload of a stored event exactly as it was received, or nil if it is not stored.
    public func storedPayload(device: String, eventID: String) throws -> [UInt8]? {
        try db.prepare("SELECT payload FROM events WHERE device_id = ? AND event_id = ?")
            .all([.text(device), .text(eventID)]) { $0.blob(0) }.first
    }

    public func deadLetters(reason: String) throws(StoreError) -> Int {
        Int(try db.scalar("SELECT count(*) FROM dead_letters WHERE reason = ?", [.text(reason)]))
    }

    public func alarm(code: String) throws -> Alarm? {
        try db.prepare("SELECT \(AlarmStore.selectedColumns) FROM alarms WHERE code = ?").rows([.text(code)], table: "alarms", AlarmStore.alarm).first
    }

    /// The device's most recent alarm, open or closed.
    public func latestAlarm(device: String) throws -> Alarm? {
        try db.prepare("SELECT \(AlarmStore.selectedColumns) FROM alarms WHERE device_id = ? ORDER BY id DESC LIMIT 1")
            .rows([.text(device)], table: "alarms", AlarmStore.alarm).first
    }

    public func openAlarmCount(device: String) throws(StoreError) -> Int {
        Int(try db.scalar("SELECT count(*) FROM alarms WHERE device_id = ? AND state <> 'resolved'", [.text(device)]))
    }

    /// Alarms of the device raised at or after `since`, open or not.
    public func alarmCount(device: String, raisedSince since: EpochMillis) throws(StoreError) -> Int {
        Int(try db.scalar("SELECT count(*) FROM alarms WHERE device_id = ? AND raised_at >= ?", [.text(device), .int(since)]))
    }

    /// Changes each time the daemon reads a Zigbee2MQTT message for this friendly name: the stored
    /// state's time for a registered device (unless two arrive in one millisecond), the message count of
    /// a `topic` nobody registered.
    public func zigbeeHeard(friendlyName: String, topic: String) throws(StoreError) -> String {
        let saved = try db.scalar("SELECT coalesce(max(s.updated_at), -1) FROM zigbee_state s JOIN devices d ON d.id = s.device_id WHERE d.zigbee_name = ?", [.text(friendlyName)])
        let counted = try db.scalar("SELECT coalesce(max(messages), 0) FROM zigbee_unregistered WHERE topic = ?", [.text(topic)])
        return "\(saved)/\(counted)"
    }

    /// Audit rows of one alarm with this action.
    public func auditCount(alarm: Int64, action: AuditAction) throws(StoreError) -> Int {
        Int(try db.scalar("SELECT count(*) FROM audit WHERE alarm_id = ? AND action = ?", [.int(alarm), .text(action.rawValue)]))
    }
}
