import ArgumentParser
import VigilCore
import VigilStore
import VigilText

/// `vigil targets`: the trajectory, satisfaction targets and commitment the reports judge by.
struct TargetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "targets",
        abstract: "Show and set the service's targets: caseload trajectory, satisfaction, the commitment of extra users.",
        discussion: """
            A new database starts with the service's published figures: 8,615 / 10,115 / 11,615 / 13,115 people \
            (2016/17 to 2019/20), 85 / 87 / 89 / 90 % satisfied, 6,000 more people than on 2015-04-01. Every change is audited.
              vigil targets set --db vigil.db --caseload 2020/21=14615 --satisfaction 2020/21=91
              vigil targets set --db vigil.db --commitment 6000 --since 2015-04-01
              vigil targets import --db vigil.db targets.csv     (columns: measure, period, value)
            """,
        subcommands: [List.self, Set.self, ImportFile.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the targets the reports use.")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let db = try openDatabase(database, readOnly: true)
            guard try Targets(db).exist() else { throw UserFacingError("\(database.db) predates stored targets: any writing command upgrades it (e.g. `vigil targets set`).") }
            let t = try Targets(db).load()
            var rows: [[String]] = []
            for fy in Swift.Set(t.caseload.keys).union(t.satisfaction.keys).sorted() {
                rows.append([fy.label, t.caseload[fy].map(String.init) ?? "-", t.satisfaction[fy].map { "\(($0 * 1000).rounded() / 10) %" } ?? "-"])
            }
            print(TextTable.render(header: ["YEAR", "PEOPLE AT 31 MARCH", "SATISFIED"], rows: rows))
            if let c = t.commitment { print("commitment: \(c.extraUsers) more people than at the start of \(c.baseline)") }
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set or remove targets (one transaction; audited).")
        @OptionGroup var database: DatabaseOptions
        @Option(help: ArgumentHelp("People supported at 31 March of a year; repeat for several.", valueName: "YYYY/YY=PEOPLE")) var caseload: [String] = []
        @Option(help: ArgumentHelp("% of users and carers satisfied in a year; repeat for several.", valueName: "YYYY/YY=PERCENT")) var satisfaction: [String] = []
        @Option(help: ArgumentHelp("Remove a year's caseload and satisfaction targets.", valueName: "YYYY/YY")) var remove: [String] = []
        @Option(help: ArgumentHelp("The commitment: this many more people than at the start of --since.", valueName: "PEOPLE")) var commitment: Int?
        @Option(help: ArgumentHelp("The commitment's baseline day.", valueName: "YYYY-MM-DD")) var since: String?

        func changes() throws -> [Targets.Change] {
            var out: [Targets.Change] = []
            for c in caseload {
                let (fy, v) = try TargetText.pair(c, option: "--caseload")
                guard let n = Int(v), n >= 0 else { throw ValidationError("--caseload \(c): the number of people must be a whole number, like 2020/21=14615.") }
                out.append(.caseload(fy, people: n))
            }
            for s in satisfaction {
                let (fy, v) = try TargetText.pair(s, option: "--satisfaction")
                out.append(.satisfaction(fy, share: try TargetText.percent(v, option: "--satisfaction \(s)")))
            }
            for r in remove {
                guard let fy = FinancialYear(label: r) else { throw ValidationError("--remove '\(r)' is not a financial year: write it like 2020/21.") }
                out += [.removeCaseload(fy), .removeSatisfaction(fy)]
            }
            switch (commitment, since) {
            case let (n?, day?):
                guard let d = ImportDates.day(day) else { throw ValidationError("--since '\(day)' is not a date (YYYY-MM-DD).") }
                guard n > 0 else { throw ValidationError("--commitment must be a positive number of people.") }
                out.append(.commitment(.init(baseline: d, extraUsers: n)))
            case (nil, nil): break
            default: throw ValidationError("--commitment and --since go together: the number of extra people and the day they are counted from.")
            }
            if out.isEmpty { throw ValidationError("Nothing to set: give --caseload, --satisfaction, --remove or --commitment with --since.") }
            return out
        }

        func validate() throws { _ = try changes() }

        func run() throws {
            let db = try openDatabase(database)
            let list = try changes()
            do { try Targets(db).apply(list, now: nowMillis()) } catch { throw UserFacingError("\(error)") }
            print("set \(list.count) target\(list.count == 1 ? "" : "s")")
        }
    }

    struct ImportFile: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Set targets from a CSV file: measure (caseload, satisfaction, commitment), period, value.",
            discussion: """
                caseload,2020/21,14615        people at 31 March 2021
                satisfaction,2020/21,91       % satisfied
                commitment,2015-04-01,6000    6,000 more people than at the start of 1 April 2015
                All or nothing: one bad row and nothing is set.
                """)
        @OptionGroup var database: DatabaseOptions
        @Argument(help: ArgumentHelp("The CSV file.", valueName: "FILE.csv")) var file: String

        func run() throws {
            let header: [String], rows: [ImportRow]
            do { (header, rows) = try CSVImportFile.read(file) } catch { throw UserFacingError(error.description) }
            guard header.sorted() == ["measure", "period", "value"] else {
                throw UserFacingError("\(file): the header must name the columns measure, period and value (it has \(header.joined(separator: ", "))).")
            }
            var list: [Targets.Change] = [], problems: [String] = []
            for row in rows {
                let measure = (row.fields["measure"] ?? "").lowercased(), period = row.fields["period"] ?? "", value = row.fields["value"] ?? ""
                do {
                    switch measure {
                    case "caseload":
                        guard let fy = FinancialYear(label: period), let n = Int(value), n >= 0 else { throw ValidationError("caseload needs a year like 2020/21 and a number of people") }
                        list.append(.caseload(fy, people: n))
                    case "satisfaction":
                        guard let fy = FinancialYear(label: period) else { throw ValidationError("satisfaction needs a year like 2020/21") }
                        list.append(.satisfaction(fy, share: try TargetText.percent(value, option: "value")))
                    case "commitment":
                        guard let d = ImportDates.day(period), let n = Int(value), n > 0 else { throw ValidationError("commitment needs a baseline day and a positive number of people") }
                        list.append(.commitment(.init(baseline: d, extraUsers: n)))
                    default: throw ValidationError("measure '\(measure)' is not caseload, satisfaction or commitment")
                    }
                } catch let e as ValidationError {
                    problems.append("line \(row.line): \(e.message)")
                }
            }
            guard problems.isEmpty else { throw UserFacingError("\(file): nothing was set:\n" + problems.joined(separator: "\n")) }
            let db = try openDatabase(database)
            do { try Targets(db).apply(list, now: nowMillis()) } catch { throw UserFacingError("\(error)") }
            print("set \(list.count) target\(list.count == 1 ? "" : "s") from \(file)")
        }
    }
}

enum TargetText {
    static func pair(_ text: String, option: String) throws -> (FinancialYear, String) {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let fy = FinancialYear(label: parts[0]) else {
            throw ValidationError("\(option) \(text): write the year and the value, like 2020/21=14615.")
        }
        return (fy, parts[1])
    }

    /// "91", "91 %" or "91%" → 0.91.
    static func percent(_ text: String, option: String) throws -> Double {
        let digits = text.replacingOccurrences(of: "%", with: "").trimmingCharacters(in: .whitespaces)
        guard let p = Double(digits), (0...100).contains(p) else { throw ValidationError("\(option): '\(text)' is not a percentage from 0 to 100.") }
        return p / 100
    }
}
