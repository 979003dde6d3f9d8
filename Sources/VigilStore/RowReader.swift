import Foundation
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
        guard let day = Self.parseDay(text) else { throw Problem(message: "\(column) '\(text)' is not a date (YYYY-MM-DD or DD/MM/YYYY)") }
        return day
    }

    /// ISO (2017-03-14) or the UK's day-first form (14/03/2017, 4/3/2017), which UK exports use.
    /// Never month-first: 03/04/2017 is the 3rd of April.
    static func parseDay(_ text: String) -> Day? {
        if let iso = Day(iso: text) { return iso }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, (1...2).contains(parts[0].count), (1...2).contains(parts[1].count), parts[2].count == 4,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let d = Int(parts[0]), let m = Int(parts[1]), let y = Int(parts[2]) else { return nil }
        return Day(year: y, month: m, day: d)
    }

    /// A moment: a date as `parseDay` reads it, a space or `T`, then HH:MM or HH:MM:SS (a fraction of a
    /// second is allowed), optionally `Z` or an offset (+01:00). Without one it is the service's local
    /// time in `zone`, as exports from UK systems write it; a time in the hour the clocks go back is
    /// read as the second of the two moments it names (after the change), a time the clocks skip as
    /// the moment an hour later.
    static func parseInstant(_ text: String, zone: TimeZone) -> EpochMillis? {
        let parts = text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == " " || $0 == "T" })
        guard parts.count == 2, let day = parseDay(String(parts[0])) else { return nil }
        var time = Substring(parts[1]), offsetSeconds: Int?
        if time.hasSuffix("Z") {
            offsetSeconds = 0
            time = time.dropLast()
        } else if let sign = time.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let hm = time[time.index(after: sign)...].split(separator: ":")
            guard hm.count == 2, hm.allSatisfy({ $0.count == 2 }), let h = Int(hm[0]), let m = Int(hm[1]), h <= 14, m < 60 else { return nil }
            offsetSeconds = (time[sign] == "-" ? -1 : 1) * (h * 3600 + m * 60)
            time = time[..<sign]
        }
        let fields = time.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(fields.count), fields[0].count <= 2, fields[1].count == 2,
              let h = Int(fields[0]), let m = Int(fields[1]), h < 24, m < 60 else { return nil }
        var millis = 0
        if fields.count == 3 {
            let sec = fields[2].split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            guard sec[0].count == 2, let s = Int(sec[0]), s < 60 else { return nil }
            millis = s * 1000
            if sec.count == 2 {
                guard !sec[1].isEmpty, sec[1].allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
                millis += Int(String(sec[1].prefix(3)).padding(toLength: 3, withPad: "0", startingAt: 0))!
            }
        }
        guard fields.allSatisfy({ $0.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") } }) else { return nil }
        let wall = day.startMillis + EpochMillis((h * 3600 + m * 60) * 1000 + millis)
        if let offsetSeconds { return wall - EpochMillis(offsetSeconds) * 1000 }
        func offset(at ms: EpochMillis) -> EpochMillis { EpochMillis(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(ms) / 1000))) * 1000 }
        let guess = wall - offset(at: wall)
        return wall - offset(at: guess)
    }

    func instant(_ column: String, zone: TimeZone, required isRequired: Bool) throws(Problem) -> EpochMillis? {
        guard let text = isRequired ? try required(column) : optional(column) else { return nil }
        guard let at = Self.parseInstant(text, zone: zone) else {
            throw Problem(message: "\(column) '\(text)' is not a date and time (YYYY-MM-DD HH:MM[:SS] or DD/MM/YYYY HH:MM[:SS], local time unless it ends in Z or an offset such as +01:00)")
        }
        return at
    }

    /// A code in any case: `Dementia`, `LTC`, `Council`.
    static func code<T: RawRepresentable & CaseIterable>(_ text: String, _ type: T.Type) -> T? where T.RawValue == String {
        T(rawValue: text) ?? T.allCases.first { $0.rawValue.lowercased() == text.lowercased() }
    }

    /// A UK telephone number: 0 and 9 or 10 more digits, or +44 and 9 or 10 digits; spaces, dashes,
    /// dots and brackets allowed. A number that lost its leading zero (a spreadsheet read it as a
    /// number) is refused with the number it most likely was. Stored as written.
    func phone(_ column: String) throws(Problem) -> String {
        let text = try required(column)
        if let problem = UKPhone.problem(text) { throw Problem(message: "\(column) '\(text)' \(problem)") }
        return text
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
        guard let value = Self.code(text, T.self) else {
            throw Problem(message: "\(column) '\(text)' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}

/// The dates people type and exports hold: ISO or DD/MM/YYYY.
public enum ImportDates {
    public static func day(_ text: String) -> Day? { RowReader.parseDay(text.trimmingSpaces) }
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

/// UK telephone numbers as a responder list holds them (Ofcom's national numbering: a leading 0
/// and 9 or 10 further digits; +44 replaces the 0).
enum UKPhone {
    static func problem(_ text: String) -> String? {
        let allowed = Set(" -.()")
        var rest = Substring(text)
        var international = false
        if rest.hasPrefix("+") { international = true; rest = rest.dropFirst() }
        guard rest.allSatisfy({ ($0.isASCII && $0.isNumber) || allowed.contains($0) }) else {
            return "is not a UK phone number: use digits, spaces and + only, like 07700 900123 or +44 7700 900123"
        }
        var digits = String(rest.filter { $0.isNumber })
        if !international, digits.hasPrefix("0044") { international = true; digits.removeFirst(2) }
        if international {
            guard digits.hasPrefix("44") else { return "is not a UK number (+44): responders' numbers are UK numbers" }
            var national = digits.dropFirst(2)
            if national.hasPrefix("0") { national = national.dropFirst() }  // +44 (0)113 …
            return (9...10).contains(national.count) ? nil : "has \(national.count) digits after +44; a UK number has 9 or 10"
        }
        if digits.hasPrefix("0") {
            return (10...11).contains(digits.count) ? nil : "has \(digits.count) digits; a UK number has 10 or 11, starting with 0"
        }
        if digits.hasPrefix("44"), (11...12).contains(digits.count) {
            return "looks like an international number without its +: write +\(digits)"
        }
        if (9...10).contains(digits.count) {
            return "has lost its leading zero (a spreadsheet stored it as a number): write 0\(digits), and format the column as text"
        }
        return "is not a UK phone number (like 0113 496 0000, 07700 900123 or +44 7700 900123)"
    }
}
