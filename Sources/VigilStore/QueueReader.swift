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
            """).all {
            QueueItem(code: $0.text(0), userID: $0.text(1), userName: $0.text(2), deviceID: $0.text(3),
                      type: EventType(rawValue: $0.text(4)) ?? .button, priority: Priority(rawValue: $0.int(5)) ?? .emergency,
                      state: $0.text(6), raisedAt: $0.int64(7), events: $0.int(8), reason: $0.text(9),
                      claimedBy: $0.optionalText(10), escalation: $0.int(11))
        }
    }

    /// The audit trail, oldest first; of one alarm when `alarm` is given.
    public func audit(alarm code: String? = nil, limit: Int = 200) throws -> [(at: EpochMillis, alarm: String?, actor: String, action: String, detail: String)] {
        let filter = code == nil ? "" : "WHERE a.code = ?"
        return try db.prepare("""
            SELECT * FROM (SELECT t.at, a.code, t.actor, t.action, t.detail, t.id FROM audit t LEFT JOIN alarms a ON a.id = t.alarm_id
            \(filter) ORDER BY t.id DESC LIMIT \(max(1, limit))) ORDER BY id
            """).all(code.map { [.text($0)] } ?? []) { ($0.int64(0), $0.optionalText(1), $0.text(2), $0.text(3), $0.text(4)) }
    }

    public struct Counts: Sendable {
        public var events: Int
        public var openAlarms: Int
        public var alarms: Int
        public var deadLetters: [(reason: String, count: Int)]

    }

    public func counts() throws -> Counts {
        Counts(
            events: Int(try db.scalar("SELECT count(*) FROM events")),
            openAlarms: Int(try db.scalar("SELECT count(*) FROM alarms WHERE state <> 'resolved'")),
            alarms: Int(try db.scalar("SELECT count(*) FROM alarms")),
            deadLetters: try db.prepare("SELECT reason, count(*) FROM dead_letters GROUP BY reason ORDER BY reason").all { ($0.text(0), $0.int(1)) }
        )
    }
}
