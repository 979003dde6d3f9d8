/// How a report is written out.
public enum ReportFormat: String, CaseIterable, Sendable {
    /// Padded columns for a terminal.
    case table
    /// RFC 4180, one table per file, for a spreadsheet or Power BI (`--table`, `--out`).
    case csv
    /// The report's values, for other programs (and the tests).
    case json
    /// One self-contained page with SVG charts, for a board paper; prints on A4.
    case html
}

/// A titled grid of cells: what every report becomes before it is written as text, CSV or HTML.
public struct ReportTable: Sendable, Equatable {
    /// A stable short name (`caseload`, `outcomes`): what `--table` picks and `--out` names a file.
    public var name: String
    public var title: String
    /// Stable: no dates or settings in a column name, so a spreadsheet's formulas keep working.
    public var header: [String]
    public var rows: [[String]]
    /// Index of a column holding red/amber/green, which HTML colours.
    public var ragColumn: Int?
    /// Definitions written under the table (the day convention, what a column leaves out).
    public var notes: [String]

    public init(name: String = "table", title: String, header: [String], rows: [[String]], ragColumn: Int? = nil, notes: [String] = []) {
        self.name = name
        self.title = title
        self.header = header
        self.rows = rows
        self.ragColumn = ragColumn
        self.notes = notes
    }
}
