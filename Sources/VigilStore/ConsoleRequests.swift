import VigilCore

/// The request ids of console commands already carried out, per operator (docs/design.md, "Console
/// commands are carried out once"). Written in the same transaction as the command's own writes, so
/// a command the broker redelivers after a crash, or a console resends, finds its id and is refused.
public final class ConsoleRequests {
    let db: Database
    private let find: Statement
    private let insert: Statement
    private let prune: Statement

    /// How long an id is remembered. A broker redelivers an unacknowledged command on the daemon's
    /// next connection, which is minutes away, not days; a week covers a long outage with room to spare,
    /// and at the pace people type it is a few thousand small rows.
    public static let keepMillis: EpochMillis = 7 * 86_400_000

    public init(_ db: Database) throws(StoreError) {
        self.db = db
        find = try db.prepare("SELECT at FROM console_requests WHERE operator_id = ? AND request = ?")
        insert = try db.prepare("INSERT INTO console_requests(operator_id, request, at) VALUES (?, ?, ?)")
        prune = try db.prepare("DELETE FROM console_requests WHERE at < ?")
    }

    public convenience init(_ store: IngestStore) throws(StoreError) { try self.init(store.db) }

    /// When this operator's request was carried out, or nil if it has not been (within the window).
    public func executed(operator op: String, request: String) throws(StoreError) -> EpochMillis? {
        try find.bind([.text(op), .text(request)])
        defer { try? find.bind([]) }
        guard try find.step() else { return nil }
        return find.int64(0)
    }

    /// Remembers a request as carried out, and forgets those older than `keepMillis`.
    public func remember(operator op: String, request: String, at now: EpochMillis) throws(StoreError) {
        try prune.run([.int(now - Self.keepMillis)])
        try insert.run([.text(op), .text(request), .int(now)])
    }
}
