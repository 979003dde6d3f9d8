import Foundation
import VigilCore

/// Small SVG charts drawn by hand: no script, no external file, so the page prints and mails as is.
/// Colours are paired with shapes and labels so that a black-and-white print still reads.
public enum SVGChart {
    /// A chart's drawing area: the single reports use `wide`; the board paper packs smaller ones.
    public struct Canvas: Sendable {
        var width: Double, height: Double
        var left = 70.0, right = 20.0, top = 30.0, bottom = 50.0
        var font = 11.0

        public static let wide = Canvas(width: 720, height: 300)
        /// Full width of an A4 board, short.
        public static let boardWide = Canvas(width: 720, height: 210, left: 60, top: 24, bottom: 44, font: 10)
        /// Half the width of an A4 board.
        public static let boardHalf = Canvas(width: 360, height: 210, left: 44, right: 10, top: 24, bottom: 48, font: 9)

        var plotHeight: Double { height - top - bottom }
        var plotWidth: Double { width - left - right }
    }

    static let blue = "#1f5fa8", orange = "#b35c00", green = "#2e7d32"

    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    static func n(_ x: Double) -> String { String(format: "%.1f", x) }

    static func frame(_ title: String, _ body: String, _ c: Canvas) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(c.width)) \(Int(c.height))" width="100%" role="img" aria-label="\(esc(title))">
        <text x="\(n(c.left))" y="\(n(c.font + 6))" font-size="\(n(c.font + 3))" font-weight="bold">\(esc(title))</text>
        \(body)
        </svg>
        """
    }

    /// Horizontal grid lines and labels for a y axis from `low` to `high`.
    static func yAxis(low: Double, high: Double, steps: Int, _ c: Canvas, label: (Double) -> String) -> String {
        var out = ""
        for i in 0...steps {
            let y = c.top + c.plotHeight * (1 - Double(i) / Double(steps))
            let v = low + (high - low) * Double(i) / Double(steps)
            out += "<line x1=\"\(n(c.left))\" y1=\"\(n(y))\" x2=\"\(n(c.width - c.right))\" y2=\"\(n(y))\" stroke=\"#ccc\" stroke-width=\"0.5\"/>"
            out += "<text x=\"\(n(c.left - 6))\" y=\"\(n(y + 4))\" font-size=\"\(n(c.font))\" text-anchor=\"end\">\(esc(label(v)))</text>\n"
        }
        return out
    }

    /// One point of the caseload line: people current at the end of `day`, and the target that day.
    public struct CaseloadPoint: Sendable, Equatable {
        public var day: Day
        public var actual: Int
        public var target: Int?

        public init(day: Day, actual: Int, target: Int?) {
            self.day = day
            self.actual = actual
            self.target = target
        }
    }

    /// People supported at each period end of the report (years and quarters).
    public static func caseload(_ r: CaseloadReport, in c: Canvas = .wide) -> String? {
        let points = Dictionary(r.rows.filter { $0.breakdown == nil }.map { ($0.to, CaseloadPoint(day: $0.to, actual: $0.currentAtEnd, target: $0.target)) },
                                uniquingKeysWith: { a, _ in a })
        return caseload(points.values.sorted { $0.day < $1.day }, in: c)
    }

    /// People supported (solid line) against the trajectory (dashed, squares). The target is drawn
    /// last, over a white edge, so it stays visible where it equals the actual figure.
    public static func caseload(_ points: [CaseloadPoint], in c: Canvas = .wide, title: String = "People supported against the trajectory") -> String? {
        guard points.count >= 2, let d0 = points.first?.day, let d1 = points.last?.day else { return nil }
        let values = points.flatMap { [Double($0.actual)] + ($0.target.map { [Double($0)] } ?? []) }
        // A "nice" step so that the axis reads 6,000 / 8,000 / 10,000 rather than 7,800 / 9,600.
        let spread = max(1, values.max()! * 1.1 - values.min()! * 0.9)
        let step = [1.0, 2, 5, 10, 20, 50, 100, 200, 250, 500, 1_000, 2_000, 2_500, 5_000, 10_000, 20_000, 50_000].first { spread / $0 <= 6 } ?? 100_000
        let high = max(step, (values.max()! * 1.1 / step).rounded(.up) * step)
        let low = min(high - step, max(0, (values.min()! * 0.9 / step).rounded(.down) * step))
        func x(_ d: Day) -> Double { c.left + c.plotWidth * Double(d.daysSinceEpoch - d0.daysSinceEpoch) / Double(max(1, d1.daysSinceEpoch - d0.daysSinceEpoch)) }
        func y(_ v: Int) -> Double { c.top + c.plotHeight * (1 - (Double(v) - low) / (high - low)) }
        var body = yAxis(low: low, high: high, steps: Int(((high - low) / step).rounded()), c) { Fmt.int(Int($0.rounded())) }
        let actual = points.map { "\(n(x($0.day))),\(n(y($0.actual)))" }.joined(separator: " ")
        // A broad, light actual line under a thin dashed target: where the two are equal the dashes
        // run inside the band, so neither hides the other.
        body += "<polyline fill=\"none\" stroke=\"\(blue)\" stroke-opacity=\"0.55\" stroke-width=\"4.5\" stroke-linejoin=\"round\" points=\"\(actual)\"/>\n"
        // Dots on every point of a short series; on a monthly one, at the financial year ends only.
        let dotted = points.count <= 30 ? points : points.filter { $0.day == FinancialYear(containing: $0.day).range.last || $0.day == d1 }
        for p in dotted { body += "<circle cx=\"\(n(x(p.day)))\" cy=\"\(n(y(p.actual)))\" r=\"3\" fill=\"\(blue)\"/>" }
        let targets = points.filter { $0.target != nil }
        if !targets.isEmpty {
            let line = targets.map { "\(n(x($0.day))),\(n(y($0.target!)))" }.joined(separator: " ")
            body += "<polyline class=\"target\" fill=\"none\" stroke=\"\(orange)\" stroke-width=\"1.8\" stroke-dasharray=\"6 4\" points=\"\(line)\"/>\n"
            let marked = targets.count <= 30 ? targets : targets.filter { $0.day == FinancialYear(containing: $0.day).range.last }
            for p in marked {
                body += "<rect x=\"\(n(x(p.day) - 3.5))\" y=\"\(n(y(p.target!) - 3.5))\" width=\"7\" height=\"7\" fill=\"#fff\" stroke=\"\(orange)\" stroke-width=\"1.5\"/>"
            }
        }
        // Each financial year's label sits under the middle of its stretch of the line.
        for fy in FinancialYear.covering(DayRange(first: d0, last: d1)) {
            let a = max(fy.range.first.adding(days: -1), d0), b = min(fy.range.last, d1)
            guard a < b else { continue }
            body += "<line x1=\"\(n(x(b)))\" y1=\"\(n(c.height - c.bottom))\" x2=\"\(n(x(b)))\" y2=\"\(n(c.height - c.bottom + 5))\" stroke=\"#555\"/>"
            body += "<text x=\"\(n((x(a) + x(b)) / 2))\" y=\"\(n(c.height - c.bottom + c.font + 5))\" font-size=\"\(n(c.font))\" text-anchor=\"middle\">\(fy.label)</text>"
        }
        body += legend([(blue, "current users (solid)"), (orange, "trajectory target (dashed, squares)")], c)
        return frame(title, body, c)
    }

    /// % satisfied per year with its 95 % interval and the target: users and carers side by side,
    /// or everyone together where the survey does not tell them apart.
    public static func satisfaction(_ r: SatisfactionReport, in c: Canvas = .wide) -> String? {
        let whole = r.rows.filter { $0.breakdown == nil && $0.share != nil }
        let split = whole.contains { $0.respondent == "user" } || whole.contains { $0.respondent == "carer" }
        let series: [(respondent: String, colour: String, label: String)] = split
            ? [("user", blue, "users"), ("carer", green, "carers")] : [("all", blue, "users and carers")]
        let periods = whole.filter { $0.respondent == "all" }.map(\.period)
        guard !periods.isEmpty else { return nil }
        func row(_ period: String, _ who: String) -> SatisfactionRow? { whole.first { $0.period == period && $0.respondent == who } }
        let shown = whole.filter { r in series.contains { $0.respondent == r.respondent } }
        let floor = min(shown.compactMap(\.lower).min() ?? 0.7, shown.compactMap(\.target).min() ?? 1)
        let low = max(0, ((floor - 0.02) * 20).rounded(.down) / 20)
        let high = 1.0
        let slot = c.plotWidth / Double(periods.count)
        func y(_ v: Double) -> Double { c.top + c.plotHeight * (1 - (v - low) / (high - low)) }
        let steps = Int(((high - low) * 20).rounded())
        var body = yAxis(low: low, high: high, steps: steps > 8 ? steps / 2 : steps, c) { Fmt.percent($0, digits: 0) }
        for (i, period) in periods.enumerated() {
            let centre = c.left + slot * (Double(i) + 0.5)
            let target = row(period, "all")?.target
            if let t = target {
                body += "<line class=\"target\" x1=\"\(n(centre - slot * 0.42))\" y1=\"\(n(y(t)))\" x2=\"\(n(centre + slot * 0.42))\" y2=\"\(n(y(t)))\" stroke=\"\(orange)\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>"
            }
            for (k, s) in series.enumerated() {
                guard let row = row(period, s.respondent), let share = row.share else { continue }
                let cx = centre + (series.count == 1 ? 0 : (Double(k) - 0.5) * slot * 0.36)
                if let lo = row.lower, let hi = row.upper {
                    body += "<line x1=\"\(n(cx))\" y1=\"\(n(y(lo)))\" x2=\"\(n(cx))\" y2=\"\(n(y(hi)))\" stroke=\"\(s.colour)\" stroke-width=\"1.5\"/>"
                    for v in [lo, hi] {
                        body += "<line x1=\"\(n(cx - 4))\" y1=\"\(n(y(v)))\" x2=\"\(n(cx + 4))\" y2=\"\(n(y(v)))\" stroke=\"\(s.colour)\"/>"
                    }
                }
                // Users are dots, carers diamonds, so a grey print still tells them apart.
                body += k == 0
                    ? "<circle cx=\"\(n(cx))\" cy=\"\(n(y(share)))\" r=\"3.5\" fill=\"\(s.colour)\"/>"
                    : "<rect x=\"\(n(cx - 3))\" y=\"\(n(y(share) - 3))\" width=\"6\" height=\"6\" fill=\"\(s.colour)\" transform=\"rotate(45 \(n(cx)) \(n(y(share))))\"/>"
            }
            body += "<text x=\"\(n(centre))\" y=\"\(n(c.height - c.bottom + c.font + 5))\" font-size=\"\(n(c.font))\" text-anchor=\"middle\">\(esc(period))</text>"
            let counts = series.compactMap { row(period, $0.respondent).map { Fmt.int($0.responses) } }.joined(separator: " / ")
            body += "<text x=\"\(n(centre))\" y=\"\(n(c.height - c.bottom + 2 * c.font + 7))\" font-size=\"\(n(c.font - 1))\" text-anchor=\"middle\">n = \(counts)</text>"
        }
        body += legend(series.map { ($0.colour, $0.label) } + [(orange, "target (dashed)")], c)
        return frame(split ? "Users and carers satisfied, with 95 % intervals" : "User and carer satisfaction against target", body, c)
    }

    /// How long alarms waited to be claimed, with the 60 s and 180 s marks.
    public static func answerTimes(_ r: ResponseReport, in c: Canvas = .wide, title: String? = nil) -> String? {
        let bins = r.answerTimes
        let total = bins.reduce(0) { $0 + $1.alarms }
        guard total > 0 else { return nil }
        let high = max(0.1, (Double(bins.map(\.alarms).max()!) / Double(total) * 10).rounded(.up) / 10)
        let slot = c.plotWidth / Double(bins.count)
        func y(_ v: Double) -> Double { c.top + c.plotHeight * (1 - v / high) }
        var body = yAxis(low: 0, high: high, steps: max(1, Int((high * 10).rounded())), c) { Fmt.percent($0, digits: 0) }
        let gap = min(8, slot / 5)
        for (i, b) in bins.enumerated() {
            let share = Double(b.alarms) / Double(total)
            let x = c.left + slot * Double(i) + gap / 2
            let late = (b.toSeconds ?? Int.max) > 60
            let mid = n(x + (slot - gap) / 2)
            body += "<rect x=\"\(n(x))\" y=\"\(n(y(share)))\" width=\"\(n(slot - gap))\" height=\"\(n(y(0) - y(share)))\" fill=\"\(late ? orange : blue)\"/>"
            body += "<text x=\"\(mid)\" y=\"\(n(y(share) - 4))\" font-size=\"\(n(c.font - 1))\" text-anchor=\"middle\">\(Fmt.percent(share, digits: share < 0.01 ? 2 : 1))</text>"
            // Where the labels would touch, every other one drops a line.
            let crowded = slot < Double(bins.map(\.label.count).max() ?? 0) * (c.font - 1) * 0.6
            let below = c.font + 5 + (crowded && i % 2 == 1 ? c.font : 0)
            body += "<text x=\"\(mid)\" y=\"\(n(c.height - c.bottom + below))\" font-size=\"\(n(c.font - 1))\" text-anchor=\"middle\">\(esc(b.label))</text>"
        }
        body += legend([(blue, "claimed within 60 s"), (orange, "claimed after 60 s")], c)
        let heading = title ?? "Time to answer — \(Fmt.percent(r.total.shareWithin60s)) within 60 s, \(Fmt.percent(r.total.shareWithin180s)) within 180 s"
        return frame(heading, body, c)
    }

    static func legend(_ items: [(String, String)], _ c: Canvas) -> String {
        var out = ""
        var x = c.left
        for (colour, text) in items {
            out += "<rect x=\"\(n(x))\" y=\"\(n(c.height - c.font - 3))\" width=\"\(n(c.font - 1))\" height=\"\(n(c.font - 1))\" fill=\"\(colour)\"/>"
            out += "<text x=\"\(n(x + c.font + 3))\" y=\"\(n(c.height - 5))\" font-size=\"\(n(c.font))\">\(esc(text))</text>"
            x += c.font * 2.5 + Double(text.count) * c.font * 0.55
        }
        return out
    }
}
