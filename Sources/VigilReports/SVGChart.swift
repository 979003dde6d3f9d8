import Foundation
import VigilCore

/// Small SVG charts drawn by hand: no script, no external file, so the page prints and mails as is.
/// Colours are paired with shapes and labels so that a black-and-white print still reads.
public enum SVGChart {
    static let width = 720.0, height = 300.0
    static let left = 70.0, right = 20.0, top = 30.0, bottom = 50.0

    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    static func n(_ x: Double) -> String { String(format: "%.1f", x) }

    static func frame(_ title: String, _ body: String) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height))" width="100%" role="img" aria-label="\(esc(title))">
        <text x="\(n(left))" y="18" font-size="14" font-weight="bold">\(esc(title))</text>
        \(body)
        </svg>
        """
    }

    /// Horizontal grid lines and labels for a y axis from `low` to `high`.
    static func yAxis(low: Double, high: Double, steps: Int, label: (Double) -> String) -> String {
        var out = ""
        for i in 0...steps {
            let v = low + (high - low) * Double(i) / Double(steps)
            let y = top + (height - top - bottom) * (1 - Double(i) / Double(steps))
            out += "<line x1=\"\(n(left))\" y1=\"\(n(y))\" x2=\"\(n(width - right))\" y2=\"\(n(y))\" stroke=\"#ccc\" stroke-width=\"0.5\"/>"
            out += "<text x=\"\(n(left - 6))\" y=\"\(n(y + 4))\" font-size=\"11\" text-anchor=\"end\">\(esc(label(v)))</text>\n"
        }
        return out
    }

    /// People supported at each period end (solid line, dots) against the trajectory (dashed, squares).
    public static func caseload(_ r: CaseloadReport) -> String? {
        var points: [Day: (actual: Int, target: Int?)] = [:]
        for row in r.rows where row.breakdown == nil { points[row.to] = (row.currentAtEnd, row.target) }
        let days = points.keys.sorted()
        guard days.count >= 2, let d0 = days.first, let d1 = days.last else { return nil }
        let values = days.flatMap { [Double(points[$0]!.actual)] + (points[$0]!.target.map { [Double($0)] } ?? []) }
        // A "nice" step so that the axis reads 6,000 / 8,000 / 10,000 rather than 7,800 / 9,600.
        let spread = values.max()! * 1.1 - values.min()! * 0.9
        let step = [100.0, 200, 250, 500, 1_000, 2_000, 2_500, 5_000, 10_000, 20_000].first { spread / $0 <= 8 } ?? 50_000
        let high = (values.max()! * 1.1 / step).rounded(.up) * step
        let low = max(0, (values.min()! * 0.9 / step).rounded(.down) * step)
        func x(_ d: Day) -> Double { left + (width - left - right) * Double(d.daysSinceEpoch - d0.daysSinceEpoch) / Double(max(1, d1.daysSinceEpoch - d0.daysSinceEpoch)) }
        func y(_ v: Double) -> Double { top + (height - top - bottom) * (1 - (v - low) / (high - low)) }
        var body = yAxis(low: low, high: high, steps: Int(((high - low) / step).rounded())) { Fmt.int(Int($0.rounded())) }
        let actual = days.map { "\(n(x($0))),\(n(y(Double(points[$0]!.actual))))" }.joined(separator: " ")
        body += "<polyline fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"2\" points=\"\(actual)\"/>\n"
        for d in days {
            body += "<circle cx=\"\(n(x(d)))\" cy=\"\(n(y(Double(points[d]!.actual))))\" r=\"3\" fill=\"#1f5fa8\"/>"
        }
        let targets = days.filter { points[$0]!.target != nil }
        if targets.count >= 1 {
            let line = targets.map { "\(n(x($0))),\(n(y(Double(points[$0]!.target!))))" }.joined(separator: " ")
            body += "<polyline fill=\"none\" stroke=\"#b35c00\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\" points=\"\(line)\"/>\n"
            for d in targets {
                body += "<rect x=\"\(n(x(d) - 3.5))\" y=\"\(n(y(Double(points[d]!.target!)) - 3.5))\" width=\"7\" height=\"7\" fill=\"none\" stroke=\"#b35c00\"/>"
            }
        }
        // Each financial year's label sits under the middle of its stretch of the line.
        for fy in FinancialYear.covering(DayRange(first: d0, last: d1)) {
            let a = max(fy.range.first.adding(days: -1), d0), b = min(fy.range.last, d1)
            guard a < b else { continue }
            let mid = (x(a) + x(b)) / 2
            body += "<line x1=\"\(n(x(b)))\" y1=\"\(n(height - bottom))\" x2=\"\(n(x(b)))\" y2=\"\(n(height - bottom + 5))\" stroke=\"#555\"/>"
            body += "<text x=\"\(n(mid))\" y=\"\(n(height - bottom + 16))\" font-size=\"11\" text-anchor=\"middle\">\(fy.label)</text>"
        }
        body += legend([("#1f5fa8", "current users (solid, dots)"), ("#b35c00", "trajectory target (dashed, squares)")])
        return frame("People supported against the trajectory", body)
    }

    /// % satisfied per year (users and carers together) with its 95 % interval and the target.
    public static func satisfaction(_ r: SatisfactionReport) -> String? {
        let rows = r.rows.filter { $0.respondent == "all" && $0.breakdown == nil && $0.share != nil }
        guard !rows.isEmpty else { return nil }
        let low = max(0, (((rows.compactMap(\.lower).min() ?? 0.7) - 0.02) * 20).rounded(.down) / 20)
        let high = 1.0
        let slot = (width - left - right) / Double(rows.count)
        func y(_ v: Double) -> Double { top + (height - top - bottom) * (1 - (v - low) / (high - low)) }
        var body = yAxis(low: low, high: high, steps: Int(((high - low) * 20).rounded())) { Fmt.percent($0, digits: 0) }
        for (i, row) in rows.enumerated() {
            let cx = left + slot * (Double(i) + 0.5)
            if let lo = row.lower, let hi = row.upper {
                body += "<line x1=\"\(n(cx))\" y1=\"\(n(y(lo)))\" x2=\"\(n(cx))\" y2=\"\(n(y(hi)))\" stroke=\"#1f5fa8\" stroke-width=\"1.5\"/>"
                body += "<line x1=\"\(n(cx - 8))\" y1=\"\(n(y(lo)))\" x2=\"\(n(cx + 8))\" y2=\"\(n(y(lo)))\" stroke=\"#1f5fa8\"/>"
                body += "<line x1=\"\(n(cx - 8))\" y1=\"\(n(y(hi)))\" x2=\"\(n(cx + 8))\" y2=\"\(n(y(hi)))\" stroke=\"#1f5fa8\"/>"
            }
            body += "<circle cx=\"\(n(cx))\" cy=\"\(n(y(row.share!)))\" r=\"4\" fill=\"#1f5fa8\"/>"
            body += "<text x=\"\(n(cx - 10))\" y=\"\(n(y(row.share!) + 4))\" font-size=\"10\" text-anchor=\"end\">\(Fmt.percent(row.share))</text>"
            if let t = row.target {
                body += "<line x1=\"\(n(cx - 22))\" y1=\"\(n(y(t)))\" x2=\"\(n(cx + 22))\" y2=\"\(n(y(t)))\" stroke=\"#b35c00\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>"
                body += "<text x=\"\(n(cx + 26))\" y=\"\(n(y(t) + 4))\" font-size=\"9\" fill=\"#b35c00\">target \(Fmt.percent(t, digits: 0))</text>"
            }
            body += "<text x=\"\(n(cx))\" y=\"\(n(height - bottom + 16))\" font-size=\"11\" text-anchor=\"middle\">\(esc(row.period))</text>"
            body += "<text x=\"\(n(cx))\" y=\"\(n(height - bottom + 30))\" font-size=\"10\" text-anchor=\"middle\">n = \(Fmt.int(row.responses))</text>"
        }
        body += legend([("#1f5fa8", "% satisfied with 95 % interval"), ("#b35c00", "target (dashed)")])
        return frame("User and carer satisfaction against target", body)
    }

    /// How long alarms waited to be claimed, with the 60 s and 180 s marks.
    public static func answerTimes(_ r: ResponseReport) -> String? {
        let bins = r.answerTimes
        let total = bins.reduce(0) { $0 + $1.alarms }
        guard total > 0 else { return nil }
        let high = max(0.1, (Double(bins.map(\.alarms).max()!) / Double(total) * 10).rounded(.up) / 10)
        let slot = (width - left - right) / Double(bins.count)
        func y(_ v: Double) -> Double { top + (height - top - bottom) * (1 - v / high) }
        var body = yAxis(low: 0, high: high, steps: max(1, Int((high * 10).rounded()))) { Fmt.percent($0, digits: 0) }
        for (i, b) in bins.enumerated() {
            let share = Double(b.alarms) / Double(total)
            let x = left + slot * Double(i) + 4
            let late = (b.toSeconds ?? Int.max) > 60
            body += "<rect x=\"\(n(x))\" y=\"\(n(y(share)))\" width=\"\(n(slot - 8))\" height=\"\(n(y(0) - y(share)))\" fill=\"\(late ? "#b35c00" : "#1f5fa8")\"/>"
            body += "<text x=\"\(n(x + (slot - 8) / 2))\" y=\"\(n(y(share) - 4))\" font-size=\"10\" text-anchor=\"middle\">\(Fmt.percent(share, digits: share < 0.01 ? 2 : 1))</text>"
            body += "<text x=\"\(n(x + (slot - 8) / 2))\" y=\"\(n(height - bottom + 16))\" font-size=\"10\" text-anchor=\"middle\">\(esc(b.label))</text>"
        }
        body += legend([("#1f5fa8", "claimed within 60 s"), ("#b35c00", "claimed after 60 s")])
        return frame("Time to answer (claim) — \(Fmt.percent(r.total.shareWithin60s)) within 60 s, \(Fmt.percent(r.total.shareWithin180s)) within 180 s", body)
    }

    static func legend(_ items: [(String, String)]) -> String {
        var out = ""
        var x = left
        for (colour, text) in items {
            out += "<rect x=\"\(n(x))\" y=\"\(n(height - 14))\" width=\"10\" height=\"10\" fill=\"\(colour)\"/>"
            out += "<text x=\"\(n(x + 14))\" y=\"\(n(height - 5))\" font-size=\"11\">\(esc(text))</text>"
            x += 30 + Double(text.count) * 6
        }
        return out
    }
}
