import VigilCore

/// Webhook calls decided and not yet settled (docs/design.md, "Webhooks"). The engine adds a call in
/// the transaction of the escalation step that decided it and settles it in the transaction that
/// records its delivery (or its giving up); whatever is still here when the daemon starts was never
/// settled — the daemon stopped, crashed or lost power first — and is sent again. A call can so
/// arrive twice (delivered, then the power went before the delivery was recorded), never not at all;
/// Alertmanager receivers already take repeats of one alert, grouped by its `groupKey`.
public struct WebhookOutbox {
    let db: Database
    private let insert: Statement
    private let delete: Statement

    /// One call not yet settled, and the alarm it is about.
    public struct Entry: Sendable, Equatable {
        public var id: Int64
        public var alarmID: Int64
        public var alarmCode: String
        public var webhook: String
        public var why: String
        public var body: [UInt8]
        public var queuedAt: EpochMillis
    }

    public init(_ db: Database) throws(StoreError) {
        self.db = db
        insert = try db.prepare("INSERT INTO webhook_outbox(alarm_id, webhook, why, body, queued_at) VALUES (?1, ?2, ?3, ?4, ?5)")
        delete = try db.prepare("DELETE FROM webhook_outbox WHERE id = ?")
    }

    /// Keeps a call until it is settled; returns its id.
    public func add(alarm: Int64, webhook: String, why: String, body: [UInt8], at: EpochMillis) throws(StoreError) -> Int64 {
        try insert.run([.int(alarm), .text(webhook), .text(why), .blob(body), .int(at)])
        return db.lastInsertRowID
    }

    /// The call is done with: delivered, given up or refused (a second settle changes nothing).
    public func settle(_ id: Int64) throws(StoreError) {
        try delete.run([.int(id)])
    }

    /// Every call not yet settled, oldest first.
    public func pending() throws(StoreError) -> [Entry] {
        try NoticeStore.typed("read the webhook outbox") { try db.prepare("""
            SELECT o.id, o.alarm_id, a.code, o.webhook, o.why, o.body, o.queued_at
            FROM webhook_outbox o JOIN alarms a ON a.id = o.alarm_id ORDER BY o.id
            """).rows(table: "webhook_outbox") { r in
            Entry(id: try r.int64("id"), alarmID: try r.int64("alarm_id"), alarmCode: try r.text("code"), webhook: try r.text("webhook"),
                  why: try r.text("why"), body: try r.blob("body"), queuedAt: try r.int64("queued_at"))
        } }
    }
}

extension WebhookOutbox {
    /// On the daemon's connection, so its writes fall inside the batch transaction.
    public init(_ store: IngestStore) throws(StoreError) { try self.init(store.db) }
}
