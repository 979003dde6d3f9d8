import ArgumentParser
import Foundation
import VigilCore
import VigilReports
import VigilStore

extension ReportFormat: ExpressibleByArgument {}
extension ReportDimension: ExpressibleByArgument {}
extension CaseloadMeasure: ExpressibleByArgument {}

/// Options every report shares: the period, the breakdown, the output format, the amber band.
struct ReportOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A financial year, e.g. 2017/18 (April to March).", valueName: "YYYY/YY")) var fy: String?
    @Option(help: ArgumentHelp("First day of a custom period.", valueName: "YYYY-MM-DD")) var from: String?
    @Option(help: ArgumentHelp("Last day of a custom period.", valueName: "YYYY-MM-DD")) var to: String?
    @Option(help: ArgumentHelp("Break down by area, group, age, funding or carehome (caseload, referrals, satisfaction).", valueName: "DIMENSION"))
    var by: ReportDimension?
    @Option(help: "table, csv, json or html.") var format: ReportFormat = .table
    @Option(help: ArgumentHelp("How far below target (in %) is still amber rather than red.", valueName: "PERCENT")) var amber: Double = 5
    @Option(help: ArgumentHelp("Fewest survey responses that get a RAG rating; fewer show \"too few\".", valueName: "N"))
    var minSample: Int = ServiceTargets.defaultMinimumSample
    @Option(help: ArgumentHelp("The service's time zone: days, months and years of alarms are local ones.", valueName: "ZONE"))
    var timezone: String = "Europe/London"
    @Option(help: ArgumentHelp("Only this table of the report (its name, e.g. outcomes); a CSV holds one table.", valueName: "NAME"))
    var table: String?
    @Option(help: ArgumentHelp("Write one CSV file per table into this directory (NAME.csv), for a spreadsheet or Power BI.", valueName: "DIR"))
    var out: String?

    func validate() throws {
        if fy != nil && (from != nil || to != nil) { throw ValidationError("Give either --fy or --from/--to, not both.") }
        if let fy, FinancialYear(label: fy) == nil { throw ValidationError("--fy '\(fy)' is not a financial year: write it like 2017/18.") }
        for (name, value) in [("--from", from), ("--to", to)] {
            if let value, Day(iso: value) == nil { throw ValidationError("\(name) '\(value)' is not a date (YYYY-MM-DD).") }
        }
        if let f = from.flatMap(Day.init(iso:)), let t = to.flatMap(Day.init(iso:)), t < f {
            throw ValidationError("--to \(t) is before --from \(f).")
        }
        if !(0...100).contains(amber) { throw ValidationError("--amber must be a percentage from 0 to 100.") }
        if minSample < 1 { throw ValidationError("--min-sample must be at least 1 response.") }
        _ = try ServiceDay.zone(timezone)
        if out != nil && format != .csv && format != .table { throw ValidationError("--out writes CSV files; leave out --format or give --format csv.") }
    }

    /// The service's calendar over `range`.
    func calendar(_ range: DayRange) -> LocalDays {
        LocalDays(timeZone: TimeZone(identifier: timezone)!, covering: range)
    }

    /// The period asked for; without one, the five financial years up to the newest data.
    func range(_ db: Database) throws -> DayRange {
        guard try db.hasCaseloadTables() else {
            throw UserFacingError("\(db.path) has no caseload tables yet (it was made by an older Vigil). Any writing command upgrades it, "
                                  + "e.g. `vigil import users FILE.csv --db \(db.path)` or `vigil serve`.")
        }
        if let fy { return FinancialYear(label: fy)!.range }
        let span = try CaseloadQueries(db).dataSpan()
        let lastDay = to.flatMap(Day.init(iso:)) ?? span.map { FinancialYear(containing: $0.last).range.last }
        guard let lastDay else { throw UserFacingError("The database holds no caseload yet: import users or run `vigil demo-data`.") }
        let firstDay = from.flatMap(Day.init(iso:)) ?? FinancialYear(startYear: FinancialYear(containing: lastDay).startYear - 4).range.first
        guard firstDay <= lastDay else { throw UserFacingError("--from \(firstDay) is after the end of the data \(lastDay); give --to as well.") }
        return DayRange(first: firstDay, last: lastDay)
    }

    /// The targets kept in the database (`vigil targets`). A file from before they were data has
    /// none stored yet; it gets the defaults an upgrade would seed it with.
    func targets(_ db: Database) throws -> ServiceTargets {
        let store = Targets(db)
        guard try store.exist() else {
            var t = ServiceTargets.atService
            t.amberBand = amber / 100
            t.minimumSample = minSample
            return t
        }
        return try store.load(amberBand: amber / 100, minimumSample: minSample)
    }

    /// `tables(raw)`: raw cells for CSV, formatted for people otherwise.
    func emit(_ tables: (Bool) -> [ReportTable], json: () throws -> String, html: () -> String) throws {
        if let out {
            let all = try pick(tables(true))
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            for t in all {
                let path = (out as NSString).appendingPathComponent("\(t.name).csv")
                guard FileManager.default.createFile(atPath: path, contents: Data(CSVRenderer.render(t).utf8)) else {
                    throw UserFacingError("Cannot write \(path): check the directory is writable.")
                }
                print("wrote \(path)")
            }
            return
        }
        switch format {
        case .table: print(TextRenderer.render(try pick(tables(false))), terminator: "")
        case .csv:
            let all = try pick(tables(true))
            guard all.count == 1 else {
                throw UserFacingError("This report has \(all.count) tables and a CSV file holds one: give --table NAME "
                    + "(\(all.map(\.name).joined(separator: ", "))) or --out DIR for one file each.")
            }
            print(CSVRenderer.render(all[0]), terminator: "")
        case .json: print(try json(), terminator: "")
        case .html: print(html(), terminator: "")
        }
    }

    /// The table `--table` names, or all of them.
    func pick(_ tables: [ReportTable]) throws -> [ReportTable] {
        guard let table else { return tables }
        guard let t = tables.first(where: { $0.name == table }) else {
            throw UserFacingError("--table \(table): this report's tables are \(tables.map(\.name).joined(separator: ", ")).")
        }
        return [t]
    }
}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The AT service manager's reports: caseload, referrals, leavers, satisfaction, response, board.",
        discussion: """
            Periods are financial years (April–March) and their quarters. Without --fy or --from/--to a \
            report covers the five financial years up to the newest data. Example:
              vigil report caseload --db vigil.db --fy 2019/20 --by area --format csv > caseload.csv
              vigil report board --db vigil.db > board.html
            """,
        subcommands: [Caseload.self, Referrals.self, Leavers.self, Satisfaction.self, Response.self, Board.self])

    struct Caseload: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Current users, starts, ends, people supported and since a baseline, against the trajectory.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var options: ReportOptions
        @Option(help: ArgumentHelp("Count everyone supported since this day (default: the period's first day).", valueName: "YYYY-MM-DD"))
        var baseline: String?
        @Option(help: ArgumentHelp("Print the ids of the people behind one count over the whole period instead: "
                                   + CaseloadMeasure.allCases.map(\.rawValue).joined(separator: ", ") + ".", valueName: "COUNT"))
        var list: CaseloadMeasure?
        @Option(help: ArgumentHelp("With --list and --by: the breakdown value to list (an area number, a group…).", valueName: "VALUE"))
        var value: String?

        func validate() throws {
            if let baseline, Day(iso: baseline) == nil { throw ValidationError("--baseline '\(baseline)' is not a date (YYYY-MM-DD).") }
            if value != nil && (list == nil || options.by == nil) { throw ValidationError("--value picks one breakdown value for --list; give --list and --by with it.") }
            if list != nil && options.by != nil && value == nil { throw ValidationError("--list with --by needs --value, e.g. --by area --value 3.") }
        }

        func run() throws {
            let db = try openDatabase(database, readOnly: true)
            let range = try options.range(db)
            if let list {
                let first = baseline.flatMap(Day.init(iso:)) ?? range.first
                let ids = try CaseloadQueries(db).counter(range: range, baseline: first, groups: options.by == .group)
                    .people(list, range: range, baseline: first, by: options.by, value: value)
                for id in ids { print(id) }
                let of = options.by.map { " with \($0.rawValue) \(value ?? "")" } ?? ""
                FileHandle.standardError.write(Data("\(ids.count) people counted as \(list.rawValue)\(of), \(range.first) to \(range.last)\n".utf8))
                return
            }
            let r = try CaseloadQueries(db).report(range: range, baseline: baseline.flatMap(Day.init(iso:)) ?? range.first,
                                                   by: options.by, targets: try options.targets(db))
            try options.emit({ ReportTables.caseload(r, raw: $0) }, json: { try JSONRenderer.render(r) }) {
                HTMLRenderer.page(title: "Caseload", subtitle: "\(range.first) to \(range.last)",
                                  sections: [.init(chart: r.by == nil ? SVGChart.caseload(r) : nil, tables: ReportTables.caseload(r))])
            }
        }
    }

    struct Referrals: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Referrals received by month and group, time to installation in working days against the TSA standard, "
                + "and the caseload by referral group (or by --by).")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var options: ReportOptions

        /// The JSON of both halves of the report.
        struct Both: Encodable {
            var caseload: CaseloadReport
            var referrals: ReferralReport
        }

        func run() throws {
            let db = try openDatabase(database, readOnly: true)
            let range = try options.range(db)
            let targets = try options.targets(db)
            let r = try CaseloadQueries(db).report(range: range, baseline: range.first, by: options.by ?? .group,
                                                   targets: targets, title: "Caseload by referral group")
            let received = ReferralReport(referrals: try ReferralQueries(db).load(range: range), range: range, targets: targets)
            try options.emit({ ReportTables.referrals(received, raw: $0) + ReportTables.caseload(r, raw: $0) },
                             json: { try JSONRenderer.render(Both(caseload: r, referrals: received)) }) {
                HTMLRenderer.page(title: "Referrals", subtitle: "\(range.first) to \(range.last)",
                                  sections: [.init(chart: nil, tables: ReportTables.referrals(received) + ReportTables.caseload(r))])
            }
        }
    }

    struct Leavers: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Why service ended, per year and quarter: residential-care admissions, deaths, moves, short stays.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var options: ReportOptions

        func validate() throws {
            if options.by != nil { throw ValidationError("--by is for caseload, referrals and satisfaction; leavers is the whole service.") }
        }

        func run() throws {
            let db = try openDatabase(database, readOnly: true)
            let range = try options.range(db)
            let r = LeaversReport(ends: try CaseloadQueries(db).ends(range: range), range: range)
            try options.emit({ ReportTables.leavers(r, raw: $0) }, json: { try JSONRenderer.render(r) }) {
                HTMLRenderer.page(title: "Leavers", subtitle: "\(range.first) to \(range.last)", sections: [.init(chart: nil, tables: ReportTables.leavers(r))])
            }
        }
    }

    struct Satisfaction: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "% of users and carers satisfied (4 or 5 of 5) per year, with a 95 % Wilson interval, against target.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var options: ReportOptions

        func run() throws {
            let db = try openDatabase(database, readOnly: true)
            let range = try options.range(db)
            let r = try SatisfactionQueries(db).report(range: range, by: options.by, targets: try options.targets(db))
            try options.emit({ ReportTables.satisfaction(r, raw: $0) }, json: { try JSONRenderer.render(r) }) {
                HTMLRenderer.page(title: "Satisfaction", subtitle: "\(range.first) to \(range.last)",
                                  sections: [.init(chart: SVGChart.satisfaction(r), tables: ReportTables.satisfaction(r))])
            }
        }
    }

    struct Response: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Alarms by type and priority, answered within 60 s / 180 s, claim and resolve times, outcomes, operators, care homes.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var options: ReportOptions

        func validate() throws {
            if options.by != nil {
                throw ValidationError("--by is for caseload, referrals and satisfaction; the response report always shows operators and care homes.")
            }
        }

        func run() throws {
            let db = try openDatabase(database, readOnly: true)
            let range = try options.range(db)
            let r = try ResponseQueries(db).report(range: range, calendar: options.calendar(range), amberBand: options.amber / 100)
            try options.emit({ ReportTables.response(r, raw: $0) }, json: { try JSONRenderer.render(r) }) {
                HTMLRenderer.page(title: "Alarm response", subtitle: "\(range.first) to \(range.last)",
                                  sections: [.init(chart: SVGChart.answerTimes(r), tables: ReportTables.response(r))])
            }
        }
    }

    struct Board: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One HTML page for a board paper: caseload against the trajectory, satisfaction, answer times.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var options: ReportOptions

        func validate() throws {
            if options.format != .html && options.format != .table { throw ValidationError("The board report is HTML only.") }
            if options.out != nil || options.table != nil { throw ValidationError("The board report is one HTML page; --table and --out are for the single reports.") }
            if options.by != nil { throw ValidationError("The board report has no --by; run the single reports for breakdowns.") }
        }

        func run() throws {
            let db = try openDatabase(database, readOnly: true)
            let range = try options.range(db)
            let targets = try options.targets(db)
            let figures = try BoardQueries(db).figures(range: range, targets: targets, calendar: options.calendar(range), amberBand: options.amber / 100)
            print(BoardPage.render(figures), terminator: "")
        }
    }
}
