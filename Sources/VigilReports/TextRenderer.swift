import VigilText

/// Plain text: each table under its title, columns padded to their widest cell (`TextTable`).
public enum TextRenderer {
    public static func render(_ tables: [ReportTable]) -> String {
        tables.map(render).joined(separator: "\n\n") + "\n"
    }

    static func render(_ t: ReportTable) -> String {
        t.title + "\n" + TextTable(header: t.header).render(t.rows, rule: true) + t.notes.map { "\n" + $0 }.joined()
    }
}
