/// Plain text: each table under its title, columns padded to their widest cell.
public enum TextRenderer {
    public static func render(_ tables: [ReportTable]) -> String {
        tables.map(render).joined(separator: "\n\n") + "\n"
    }

    static func render(_ t: ReportTable) -> String {
        var widths = t.header.map(\.count)
        for row in t.rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                i == cells.count - 1 ? c : c + String(repeating: " ", count: max(0, widths[i] - c.count))
            }.joined(separator: "  ")
        }
        let rule = String(repeating: "-", count: widths.reduce(0, +) + 2 * max(0, widths.count - 1))
        return ([t.title, line(t.header), rule] + t.rows.map(line)).joined(separator: "\n")
    }
}
