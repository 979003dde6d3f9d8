import CSQLite

/// A prepared statement, reused across executions: bind, step, read columns, reset.
final class Statement {
    let handle: OpaquePointer
    unowned let database: Database
    let sql: String
    /// Result column name → index, built on the first read by name (see `Row`).
    private var columnIndexes: [String: Int32]?

    init(database: Database, sql: String) throws(StoreError) {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(database.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw database.error(rc, "prepare \(sql.prefix(60))") }
        handle = stmt
        self.database = database
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Resets the statement and binds `values` to its parameters in order.
    func bind(_ values: [SQLValue]) throws(StoreError) {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (i, v) in values.enumerated() {
            let index = Int32(i + 1)
            let rc: Int32
            switch v {
            case .null: rc = sqlite3_bind_null(handle, index)
            case .int(let n): rc = sqlite3_bind_int64(handle, index, n)
            case .double(let d): rc = sqlite3_bind_double(handle, index, d)
            case .text(let s): rc = sqlite3_bind_text(handle, index, s, -1, csqlite_transient())
            case .blob(let b):
                rc = b.withUnsafeBytes { raw in
                    sqlite3_bind_blob(handle, index, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(b.count), csqlite_transient())
                }
            }
            guard rc == SQLITE_OK else { throw database.error(rc, "bind \(sql.prefix(60))") }
        }
    }

    /// Advances to the next row. Returns false when there are no more rows.
    @discardableResult
    func step() throws(StoreError) -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let e = database.error(rc, "step \(sql.prefix(60))")
            sqlite3_reset(handle)
            throw e
        }
    }

    /// Binds and runs a statement that returns no rows.
    func run(_ values: [SQLValue]) throws(StoreError) {
        try bind(values)
        try step()
        sqlite3_reset(handle)
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }
    func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

    func text(_ column: Int32) -> String {
        guard let p = sqlite3_column_text(handle, column) else { return "" }
        return String(cString: p)
    }

    func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }
    func optionalInt(_ column: Int32) -> Int? { isNull(column) ? nil : int(column) }

    func blob(_ column: Int32) -> [UInt8] {
        let n = Int(sqlite3_column_bytes(handle, column))
        guard n > 0, let p = sqlite3_column_blob(handle, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: p, count: n))
    }

    /// The index of the result column called `name` (its alias, or the column's own name).
    func columnIndex(_ name: String) throws(StoreError) -> Int32 {
        if columnIndexes == nil {
            var map: [String: Int32] = [:]
            for i in 0..<sqlite3_column_count(handle) {
                if let p = sqlite3_column_name(handle, i) { map[String(cString: p)] = map[String(cString: p)] ?? i }
            }
            columnIndexes = map
        }
        guard let i = columnIndexes?[name] else {
            throw StoreError(code: SQLITE_RANGE, operation: "read \(sql.prefix(60))", message: "the query has no column \(name)")
        }
        return i
    }

    /// Collects every row through `read`, reading columns by name; `table` names them in errors.
    func rows<T>(_ values: [SQLValue] = [], table: String, _ read: (Row) throws -> T) throws -> [T] {
        try all(values) { try read(Row(statement: $0, table: table)) }
    }

    /// Collects every row through `read`.
    func all<T>(_ values: [SQLValue] = [], _ read: (Statement) throws -> T) throws -> [T] {
        try bind(values)
        var rows: [T] = []
        while try step() { rows.append(try read(self)) }
        sqlite3_reset(handle)
        return rows
    }
}
