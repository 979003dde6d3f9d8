import Foundation
import VigilCore

/// The board paper: one A4 page a manager can lift into a board pack. Headline figures, the
/// caseload month by month against the trajectory, satisfaction of users and carers, answer times,
/// and small tables that compare each figure with the same period a year earlier.
public enum BoardPage {
    /// Rows of a board table are capped so the page stays one page; the rest are summed.
    static let maximumRows = 8
    static let recentMonths = 6

    public static func render(_ b: BoardFigures) -> String {
        let latest = FinancialYear(containing: b.caseload.to)
        let title = "Assistive technology service: performance"
        let years = b.caseload.rows.filter { $0.breakdown == nil && $0.kind != .quarter }
        var body = "<header><h1>\(SVGChart.esc(title))</h1><p class=\"sub\">\(b.caseload.from) to \(b.caseload.to) · "
            + "figures for \(latest.label) unless stated</p></header>\n"
        body += headlines(b, years: years)
        var chartPoints = b.months.filter { $0.last >= b.caseload.from }.map {
            SVGChart.CaseloadPoint(day: $0.last, actual: $0.currentAtEnd, target: $0.target)
        }
        if chartPoints.count < 2 {
            chartPoints = years.map { SVGChart.CaseloadPoint(day: $0.to, actual: $0.currentAtEnd, target: $0.target) }
        }
        if let chart = SVGChart.caseload(chartPoints, in: .boardWide, title: "People supported at each month end against the trajectory") {
            body += "<figure class=\"wide\">\(chart)</figure>\n"
        }
        let satisfaction = SVGChart.satisfaction(b.satisfaction, in: .boardHalf)
        let answers = SVGChart.answerTimes(b.response, in: .boardHalf, title: "Time from alarm to claim, \(FinancialYear(containing: b.response.to).label)")
        if satisfaction != nil || answers != nil {
            body += "<div class=\"pair\">" + [satisfaction, answers].compactMap { $0.map { "<figure>\($0)</figure>" } }.joined() + "</div>\n"
        }
        func block(_ t: ReportTable) -> String { "<div class=\"block\">" + HTMLRenderer.table(t) + "</div>" }
        body += "<div class=\"pair\">" + block(yearTable(years))
            + block(comparison(b.groups, measure: "Starts", title: "Referrals (service starts) by group", value: \.starts)) + "</div>\n"
        body += "<div class=\"pair\">" + block(monthTable(b.months))
            + block(comparison(b.areas, measure: "Current", title: "People supported by area at the end", value: \.currentAtEnd)) + "</div>\n"
        if !b.referrals.sources.isEmpty {
            body += "<div class=\"pair\">" + block(referralSources(b.referrals)) + block(installationTable(b.referrals)) + "</div>\n"
        }
        body += "<footer>" + notes(b).map { "<p>\(SVGChart.esc($0))</p>" }.joined() + "</footer>\n"
        return HTMLRenderer.document(title: title, css: css, body: body)
    }

    /// Four boxes: the figures a board asks about first.
    static func headlines(_ b: BoardFigures, years: [CaseloadRow]) -> String {
        var boxes: [(label: String, value: String, detail: String, rag: RAG?)] = []
        if let now = years.last {
            let target = now.target.map { "target \(Fmt.int($0))" } ?? "no target set"
            boxes.append(("People supported on \(now.to)", Fmt.int(now.currentAtEnd), target, now.rag))
            let before = years.dropLast().last
            var detail = "\(Fmt.int(now.ends)) ended"
            if let before { detail += "; \(Fmt.int(before.starts)) started in \(before.period)" }
            boxes.append(("Started in \(now.period)", Fmt.int(now.starts), detail, nil))
            if let extra = now.extraSinceCommitment, let goal = now.commitmentTarget, let c = b.caseload.commitment {
                boxes.append(("Extra since \(c.baseline)", Fmt.int(extra), "commitment \(Fmt.int(goal))",
                              RAG.rate(actual: Double(extra), target: Double(goal), amberBand: b.caseload.amberBand)))
            }
        }
        let lastPeriod = b.satisfaction.rows.last { $0.breakdown == nil && $0.respondent == "all" }?.period
        func sat(_ who: String) -> SatisfactionRow? {
            b.satisfaction.rows.first { $0.breakdown == nil && $0.period == lastPeriod && $0.respondent == who }
        }
        if let all = sat("all") {
            let split = [sat("user"), sat("carer")].compactMap { $0 }.filter { $0.responses > 0 }
                .map { "\($0.respondent)s \(Fmt.percent($0.share, digits: 0))" }.joined(separator: ", ")
            let target = all.target.map { "target \(Fmt.percent($0, digits: 0))" } ?? "no target set"
            boxes.append(("Satisfied in \(all.period)", all.tooFew ? "too few" : Fmt.percent(all.share),
                          [split, target].filter { !$0.isEmpty }.joined(separator: "; "), all.rag))
        }
        let t = b.response.total
        boxes.append(("Alarms answered in 60 s, \(FinancialYear(containing: b.response.to).label)", Fmt.percent(t.shareWithin60s),
                      "\(Fmt.percent(t.shareWithin180s)) within 180 s; targets 97.5 % and 99 %", t.rag60s))
        return "<div class=\"headlines\">" + boxes.prefix(5).map { box in
            let cls = box.rag.map { " \($0.rawValue)" } ?? ""
            let rating = box.rag.map { " <b>\(Fmt.rag($0))</b>" } ?? ""
            return "<div class=\"box\(cls)\"><div class=\"label\">\(SVGChart.esc(box.label))</div>"
                + "<div class=\"value\">\(SVGChart.esc(box.value))\(rating)</div><div class=\"detail\">\(SVGChart.esc(box.detail))</div></div>"
        }.joined() + "</div>\n"
    }

    static func yearTable(_ years: [CaseloadRow]) -> ReportTable {
        ReportTable(name: "years", title: "Caseload by financial year",
                    header: ["Year", "At start", "Starts", "Ends", "At end", "Target", "RAG", "Former"],
                    rows: years.map {
                        [$0.period, Fmt.int($0.currentAtStart), Fmt.int($0.starts), Fmt.int($0.ends), Fmt.int($0.currentAtEnd),
                         Fmt.int($0.target), Fmt.rag($0.rag), Fmt.int($0.formerUsers)]
                    }, ragColumn: 6)
    }

    /// The latest months beside the same months a year earlier.
    static func monthTable(_ months: [CaseloadMonth]) -> ReportTable {
        let byMonth = Dictionary(months.map { ($0.month, $0) }, uniquingKeysWith: { a, _ in a })
        func yearBefore(_ m: CaseloadMonth) -> CaseloadMonth? {
            byMonth["\(m.first.year - 1)-\(m.month.suffix(2))"]
        }
        let recent = months.suffix(recentMonths)
        return ReportTable(name: "months", title: "Latest months against the same month a year earlier",
                           header: ["Month", "At end", "a year before", "Starts", "a year before", "Ends", "a year before"],
                           rows: recent.map { m in
                               let p = yearBefore(m)
                               return [m.month, Fmt.int(m.currentAtEnd), Fmt.int(p?.currentAtEnd), Fmt.int(m.starts), Fmt.int(p?.starts),
                                       Fmt.int(m.ends), Fmt.int(p?.ends)]
                           })
    }

    /// A breakdown's figure in the latest financial year against the same days a year earlier, largest first.
    static func comparison(_ c: BoardFigures.Comparison, measure: String, title: String, value: KeyPath<CaseloadRow, Int>) -> ReportTable {
        func whole(_ r: CaseloadReport) -> [String: Int] {
            Dictionary(r.rows.filter { $0.kind != .quarter && $0.breakdown != nil }.map { ($0.breakdown!, $0[keyPath: value]) },
                       uniquingKeysWith: +)
        }
        func label(_ r: CaseloadReport) -> String { r.rows.first { $0.kind != .quarter }?.period ?? "\(r.from)…\(r.to)" }
        let now = whole(c.now), before = whole(c.yearBefore)
        let header = [c.now.by?.rawValue.capitalized ?? "", "\(measure) \(label(c.now))", "\(measure) \(label(c.yearBefore))", "Change"]
        var rows = Set(now.keys).union(before.keys).map { (key: $0, now: now[$0] ?? 0, before: before[$0] ?? 0) }
        rows.sort { $0.now != $1.now ? $0.now > $1.now : $0.key < $1.key }
        if rows.count > maximumRows {
            let rest = rows[(maximumRows - 1)...]
            rows = Array(rows.prefix(maximumRows - 1))
                + [("\(rest.count) others", rest.reduce(0) { $0 + $1.now }, rest.reduce(0) { $0 + $1.before })]
        }
        return ReportTable(name: "compare", title: title, header: header, rows: rows.map { row in
            let d = row.now - row.before
            return [row.key, Fmt.int(row.now), Fmt.int(row.before), d > 0 ? "+\(Fmt.int(d))" : Fmt.int(d)]
        })
    }

    /// Referrals received by who sent them, the urgent ones among them, and a year earlier.
    static func referralSources(_ r: BoardFigures.Referrals) -> ReportTable {
        ReportTable(name: "referral-sources", title: "Referrals received by source",
                    header: ["Source", "Received \(r.period)", "Urgent", "Received \(r.periodBefore)", "Change"],
                    rows: r.sources.map { s in
                        let d = s.received - s.yearBefore
                        return [s.source.rawValue, Fmt.int(s.received), Fmt.int(s.urgent), Fmt.int(s.yearBefore), d > 0 ? "+\(Fmt.int(d))" : Fmt.int(d)]
                    })
    }

    /// Time from referral to installation in the latest year, against each standard.
    static func installationTable(_ r: BoardFigures.Referrals) -> ReportTable {
        ReportTable(name: "installation", title: "Referral to installation, \(r.period) (working days)",
                    header: ["Referrals", "Standard", "Installed", "% within", "RAG"],
                    rows: r.installation.map { i in
                        [i.urgency, "\(Fmt.percent(i.target, digits: 0)) within \(i.workingDays)", Fmt.int(i.installed),
                         i.tooFew ? "too few" : Fmt.percent(i.share), Fmt.rag(i.rag)]
                    }, ragColumn: 4)
    }

    static func notes(_ b: BoardFigures) -> [String] {
        var out = [CaseloadCounter.dayConvention]
        out.append("One person can be in several referral groups and is counted in each. Former users: supported since \(b.caseload.baseline) but not current at the year end.")
        out.append("Satisfied: 4 or 5 of 5; a rating needs at least \(b.satisfaction.minimumSample) responses. "
                   + "Answer time: from raised to claimed, against the TSA standard (97.5 % within 60 s, 99 % within 180 s).")
        if !b.referrals.sources.isEmpty {
            out.append("Referrals: counted on the day received. Installation: working days from referral (weekends and bank holidays skipped), against the TSA standard for urgent referrals and the service's own for the rest; `vigil report referrals` has the detail.")
        }
        out.append("`vigil report caseload --list current --fy YYYY/YY` names the people behind a count.")
        return out
    }

    /// Print rules that hold the page to one A4 sheet.
    static let css = """
        @page { size: A4 portrait; margin: 10mm; }
        body { font-family: "Helvetica Neue", Arial, sans-serif; font-size: 8pt; color: #111; margin: 1em auto; max-width: 190mm; }
        h1 { font-size: 15pt; margin: 0; } .sub { color: #444; margin: 0.2em 0 0.6em; }
        h2 { font-size: 8.5pt; margin: 0.4em 0 0.2em; }
        .headlines { display: flex; gap: 2mm; margin-bottom: 2mm; }
        .box { flex: 1; min-width: 0; border: 1px solid #999; padding: 1mm 1.5mm; }
        .box .label { font-size: 6.8pt; color: #444; } .box .value { font-size: 12pt; font-weight: bold; } .box .value b { font-size: 8pt; }
        .box .detail { font-size: 6.5pt; color: #333; }
        .box.red { background: #f4c7c3; } .box.amber { background: #fce8b2; } .box.green { background: #d9ead3; }
        figure { margin: 0 0 1mm; } figure.wide svg { max-height: 62mm; }
        .pair { display: flex; gap: 4mm; align-items: flex-start; margin-bottom: 1mm; } .pair > * { flex: 1; min-width: 0; }
        table { border-collapse: collapse; font-size: 7pt; width: 100%; }
        th, td { border: 1px solid #999; padding: 0.3mm 1mm; text-align: right; }
        td { white-space: nowrap; } th { background: #eee; font-weight: normal; vertical-align: bottom; }
        th:first-child, td:first-child { text-align: left; }
        td.red { background: #f4c7c3; font-weight: bold; } td.amber { background: #fce8b2; } td.green { background: #d9ead3; }
        .note { display: none; }
        footer { margin-top: 2mm; } footer p { font-size: 6.5pt; color: #444; margin: 0.5mm 0; }
        @media print {
          body { margin: 0; max-width: none; }
          th, .box, td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        }
        """
}
