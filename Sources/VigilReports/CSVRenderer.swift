import Foundation

/// RFC 4180 CSV. Several tables are separated by a blank line and a `# title` line, which
/// spreadsheets show as a row of its own.
public enum CSVRenderer {
    public static func render(_ tables: [ReportTable]) -> String {
        if tables.count == 1 { return body(tables[0]) }
        return tables.map { "# \($0.title)\r\n" + body($0) }.joined(separator: "\r\n")
    }

    static func body(_ t: ReportTable) -> String {
        ([t.header] + t.rows).map { $0.map(quote).joined(separator: ",") + "\r\n" }.joined()
    }

    /// Quotes a field when it holds a comma, quote or line break; doubles its quotes.
    static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
