import VigilCore

/// Reads typed cells from an import row, throwing a sentence that names the column and the value.
struct RowReader {
    let row: ImportRow

    struct Problem: Error {
        var message: String
    }

    /// The trimmed cell, or nil when the column is absent or the cell is empty.
    func optional(_ column: String) -> String? {
        guard let raw = row.fields[column] else { return nil }
        let v = raw.trimmingSpaces
        return v.isEmpty ? nil : v
    }

    func required(_ column: String) throws(Problem) -> String {
        guard let v = optional(column) else { throw Problem(message: "\(column) is empty") }
        return v
    }

    func day(_ column: String, required isRequired: Bool) throws(Problem) -> Day? {
        guard let text = isRequired ? try required(column) : optional(column) else { return nil }
        guard let day = Day(iso: text) else { throw Problem(message: "\(column) '\(text)' is not a date (YYYY-MM-DD)") }
        return day
    }

    func int(_ column: String, in range: ClosedRange<Int>, required isRequired: Bool) throws(Problem) -> Int? {
        guard let text = isRequired ? try required(column) : optional(column) else { return nil }
        guard let n = Int(text), range.contains(n) else {
            throw Problem(message: "\(column) '\(text)' is not a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return n
    }

    func choice<T: RawRepresentable & CaseIterable>(_ column: String, _ type: T.Type, required isRequired: Bool) throws(Problem) -> T?
    where T.RawValue == String {
        guard let text = isRequired ? try required(column) : optional(column) else { return nil }
        guard let value = T(rawValue: text) else {
            throw Problem(message: "\(column) '\(text)' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}

/// Collects every problem of one row, so that a person fixes the row once rather than once per
/// column: "name is empty; area '9' is not a whole number from 1 to 8".
final class FieldProblems {
    private(set) var messages: [String] = []

    func read<T>(_ body: () throws -> T?) throws -> T? {
        do { return try body() } catch let p as RowReader.Problem {
            messages.append(p.message)
            return nil
        }
    }

    func add(_ message: String) { messages.append(message) }

    func check() throws(RowReader.Problem) {
        if !messages.isEmpty { throw RowReader.Problem(message: messages.joined(separator: "; ")) }
    }
}
