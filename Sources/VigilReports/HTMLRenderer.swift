import Foundation

/// One self-contained HTML page: inline CSS and SVG, nothing fetched, A4-friendly when printed.
public enum HTMLRenderer {
    public struct Section: Sendable {
        public var chart: String?
        public var tables: [ReportTable]
        public init(chart: String?, tables: [ReportTable]) {
            self.chart = chart
            self.tables = tables
        }
    }

    public static func page(title: String, subtitle: String, sections: [Section]) -> String {
        var body = "<h1>\(SVGChart.esc(title))</h1>\n<p class=\"sub\">\(SVGChart.esc(subtitle))</p>\n"
        for s in sections {
            body += "<section>\n"
            if let chart = s.chart { body += "<figure>\(chart)</figure>\n" }
            for t in s.tables { body += table(t) }
            body += "</section>\n"
        }
        return document(title: title, css: css, body: body)
    }

    /// A whole page around `body`, with its own print rules.
    static func document(title: String, css: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(SVGChart.esc(title))</title>
        <style>
        \(css)
        </style></head><body>
        \(body)</body></html>

        """
    }

    static let css = """
        body { font-family: "Helvetica Neue", Arial, sans-serif; font-size: 11pt; color: #111; margin: 2em auto; max-width: 60em; }
        h1 { font-size: 18pt; margin-bottom: 0; } .sub { color: #444; margin-top: 0.2em; }
        h2 { font-size: 12pt; margin: 1.2em 0 0.4em; }
        table { border-collapse: collapse; margin-bottom: 1em; font-size: 9pt; }
        th, td { border: 1px solid #999; padding: 2px 6px; text-align: right; }
        td { white-space: nowrap; }
        th:first-child, td:first-child { text-align: left; }
        th { background: #eee; }
        td.red { background: #f4c7c3; font-weight: bold; } td.amber { background: #fce8b2; } td.green { background: #d9ead3; }
        figure { margin: 0 0 1em; } .note { font-size: 8pt; color: #444; margin: -0.6em 0 0.8em; max-width: 60em; }
        @page { size: A4; margin: 15mm; }
        @media print { body { margin: 0; max-width: none; } section { break-inside: avoid-page; } th { background: #eee !important; } }
        """

    static func table(_ t: ReportTable) -> String {
        var out = "<h2>\(SVGChart.esc(t.title))</h2>\n<table><thead><tr>"
        out += t.header.map { "<th>\(SVGChart.esc($0))</th>" }.joined() + "</tr></thead><tbody>\n"
        for row in t.rows {
            out += "<tr>" + row.enumerated().map { i, c in
                // RAG cells are coloured wherever they are (the response tables have two per row).
                let isRAG = (i == t.ragColumn || ["RED", "AMBER", "GREEN"].contains(c)) && !c.isEmpty
                let cls = isRAG ? " class=\"\(c.lowercased())\"" : ""
                return "<td\(cls)>\(SVGChart.esc(c))</td>"
            }.joined() + "</tr>\n"
        }
        out += "</tbody></table>\n"
        for note in t.notes { out += "<p class=\"note\">\(SVGChart.esc(note))</p>\n" }
        return out
    }
}
