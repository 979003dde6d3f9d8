import CSQLite

extension Statement {
    /// The bytes of a text cell without making a String: for scans over hundreds of thousands of
    /// rows whose text columns hold a handful of distinct values. Nil for NULL.
    func withUTF8<R>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        guard let p = sqlite3_column_text(handle, column) else { return body(nil) }
        return body(UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, column))))
    }

    /// Binds `values` and calls `body` on every row, then resets.
    func forEachRow(_ values: [SQLValue], _ body: (Statement) throws -> Void) throws {
        try bind(values)
        defer { sqlite3_reset(handle) }
        while try step() { try body(self) }
    }
}

/// Gives each distinct text value of a column a small integer, hashing the cell's bytes so that a
/// String is made only once per distinct value.
final class TextInterner {
    private(set) var names: [String] = []
    private var bytes: [[UInt8]] = []
    private var byHash: [UInt64: [Int]] = [:]

    /// -1 for NULL.
    func id(_ s: Statement, _ column: Int32) -> Int {
        s.withUTF8(column) { buffer in
            guard let buffer else { return -1 }
            var h: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
            for b in buffer { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            if let candidates = byHash[h] {
                for i in candidates where bytes[i].elementsEqual(buffer) { return i }
            }
            let i = names.count
            names.append(String(decoding: buffer, as: UTF8.self))
            bytes.append(Array(buffer))
            byHash[h, default: []].append(i)
            return i
        }
    }
}
