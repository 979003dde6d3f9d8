import VigilCore

/// Each report as the tables a person reads; CSV, text and HTML are all drawn from these.
public enum ReportTables {
    public static func caseload(_ r: CaseloadReport) -> [ReportTable] {
        var header = ["Period", "From", "To"]
        if let by = r.by { header.append(by.rawValue) }
        header += ["Current at start", "Current at end", "Starts", "Ends", "Supported in period", "Supported since \(r.baseline)", "Target", "RAG"]
        let rows = r.rows.map { row -> [String] in
            var cells = [row.period, row.from.iso, row.to.iso]
            if r.by != nil { cells.append(row.breakdown ?? "") }
            cells += [Fmt.int(row.currentAtStart), Fmt.int(row.currentAtEnd), Fmt.int(row.starts), Fmt.int(row.ends),
                      Fmt.int(row.supported), Fmt.int(row.supportedSinceBaseline), Fmt.int(row.target), Fmt.rag(row.rag)]
            return cells
        }
        return [ReportTable(title: r.title, header: header, rows: rows, ragColumn: header.count - 1)]
    }

    public static func satisfaction(_ r: SatisfactionReport) -> [ReportTable] {
        var header = ["Period"]
        if let by = r.by { header.append(by.rawValue) }
        header += ["Respondent", "Responses", "Satisfied", "% satisfied", "95 % interval", "Target", "RAG"]
        let rows = r.rows.map { row -> [String] in
            var cells = [row.period]
            if r.by != nil { cells.append(row.breakdown ?? "") }
            let interval = row.lower.map { "\(Fmt.percent($0))–\(Fmt.percent(row.upper))" } ?? "–"
            cells += [row.respondent, Fmt.int(row.responses), Fmt.int(row.satisfied), Fmt.percent(row.share), interval,
                      Fmt.percent(row.target, digits: 0), Fmt.rag(row.rag)]
            return cells
        }
        return [ReportTable(title: r.title, header: header, rows: rows, ragColumn: header.count - 1)]
    }

    static func statsCells(_ s: ResponseStats) -> [String] {
        [Fmt.int(s.alarms), Fmt.percent(s.shareWithin60s), Fmt.rag(s.rag60s), Fmt.percent(s.shareWithin180s), Fmt.rag(s.rag180s),
         Fmt.seconds(s.medianClaimSeconds), Fmt.seconds(s.p90ClaimSeconds), Fmt.minutes(s.medianResolveMinutes),
         Fmt.minutes(s.p90ResolveMinutes), Fmt.int(s.escalatedAlarms), Fmt.int(s.escalations)]
    }

    static let statsHeader = ["Alarms", "≤ 60 s", "RAG 97.5 %", "≤ 180 s", "RAG 99 %", "Median claim", "90th pct claim",
                              "Median resolve", "90th pct resolve", "Escalated alarms", "Escalations"]

    public static func response(_ r: ResponseReport) -> [ReportTable] {
        var tables: [ReportTable] = []
        tables.append(ReportTable(title: "\(r.title) \(r.from)…\(r.to): by type and priority", header: ["Priority", "Type"] + statsHeader,
                                  rows: r.byTypeAndPriority.map { ["P\($0.priority)", $0.type] + statsCells($0.stats) }
                                      + [["all", "all"] + statsCells(r.total)]))
        tables.append(ReportTable(title: "Outcomes", header: ["Outcome", "Alarms", "Share"],
                                  rows: r.outcomes.map { [$0.outcome, Fmt.int($0.alarms), Fmt.percent($0.share)] }))
        tables.append(ReportTable(title: "Per operator", header: ["Operator", "Alarms claimed", "≤ 60 s", "≤ 180 s", "Median claim", "90th pct claim", "Escalated alarms"],
                                  rows: r.operators.map { o in
                                      [o.name, Fmt.int(o.stats.alarms), Fmt.percent(o.stats.shareWithin60s), Fmt.percent(o.stats.shareWithin180s),
                                       Fmt.seconds(o.stats.medianClaimSeconds), Fmt.seconds(o.stats.p90ClaimSeconds), Fmt.int(o.stats.escalatedAlarms)]
                                  }))
        tables.append(ReportTable(title: "Care homes: ambulance call-outs before and after video support",
                                  header: ["Care home", "Video support from", "Alarms before", "Ambulances before", "Per 100 before", "Alarms after", "Ambulances after", "Per 100 after"],
                                  rows: r.careHomeChanges.map { c in
                                      [c.careHome, c.videoSupportFrom?.iso ?? "–", Fmt.int(c.alarmsBefore), Fmt.int(c.ambulancesBefore), Fmt.decimal(c.per100Before),
                                       Fmt.int(c.alarmsAfter), Fmt.int(c.ambulancesAfter), Fmt.decimal(c.per100After)]
                                  }))
        tables.append(ReportTable(title: "Care homes by month", header: ["Care home", "Month", "Alarms", "Ambulances", "Video support"],
                                  rows: r.careHomeMonths.map { [$0.careHome, $0.month, Fmt.int($0.alarms), Fmt.int($0.ambulances), $0.videoSupport ? "yes" : "no"] }))
        tables.append(ReportTable(title: "Answer-time distribution (claimed alarms)", header: ["Time to claim", "Alarms"],
                                  rows: r.answerTimes.map { [$0.label, Fmt.int($0.alarms)] }))
        return tables
    }
}
