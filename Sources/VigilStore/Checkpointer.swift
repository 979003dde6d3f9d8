/// Moves WAL pages into the main database from its own connection, so that no device's commit
/// waits for a checkpoint (the ingest connection has automatic checkpoints off).
public final class Checkpointer {
    let db: Database

    public init(path: String) throws(StoreError) {
        db = try Database(path: path)
    }

    /// A PASSIVE checkpoint never blocks the writer; it copies what readers allow.
    public func checkpoint() throws(StoreError) {
        try db.execute("PRAGMA wal_checkpoint(PASSIVE)")
    }

    /// At shutdown: copy everything and shrink the WAL to nothing.
    public func truncate() throws(StoreError) {
        try db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }
}
