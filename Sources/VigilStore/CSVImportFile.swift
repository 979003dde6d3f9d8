import CSV
import Foundation

/// Reads a whole CSV file: header and rows, each with the line it starts on.
public enum CSVImportFile {
    public struct ReadError: Error, CustomStringConvertible {
        public var description: String
    }

    public static func read(_ path: String) throws(ReadError) -> (header: [String], rows: [ImportRow]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReadError(description: "Cannot read \(path): no such file, or not readable.")
        }
        // Read whole (import files are a few MB at most): the library's stream reader reports the
        // end of a file as a read error on Linux, which would hide real ones.
        guard let text = String(data: data, encoding: .utf8) else {
            throw ReadError(description: "\(path) is not UTF-8 text: save it from the spreadsheet as \"CSV UTF-8\".")
        }
        if let line = unclosedQuote(text) {
            throw ReadError(description: "\(path) line \(line): a quoted value starts here and is never closed (a \" is missing); nothing was imported.")
        }
        let reader: CSVReader
        do { reader = try CSVReader(string: text, hasHeaderRow: true, trimFields: true) } catch {
            throw ReadError(description: "\(path) is not a CSV file with a header line: \(error)")
        }
        let header = (reader.headerRow ?? []).map(columnName)
        // A quoted cell may hold line breaks, so the next row starts after all of them.
        var line = 2 + (reader.headerRow ?? []).reduce(0) { $0 + newlines($1) }
        var rows: [ImportRow] = []
        while let cells = reader.next() {
            defer { line += 1 + cells.reduce(0) { $0 + newlines($1) } }
            if cells.allSatisfy(\.isEmpty) { continue }
            var fields: [String: String] = [:]
            for (i, name) in header.enumerated() where i < cells.count { fields[name] = cells[i] }
            var row = ImportRow(line: line, fields: fields)
            if cells.count > header.count, cells[header.count...].contains(where: { !$0.isEmpty }) {
                row.problem = "has \(cells.count) cells but the header names \(header.count) columns (a comma inside a value needs quotes)"
            }
            rows.append(row)
        }
        if let error = reader.error { throw ReadError(description: "\(path) line \(line): \(error)") }
        return (header, rows)
    }

    /// A column as a spreadsheet may write it — `Start Date`, `START_DATE`, ` start date ` — read as
    /// Vigil's `start_date`. Spreadsheets often save a byte-order mark before the first name.
    static func columnName(_ raw: String) -> String {
        let words = raw.replacingOccurrences(of: "\u{FEFF}", with: "").lowercased()
            .split(whereSeparator: { $0 == " " || $0 == "_" || $0 == "\t" })
        return words.joined(separator: "_")
    }

    /// The line on which a quoted cell opens and never closes, if one does. The CSV reader would
    /// otherwise swallow the rest of the file into that cell and report a later, wrong problem.
    static func unclosedQuote(_ text: String) -> Int? {
        var line = 1, openedOn = 0, inQuotes = false, atFieldStart = true, pendingQuote = false
        for u in text.unicodeScalars {
            if inQuotes {
                if pendingQuote {
                    pendingQuote = false
                    if u == "\"" { continue }  // "" inside quotes is one quote
                    inQuotes = false
                } else if u == "\"" {
                    pendingQuote = true
                    continue
                }
            }
            if inQuotes {
                if u == "\n" { line += 1 }
                continue
            }
            switch u {
            case "\"" where atFieldStart: inQuotes = true; openedOn = line; atFieldStart = false
            case ",": atFieldStart = true
            case "\n": line += 1; atFieldStart = true
            case " ", "\t", "\r": break  // trimmed cells may have spaces before the quote
            default: atFieldStart = false
            }
        }
        return inQuotes && !pendingQuote ? openedOn : nil
    }

    /// Line breaks inside a cell ("\r\n" is one Character, so count scalars).
    static func newlines(_ cell: String) -> Int { cell.unicodeScalars.count(where: { $0 == "\n" }) }
}

