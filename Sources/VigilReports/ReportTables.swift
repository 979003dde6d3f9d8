import Foundation
import VigilCore

/// Each report as the tables a person reads; CSV, text and HTML are all drawn from these.
public enum ReportTables {
    public static func caseload(_ r: CaseloadReport, raw: Bool = false) -> [ReportTable] {
        let f = Cells(raw: raw)
        var header = ["Period", "From", "To"]
        if let by = r.by { header.append(by.rawValue) }
        // Left to right the bridge reads: current at start + starts − ends = current at end.
        header += ["Current at start", "Starts", "Ends", "Current at end", "Supported in period", "Supported since baseline", "Former users", "Target", "RAG"]
        let ragColumn = header.count - 1
        if r.commitment != nil { header += ["Extra since commitment baseline", "Commitment"] }
        let rows = r.rows.map { row -> [String] in
            var cells = [row.period, row.from.iso, row.to.iso]
            if r.by != nil { cells.append(row.breakdown ?? "") }
            cells += [f.int(row.currentAtStart), f.int(row.starts), f.int(row.ends), f.int(row.currentAtEnd),
                      f.int(row.supported), f.int(row.supportedSinceBaseline), f.int(row.formerUsers), f.int(row.target), f.rag(row.rag)]
            if r.commitment != nil { cells += [f.int(row.extraSinceCommitment), f.int(row.commitmentTarget)] }
            return cells
        }
        let notes = ["Baseline \(r.baseline): supported since baseline counts everyone in service on any day from it; former users are those of them not current at the end."] + r.notes
        return [ReportTable(name: "caseload", title: r.title, header: header, rows: rows, ragColumn: ragColumn, notes: notes)]
    }

    public static func leavers(_ r: LeaversReport, raw: Bool = false) -> [ReportTable] {
        let f = Cells(raw: raw)
        let reasons = EndReason.allCases.map(\.rawValue)
        return [ReportTable(name: "leavers", title: r.title, header: ["Period", "From", "To", "Ends"] + reasons + ["Short stays"],
                            rows: r.rows.map { row in
                                [row.period, row.from.iso, row.to.iso, f.int(row.ends)] + reasons.map { f.int(row.byReason[$0] ?? 0) } + [f.int(row.shortStays)]
                            }, notes: r.notes)]
    }

    /// Referrals received by month and group, and time to installation against each standard.
    public static func referrals(_ r: ReferralReport, raw: Bool = false) -> [ReportTable] {
        let f = Cells(raw: raw)
        let months = ReportTable(
            name: "referrals-by-month", title: "Referrals received by month and priority group",
            header: ["Month", "Group", "Received", "Urgent", "Installed", "Declined", "Not eligible", "Open"],
            rows: r.months.map { [$0.month, $0.group, f.int($0.received), f.int($0.urgent), f.int($0.installed), f.int($0.declined),
                                  f.int($0.notEligible), f.int($0.open)] },
            notes: r.notes)
        let header = ["Period", "Urgency", "Standard", "Installed", "Within standard", raw ? "Share within" : "% within", "Target", "RAG",
                      "Median working days", "90th pct working days"]
        let installation = ReportTable(
            name: "installation", title: "Time from referral to installation (working days)", header: header,
            rows: r.installation.map { row in
                [row.period, row.urgency, row.standard, f.int(row.installed), f.int(row.within), f.percent(row.share), f.percent(row.target, digits: 0),
                 row.tooFew && row.installed > 0 ? "too few" : f.rag(row.rag), f.int(row.medianWorkingDays), f.int(row.p90WorkingDays)]
            }, ragColumn: 7)
        return [months, installation]
    }

    public static func satisfaction(_ r: SatisfactionReport, raw: Bool = false) -> [ReportTable] {
        let f = Cells(raw: raw)
        var header = ["Period"]
        if let by = r.by { header.append(by.rawValue) }
        header += ["Respondent", "Responses", "Satisfied", raw ? "Share satisfied" : "% satisfied"]
            + (raw ? ["95 % interval lower", "95 % interval upper"] : ["95 % interval"]) + ["Target", "RAG"]
        let rows = r.rows.map { row -> [String] in
            var cells = [row.period]
            if r.by != nil { cells.append(row.breakdown ?? "") }
            let interval = raw ? [f.percent(row.lower), f.percent(row.upper)] : [row.lower.map { "\(f.percent($0))–\(f.percent(row.upper))" } ?? "–"]
            cells += [row.respondent, f.int(row.responses), f.int(row.satisfied), f.percent(row.share)] + interval + [
                      f.percent(row.target, digits: 0), row.tooFew && row.target != nil ? "too few" : f.rag(row.rag)]
            return cells
        }
        let note = "RAG is given only with at least \(r.minimumSample) responses; below that it shows \"too few\" (the 95 % interval is too wide to rate)."
        return [ReportTable(name: "satisfaction", title: r.title, header: header, rows: rows, ragColumn: header.count - 1, notes: [note])]
    }

    static func statsCells(_ s: ResponseStats, _ f: Cells) -> [String] {
        [f.int(s.alarms), f.percent(s.shareWithin60s), f.rag(s.rag60s), f.percent(s.shareWithin180s), f.rag(s.rag180s),
         f.seconds(s.medianClaimSeconds), f.seconds(s.p90ClaimSeconds), f.minutes(s.medianResolveMinutes),
         f.minutes(s.p90ResolveMinutes), f.int(s.escalatedAlarms), f.int(s.escalations)]
    }

    static let statsHeader = ["Alarms", "≤ 60 s", "RAG 97.5 %", "≤ 180 s", "RAG 99 %", "Median claim (s)", "90th pct claim (s)",
                              "Median resolve (min)", "90th pct resolve (min)", "Escalated alarms", "Escalations"]

    public static func response(_ r: ResponseReport, raw: Bool = false) -> [ReportTable] {
        let f = Cells(raw: raw)
        var tables: [ReportTable] = []
        tables.append(ReportTable(name: "by-type", title: "\(r.title) \(r.from)…\(r.to): by type and priority", header: ["Priority", "Type"] + statsHeader,
                                  rows: r.byTypeAndPriority.map { ["P\($0.priority)", $0.type] + statsCells($0.stats, f) }
                                      + [["all", "all"] + statsCells(r.total, f)],
                                  notes: ["Alarms are counted on the local day they were raised, in \(r.timeZone)."]))
        tables.append(ReportTable(name: "outcomes", title: "Outcomes", header: ["Outcome", "Alarms", "Share"],
                                  rows: r.outcomes.map { [$0.outcome, f.int($0.alarms), f.percent($0.share)] }))
        tables.append(ReportTable(name: "outcomes-by-type", title: "Outcomes by alarm type: ambulance call-outs avoided by a responder visit",
                                  header: ["Type", "Alarms", "Responder on site", "Ambulance avoided by the visit", "Ambulances called", "Conveyed",
                                           "Not conveyed", "Admitted to hospital", "GP appointments", "Falls with injury", "Falls, no injury"],
                                  rows: r.outcomesByType.map { t in
                                      [t.type] + [t.alarms, t.responderVisits, t.ambulanceAvoided, t.ambulances, t.conveyed, t.notConveyed, t.admitted,
                                                  t.gpAppointments, t.fallsInjured, t.fallsNotInjured].map(f.int)
                                  },
                                  notes: ["A responder is on site when a visit arrived (or, for alarms from before Vigil, the alarm was closed \"responder sent\"). The visit avoided an ambulance when the alarm closed with any outcome but an ambulance call-out or a hospital admission; open alarms are not counted as avoided.",
                                          "Ambulances called counts every call-out, conveyed or not or not yet known."]))
        tables.append(ReportTable(name: "operators", title: "Per operator", header: ["Operator", "Alarms claimed", "≤ 60 s", "≤ 180 s", "Median claim", "90th pct claim", "Escalated alarms"],
                                  rows: r.operators.map { o in
                                      [o.name, f.int(o.stats.alarms), f.percent(o.stats.shareWithin60s), f.percent(o.stats.shareWithin180s),
                                       f.seconds(o.stats.medianClaimSeconds), f.seconds(o.stats.p90ClaimSeconds), f.int(o.stats.escalatedAlarms)]
                                  }))
        let residentNote = "A resident-month is one resident with the service for a whole month: each day of service counts 1 / (days in the month). Residents are the people whose record names the home now."
        tables.append(ReportTable(name: "care-homes", title: "Care homes: ambulance call-outs before and after video support",
                                  header: ["Care home", "Video support from", "Alarms before", "Ambulances before", "Per 100 before", "Alarms after", "Ambulances after", "Per 100 after",
                                           "Telehealth from", "Resident-months before", "Ambulances per 100 resident-months before",
                                           "Resident-months after", "Ambulances per 100 resident-months after"],
                                  rows: r.careHomeChanges.map { c in
                                      [c.careHome, c.videoSupportFrom?.iso ?? "–", f.int(c.alarmsBefore), f.int(c.ambulancesBefore), f.decimal(c.per100Before),
                                       f.int(c.alarmsAfter), f.int(c.ambulancesAfter), f.decimal(c.per100After),
                                       c.telehealthFrom?.iso ?? "–", f.decimal(c.residentMonthsBefore), f.decimal(c.per100ResidentMonthsBefore),
                                       f.decimal(c.residentMonthsAfter), f.decimal(c.per100ResidentMonthsAfter)]
                                  },
                                  notes: ["Per 100 counts ambulance call-outs per 100 alarms; per 100 resident-months counts them against how many people lived there, so a home whose residents raise more alarms after a change is not hidden.", residentNote]))
        tables.append(ReportTable(name: "care-home-months", title: "Care homes by month",
                                  header: ["Care home", "Month", "Alarms", "Ambulances", "Video support", "Telehealth", "Resident-months", "Ambulances per 100 resident-months"],
                                  rows: r.careHomeMonths.map {
                                      [$0.careHome, $0.month, f.int($0.alarms), f.int($0.ambulances), $0.videoSupport ? "yes" : "no", $0.telehealth ? "yes" : "no",
                                       f.decimal($0.residentMonths), f.decimal($0.ambulancesPer100ResidentMonths)]
                                  },
                                  notes: ["Video support and telehealth read yes once live for the whole month.", residentNote]))
        tables.append(ReportTable(name: "care-homes-live", title: "Care homes with video support and telehealth live, by month",
                                  header: ["Month", "Care homes", "Video support live", "Telehealth live"],
                                  rows: r.careHomesLive.map { [$0.month, f.int($0.homes), f.int($0.videoSupport), f.int($0.telehealth)] },
                                  notes: ["Live by the month's last day; care homes counts every home known to Vigil."]))
        tables.append(ReportTable(name: "answer-times", title: "Answer-time distribution (claimed alarms)", header: ["Time to claim", "Alarms"],
                                  rows: r.answerTimes.map { [$0.label, f.int($0.alarms)] }))
        let m = r.mobile
        func minutes(_ v: Double?) -> String { v == nil ? f.decimal(nil) : raw ? f.decimal(v) : f.decimal(v) + " min" }
        tables.append(ReportTable(name: "mobile-response",
                                  title: "Mobile response: on site within 45 min (target 90 %) and 60 min (target 100 %), in within 5 min of arriving",
                                  header: ["Month", "Area", "Visits", "Cancelled", "On site ≤ 45 min", "On site ≤ 60 min", "Median to arrive", "90th pct to arrive",
                                           "In ≤ 5 min of arriving"],
                                  rows: (m.rows + [m.total]).map { v in
                                      [v.month, v.area.map(String.init) ?? (v.month == "all" ? "all" : "–"), f.int(v.visits), f.int(v.cancelled),
                                       f.percent(v.shareWithin45), f.percent(v.shareWithin60), minutes(v.medianArriveMinutes), minutes(v.p90ArriveMinutes),
                                       f.percent(v.shareAccessWithin5)]
                                  },
                                  notes: ["Time from the decision to deploy (dispatch) to on site; a visit at exactly 45:00 is within. Cancelled visits are left out of the shares; one that never arrived counts as not within.",
                                          "Access: of the visits that arrived, the share in the home with the person within 5 minutes of arriving (exactly 5:00 is within); one that left without getting in counts as not within.",
                                          "Call attempts per alarm: \(f.decimal(m.callAttemptsPerAlarm, digits: 2)). People and services per alarm (operators who held it, responders sent, people rung): \(f.decimal(m.touchesPerAlarm, digits: 2))."]))
        return tables
    }
}

/// Cell text: formatted for people (13,115 · 87.3 % · 12 s), or raw for spreadsheets (13115 · 0.873 · 12).
struct Cells {
    var raw: Bool

    func int(_ n: Int) -> String { raw ? String(n) : Fmt.int(n) }
    func int(_ n: Int?) -> String { n.map { int($0) } ?? (raw ? "" : "–") }
    func percent(_ x: Double?, digits: Int = 1) -> String {
        guard raw else { return Fmt.percent(x, digits: digits) }
        return x.map { String(format: "%.4f", $0) } ?? ""
    }
    func rag(_ r: RAG?) -> String { raw ? (r?.rawValue ?? "") : Fmt.rag(r) }
    func seconds(_ s: Int?) -> String { raw ? s.map(String.init) ?? "" : Fmt.seconds(s) }
    func minutes(_ m: Int?) -> String { raw ? m.map(String.init) ?? "" : Fmt.minutes(m) }
    func decimal(_ x: Double?, digits: Int = 1) -> String { raw ? x.map { String(format: "%.2f", $0) } ?? "" : Fmt.decimal(x, digits: digits) }
}
