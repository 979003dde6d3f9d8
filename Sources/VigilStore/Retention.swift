import VigilCore

/// Retention: raw events and dead letters older than a cutoff are deleted, in short transactions.
///
/// Kept whatever their age: events attached to an alarm (the operator's detail view and the alarm's
/// evidence read them), and everything that is not a raw message: alarms, audit, caseload, surveys,
/// alarm history. No report reads the events table (they read alarms and alarm_history), so pruning
/// changes no report. docs/design.md, "Retention".
public struct Retention {
    let db: Database
    /// Rows per transaction: each slice holds the write lock for one short DELETE, so the ingest
    /// commit waits at most that long (busy_timeout) rather than for the whole prune.
    public static let sliceRows = 2_000

    public struct Progress: Sendable, Equatable {
        public var events = 0
        public var deadLetters = 0
        /// False while rows older than the cutoff remain.
        public var finished = false
        var eventCursor: Int64 = 0
        var deadLetterCursor: Int64 = 0
        public init() {}
    }

    public init(_ db: Database) { self.db = db }

    /// Deletes one slice (at most `sliceRows` events, then dead letters) older than `cutoff`.
    /// Call again with the returned progress until `finished`; the caller yields in between.
    public func pruneSlice(before cutoff: EpochMillis, _ progress: inout Progress) throws(StoreError) {
        if let (deleted, top) = try slice(Self.events, after: progress.eventCursor, before: cutoff) {
            progress.events += deleted
            progress.eventCursor = top
        } else if let (deleted, top) = try slice(Self.deadLetters, after: progress.deadLetterCursor, before: cutoff) {
            progress.deadLetters += deleted
            progress.deadLetterCursor = top
        } else {
            progress.finished = true
        }
    }

    /// The SQL of one table's slice: find the slice's last key, then delete up to it.
    struct Table {
        var top: String
        var delete: String
    }

    // A cursor on the primary key: each slice starts where the last stopped, so the kept
    // (alarm-attached) events at the front of the table are not scanned again.
    static let events = Table(
        top: "SELECT coalesce(max(seq), 0) FROM (SELECT seq FROM events WHERE seq > ? AND received_at < ? ORDER BY seq LIMIT ?)",
        delete: "DELETE FROM events WHERE seq > ? AND seq <= ? AND received_at < ? AND alarm_id IS NULL")
    static let deadLetters = Table(
        top: "SELECT coalesce(max(id), 0) FROM (SELECT id FROM dead_letters WHERE id > ? AND received_at < ? ORDER BY id LIMIT ?)",
        delete: "DELETE FROM dead_letters WHERE id > ? AND id <= ? AND received_at < ?")

    /// One transaction: rows deleted and the slice's last key, or nil when nothing older is left.
    private func slice(_ table: Table, after cursor: Int64, before cutoff: EpochMillis) throws(StoreError) -> (Int, Int64)? {
        try db.transaction({ () throws(StoreError) -> (Int, Int64)? in
            let top = try db.scalar(table.top, [.int(cursor), .int(cutoff), .int(Int64(Self.sliceRows))])
            guard top > 0 else { return nil }
            try db.prepare(table.delete).run([.int(cursor), .int(top), .int(cutoff)])
            return (db.changes, top)
        }, wrap: { $0 })
    }
}
