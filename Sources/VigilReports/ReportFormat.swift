/// How a report is written out.
public enum ReportFormat: String, CaseIterable, Sendable {
    /// Padded columns for a terminal.
    case table
    /// RFC 4180, one section per table, for a spreadsheet.
    case csv
    /// The report's values, for other programs (and the tests).
    case json
    /// One self-contained page with SVG charts, for a board paper; prints on A4.
    case html
}

/// A titled grid of cells: what every report becomes before it is written as text, CSV or HTML.
public struct ReportTable: Sendable, Equatable {
    public var title: String
    public var header: [String]
    public var rows: [[String]]
    /// Index of a column holding red/amber/green, which HTML colours.
    public var ragColumn: Int?

    public init(title: String, header: [String], rows: [[String]], ragColumn: Int? = nil) {
        self.title = title
        self.header = header
        self.rows = rows
        self.ragColumn = ragColumn
    }
}
