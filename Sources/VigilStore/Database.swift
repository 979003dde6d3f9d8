import CSQLite

/// One SQLite connection. Not thread-safe: each thread that needs the database opens its own.
/// Outside VigilStore it is an opaque handle, opened and passed to the store types: SQL stays here.
public final class Database {
    let handle: OpaquePointer
    public let path: String

    public enum Mode: Sendable {
        case readWrite, readOnly
    }

    public init(path: String, mode: Mode = .readWrite) throws(StoreError) {
        var db: OpaquePointer?
        let flags = (mode == .readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let db { sqlite3_close_v2(db) }
            throw StoreError(code: rc, operation: "open \(path)", message: message)
        }
        handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
        // Other processes (the CLI, the checkpointer, reports) share the file: wait for their locks.
        sqlite3_busy_timeout(db, 5_000)
        try execute("PRAGMA foreign_keys = ON")
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    func error(_ rc: Int32, _ operation: String) -> StoreError {
        StoreError(code: rc, operation: operation, message: String(cString: sqlite3_errmsg(handle)))
    }

    /// Runs one or more statements that return no rows.
    func execute(_ sql: String) throws(StoreError) {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(message)
            throw StoreError(code: rc, operation: String(sql.prefix(60)), message: text)
        }
    }

    func prepare(_ sql: String) throws(StoreError) -> Statement {
        try Statement(database: self, sql: sql)
    }

    /// Pages this connection has written out of its cache since it opened: in WAL mode, the frames it
    /// appended to the log (a checkpoint's copying is not counted).
    var pagesWritten: Int64 {
        var current: Int32 = 0, highwater: Int32 = 0
        guard sqlite3_db_status(handle, SQLITE_DBSTATUS_CACHE_WRITE, &current, &highwater, 0) == SQLITE_OK else { return 0 }
        return Int64(current)
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE on this connection.
    var changes: Int { Int(sqlite3_changes(handle)) }
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Runs `body` in an IMMEDIATE transaction: commits when it returns, rolls back when it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try transaction(body, wrap: { $0 })
    }

    /// The one implementation of a write transaction, generic over the body's error so that callers
    /// with typed throws (the migrations) keep them; `wrap` turns SQLite's own failures into `E`.
    /// IMMEDIATE takes the write lock at BEGIN, so a busy file waits (busy_timeout) there rather than
    /// failing at the first write with SQLITE_BUSY.
    func transaction<T, E: Error>(_ body: () throws(E) -> T, wrap: (StoreError) -> E) throws(E) -> T {
        do throws(StoreError) { try begin() } catch { throw wrap(error) }
        do throws(E) {
            let value = try body()
            do throws(StoreError) { try commit() } catch { throw wrap(error) }
            return value
        } catch {
            rollback()
            throw error
        }
    }

    /// The statements of a transaction, for a caller that spans it across calls (the ingest loop's
    /// batch). Everything else uses `transaction`.
    func begin() throws(StoreError) { try execute("BEGIN IMMEDIATE") }
    func commit() throws(StoreError) { try execute("COMMIT") }
    func rollback() { try? execute("ROLLBACK") }

    /// Copies the write-ahead log into the database file and truncates the log to zero bytes. Waits
    /// for readers (busy_timeout); a reader still holding an old snapshot leaves the log in place.
    public func checkpoint() throws(StoreError) { try execute("PRAGMA wal_checkpoint(TRUNCATE)") }

    /// Reads one integer (e.g. a COUNT) from a query.
    func scalar(_ sql: String, _ values: [SQLValue] = []) throws(StoreError) -> Int64 {
        let s = try prepare(sql)
        try s.bind(values)
        guard try s.step() else { return 0 }
        return s.int64(0)
    }
}

/// A value to bind to a statement parameter.
enum SQLValue: Sendable, Equatable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
    case blob([UInt8])
}
