import VigilCore

/// One open alarm as the queue shows it.
public struct QueueItem: Sendable, Equatable {
    public var code: String
    public var userID: String
    public var userName: String
    public var deviceID: String
    public var type: EventType
    public var priority: Priority
    public var state: String
    public var raisedAt: EpochMillis
    public var events: Int
    public var reason: String
    public var claimedBy: String?
    public var escalation: Int
}

/// Read-only views for the CLI: the open queue and ingest counters.
public struct QueueReader {
    let db: Database

    public init(_ db: Database) {
        self.db = db
    }

    /// Open alarms: priority first, then oldest first.
    public func openAlarms() throws -> [QueueItem] {
        try db.prepare("""
            SELECT a.code, a.user_id, u.name, a.device_id, a.type, a.priority, a.state, a.raised_at, a.event_count, a.reason,
                   a.claimed_by, a.escalation
            FROM alarms a JOIN users u ON u.id = a.user_id
            WHERE a.state <> 'resolved' ORDER BY a.priority, a.raised_at, a.id
            """).rows(table: "alarms") {
            QueueItem(code: try $0.text("code"), userID: try $0.text("user_id"), userName: try $0.text("name"), deviceID: try $0.text("device_id"),
                      type: try $0.decode("type"), priority: try $0.decode("priority"),
                      state: try $0.text("state"), raisedAt: try $0.int64("raised_at"), events: try $0.int("event_count"), reason: try $0.text("reason"),
                      claimedBy: try $0.optionalText("claimed_by"), escalation: try $0.int("escalation"))
        }
    }

    /// The audit trail, oldest first; of one alarm when `alarm` is given.
    public func audit(alarm code: String? = nil, limit: Int = 200) throws -> [(at: EpochMillis, alarm: String?, actor: String, action: String, detail: String)] {
        let filter = code == nil ? "" : "WHERE a.code = ?"
        return try db.prepare("""
            SELECT * FROM (SELECT t.at, a.code, t.actor, t.action, t.detail, t.id FROM audit t LEFT JOIN alarms a ON a.id = t.alarm_id
            \(filter) ORDER BY t.id DESC LIMIT \(max(1, limit))) ORDER BY id
            """).rows(code.map { [.text($0)] } ?? [], table: "audit") {
                (try $0.int64("at"), try $0.optionalText("code"), try $0.text("actor"), try $0.text("action"), try $0.text("detail"))
            }
    }

    /// The alarm with this code, open or closed.
    public func alarm(code: String) throws -> Alarm? {
        try db.prepare("SELECT \(AlarmStore.selectedColumns) FROM alarms WHERE code = ?").rows([.text(code)], table: "alarms", AlarmStore.alarm).first
    }

    /// The device's most recent alarm, open or closed.
    public func latestAlarm(device: String) throws -> Alarm? {
        try db.prepare("SELECT \(AlarmStore.selectedColumns) FROM alarms WHERE device_id = ? ORDER BY id DESC LIMIT 1")
            .rows([.text(device)], table: "alarms", AlarmStore.alarm).first
    }

    public func openAlarmCount(device: String) throws -> Int {
        Int(try db.scalar("SELECT count(*) FROM alarms WHERE device_id = ? AND state <> 'resolved'", [.text(device)]))
    }

    /// How many audit rows of `action` an alarm has.
    public func auditCount(alarmID: Int64, action: String) throws -> Int {
        Int(try db.scalar("SELECT count(*) FROM audit WHERE alarm_id = ? AND action = ?", [.int(alarmID), .text(action)]))
    }

    /// Dead letters by reason; only those whose event id starts with `eventIDPrefix` when it is given.
    public func deadLetters(eventIDPrefix: String? = nil) throws -> [String: Int] {
        let filter = eventIDPrefix == nil ? "" : "WHERE event_id LIKE ?"
        let rows = try db.prepare("SELECT reason, count(*) AS n FROM dead_letters \(filter) GROUP BY reason")
            .rows(eventIDPrefix.map { [.text($0 + "%")] } ?? [], table: "dead_letters") { (try $0.text("reason"), try $0.int("n")) }
        return Dictionary(uniqueKeysWithValues: rows)
    }

    /// Stored events whose id starts with `eventIDPrefix`, with how many rows each (device, id) has.
    public func storedEvents(eventIDPrefix: String) throws -> [(device: String, event: String, rows: Int)] {
        try db.prepare("SELECT device_id, event_id, count(*) AS n FROM events WHERE event_id LIKE ? GROUP BY device_id, event_id")
            .rows([.text(eventIDPrefix + "%")], table: "events") { (try $0.text("device_id"), try $0.text("event_id"), try $0.int("n")) }
    }

    public struct Counts: Sendable {
        public var events: Int
        public var openAlarms: Int
        public var alarms: Int
        public var deadLetters: [(reason: String, count: Int)]
        /// P3s Vigil raised about how a device behaves: "device flooding" (its events past the budget
        /// were refused `rate_limited` and, to spare the disk, not stored), "device sends malformed
        /// data", "device reports something Vigil does not understand".
        public var flooding: Int
        public var malformed: Int
        public var unrecognised: Int
        /// Zigbee2MQTT topics nobody registered, and the messages counted on them.
        public var zigbeeTopics: Int
        public var zigbeeMessages: Int
    }

    public func counts() throws -> Counts {
        Counts(
            events: Int(try db.scalar("SELECT count(*) FROM events")),
            openAlarms: Int(try db.scalar("SELECT count(*) FROM alarms WHERE state <> 'resolved'")),
            alarms: Int(try db.scalar("SELECT count(*) FROM alarms")),
            deadLetters: try db.prepare("SELECT reason, count(*) AS n FROM dead_letters GROUP BY reason ORDER BY reason").rows(table: "dead_letters") { (try $0.text("reason"), try $0.int("n")) },
            flooding: try faults(.flooding),
            malformed: try faults(.malformed),
            unrecognised: try faults(.unrecognised),
            zigbeeTopics: Int(try db.scalar("SELECT count(*) FROM zigbee_unregistered")),
            zigbeeMessages: Int(try db.scalar("SELECT coalesce(sum(messages), 0) FROM zigbee_unregistered"))
        )
    }

    private func faults(_ fault: DeviceFault) throws(StoreError) -> Int {
        Int(try db.scalar("SELECT count(*) FROM alarms WHERE type = 'device_fault' AND substr(reason, 1, ?1) = ?2", [.int(Int64(fault.rawValue.utf8.count)), .text(fault.rawValue)]))
    }
}
