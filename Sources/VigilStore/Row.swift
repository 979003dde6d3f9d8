/// The current row of a statement, read by column name: a query can gain or reorder columns without
/// every reader's positions shifting. Indexes are looked up once per statement (`columnIndex`).
///
/// A stored value that maps to a VigilCore enum goes through `decode`: a value this version does not
/// know is a thrown `StoreError` naming the table, column and value, never a default.
struct Row {
    let statement: Statement
    /// The table the columns come from, for error messages (the main table of a join).
    let table: String

    private func index(_ column: String) throws(StoreError) -> Int32 { try statement.columnIndex(column) }

    func isNull(_ column: String) throws(StoreError) -> Bool { statement.isNull(try index(column)) }
    func text(_ column: String) throws(StoreError) -> String { statement.text(try index(column)) }
    func optionalText(_ column: String) throws(StoreError) -> String? { statement.optionalText(try index(column)) }
    func int(_ column: String) throws(StoreError) -> Int { statement.int(try index(column)) }
    func optionalInt(_ column: String) throws(StoreError) -> Int? { statement.optionalInt(try index(column)) }
    func int64(_ column: String) throws(StoreError) -> Int64 { statement.int64(try index(column)) }
    func optionalInt64(_ column: String) throws(StoreError) -> Int64? {
        let i = try index(column)
        return statement.isNull(i) ? nil : statement.int64(i)
    }
    func double(_ column: String) throws(StoreError) -> Double { statement.double(try index(column)) }
    func bool(_ column: String) throws(StoreError) -> Bool { statement.int(try index(column)) != 0 }
    func blob(_ column: String) throws(StoreError) -> [UInt8] { statement.blob(try index(column)) }

    /// The column's text as `T`; throws for a value `T` has no case for.
    func decode<T: RawRepresentable>(_ column: String, as type: T.Type = T.self) throws(StoreError) -> T where T.RawValue == String {
        let raw = try text(column)
        guard let value = T(rawValue: raw) else { throw unknown(column, "'\(raw)'") }
        return value
    }

    /// As `decode`, with NULL read as nil.
    func decodeOptional<T: RawRepresentable>(_ column: String, as type: T.Type = T.self) throws(StoreError) -> T? where T.RawValue == String {
        try isNull(column) ? nil : try decode(column, as: type)
    }

    /// The column's integer as `T` (a priority); throws for a value `T` has no case for.
    func decode<T: RawRepresentable>(_ column: String, as type: T.Type = T.self) throws(StoreError) -> T where T.RawValue == Int {
        let raw = try int(column)
        guard let value = T(rawValue: raw) else { throw unknown(column, "\(raw)") }
        return value
    }

    func unknown(_ column: String, _ value: String) -> StoreError {
        StoreError.unknownValue(table: table, column: column, value: value)
    }
}

extension StoreError {
    /// A stored value that this version of Vigil has no meaning for (written by a newer version, or
    /// by hand). SQLite's own code for "a value of the wrong kind": SQLITE_MISMATCH.
    static func unknownValue(table: String, column: String, value: String) -> StoreError {
        StoreError(code: 20, operation: "read \(table).\(column)",
                   message: "\(table).\(column) holds \(value), which this version of Vigil does not know")
    }
}
