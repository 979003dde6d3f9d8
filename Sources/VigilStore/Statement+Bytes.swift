import CSQLite
import Foundation

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
    private var byHash: [UInt64: Int] = [:]

    /// -1 for NULL.
    func id(_ s: Statement, _ column: Int32) -> Int {
        s.withUTF8(column) { buffer in
            guard let buffer else { return -1 }
            var h: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
            for b in buffer { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            if let i = byHash[h], same(i, buffer) { return i }
            // A hash collision between two distinct values is astronomically rare: search them all.
            if let i = bytes.indices.first(where: { same($0, buffer) }) { return i }
            let i = names.count
            names.append(String(decoding: buffer, as: UTF8.self))
            bytes.append(Array(buffer))
            if byHash[h] == nil { byHash[h] = i }
            return i
        }
    }

    private func same(_ i: Int, _ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes[i].count == buffer.count else { return false }
        guard !buffer.isEmpty else { return true }
        return bytes[i].withUnsafeBufferPointer { memcmp($0.baseAddress!, buffer.baseAddress!, buffer.count) == 0 }
    }
}
