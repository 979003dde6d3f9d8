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
        let reader: CSVReader
        do { reader = try CSVReader(string: text, hasHeaderRow: true, trimFields: true) } catch {
            throw ReadError(description: "\(path) is not a CSV file with a header line: \(error)")
        }
        // Spreadsheets often save a byte-order mark before the first column name.
        let header = (reader.headerRow ?? []).map {
            $0.replacingOccurrences(of: "\u{FEFF}", with: "").trimmingCharacters(in: .whitespaces).lowercased()
        }
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

    /// Line breaks inside a cell ("\r\n" is one Character, so count scalars).
    static func newlines(_ cell: String) -> Int { cell.unicodeScalars.count(where: { $0 == "\n" }) }
}

