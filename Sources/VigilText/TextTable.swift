/// The one way Vigil lays text out in columns: the CLI listings, the text reports, the chaos report and
/// the console's queue. Widths are terminal columns (`DisplayWidth`), not characters, so a person
/// called "李小龍" or "Zoë 👋" keeps every column after their name in line.
///
/// Two ways to size the columns, one way to pad them:
/// - `render(_:)` makes each column as wide as its widest cell (a listing printed once);
/// - `line(_:widths:)` and `cells(_:widths:)` fit cells to widths the caller chose (a screen of a
///   fixed size), cutting a cell that is too long with an ellipsis.
public struct TextTable: Sendable {
    public enum Alignment: Sendable {
        case left
        /// Numbers line up on their last digit.
        case right
    }

    public struct Column: Sendable {
        public var title: String
        public var alignment: Alignment

        public init(_ title: String, _ alignment: Alignment = .left) {
            self.title = title
            self.alignment = alignment
        }
    }

    public var columns: [Column]
    /// Between two columns.
    public var separator: String

    public init(_ columns: [Column], separator: String = "  ") {
        self.columns = columns
        self.separator = separator
    }

    /// Left-aligned columns with these titles.
    public init(header: [String], separator: String = "  ") {
        self.init(header.map { Column($0) }, separator: separator)
    }

    /// Each column as wide as its widest cell, the title included. A row with more cells than there are
    /// columns widens the table rather than losing its cells.
    public func widths(for rows: [[String]], includingHeader: Bool = true) -> [Int] {
        var widths = columns.map { includingHeader ? DisplayWidth.of($0.title) : 0 }
        for row in rows {
            for (i, cell) in row.enumerated() {
                if i == widths.count { widths.append(0) }
                widths[i] = max(widths[i], DisplayWidth.of(cell))
            }
        }
        return widths
    }

    /// The whole table: a header line (unless `header` is false), a dashed rule under it if asked, then
    /// the rows. No line ends in blanks: the last column is not padded when it is left-aligned.
    public func render(_ rows: [[String]], header: Bool = true, rule: Bool = false) -> String {
        let widths = widths(for: rows, includingHeader: header)
        var lines: [String] = []
        if header {
            lines.append(trimmed(columns.map(\.title), widths: widths))
            if rule {
                let total = widths.reduce(0, +) + DisplayWidth.of(separator) * max(0, widths.count - 1)
                lines.append(String(repeating: "-", count: total))
            }
        }
        lines += rows.map { trimmed($0, widths: widths) }
        return lines.joined(separator: "\n")
    }

    /// A listing with a header of left-aligned columns, sized to fit: what most commands print.
    public static func render(header: [String], rows: [[String]]) -> String {
        TextTable(header: header).render(rows)
    }

    /// The cells fitted to exactly `widths` (cut with an ellipsis when too long), still separate so a
    /// caller can put a style between them. A cell without a width is left as it is.
    public func cells(_ cells: [String], widths: [Int]) -> [String] {
        cells.enumerated().map { i, cell in
            guard i < widths.count else { return cell }
            return Self.fit(cell, widths[i], alignment(i))
        }
    }

    /// One line of cells fitted to exactly `widths`: a screen's header or row.
    public func line(_ cells: [String], widths: [Int]) -> String {
        self.cells(cells, widths: widths).joined(separator: separator)
    }

    /// The titles as a line fitted to `widths`.
    public func headerLine(widths: [Int]) -> String {
        line(columns.map(\.title), widths: widths)
    }

    /// `s` padded (or cut) to `width` columns, on the side `alignment` says.
    public static func fit(_ s: String, _ width: Int, _ alignment: Alignment = .left) -> String {
        switch alignment {
        case .left:
            return DisplayWidth.fit(s, width)
        case .right:
            let w = DisplayWidth.of(s)
            return w >= width ? DisplayWidth.fit(s, width) : String(repeating: " ", count: width - w) + s
        }
    }

    private func alignment(_ i: Int) -> Alignment { i < columns.count ? columns[i].alignment : .left }

    /// A content-sized line with no blanks at its end (an empty last cell leaves none either).
    private func trimmed(_ cells: [String], widths: [Int]) -> String {
        var line = cells.enumerated().map { i, cell in
            i == cells.count - 1 && alignment(i) == .left ? cell : Self.fit(cell, widths[i], alignment(i))
        }.joined(separator: separator)
        while line.last == " " { line.removeLast() }
        return line
    }
}
