import Foundation

/// RFC 4180 CSV, one table per file: a header line and rows, nothing else, so a spreadsheet or
/// Power BI reads it as it is. A report with several tables is written one file per table.
public enum CSVRenderer {
    public static func render(_ t: ReportTable) -> String {
        ([t.header] + t.rows).map { $0.map(quote).joined(separator: ",") + "\r\n" }.joined()
    }

    /// Quotes a field when it holds a comma, quote or line break; doubles its quotes.
    static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
