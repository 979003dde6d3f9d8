import ArgumentParser
import Foundation
import VigilCore
import VigilStore
import VigilText

extension EndReason: ExpressibleByArgument {}

/// A day typed on the command line: ISO or the UK's DD/MM/YYYY, as imports accept.
enum ServiceDay {
    static func parse(_ text: String?, as option: String) throws -> Day? {
        guard let text else { return nil }
        guard let day = ImportDates.day(text) else { throw ValidationError("\(option) '\(text)' is not a date: write 2017-03-14 or 14/03/2017.") }
        return day
    }

    /// Today in the service's time zone (a registration at 00:30 BST is that day's, not yesterday's).
    static func today(in zone: TimeZone) -> Day {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let local = calendar.dateComponents([.year, .month, .day], from: Date())
        return Day(year: local.year!, month: local.month!, day: local.day!)!
    }

    /// A `--timezone` value checked: the sentence names the bad value and how to write one.
    static func zone(_ name: String) throws -> TimeZone {
        guard !name.isEmpty, let zone = TimeZone(identifier: name) else {
            throw ValidationError("--timezone '\(name)' is not a time zone Vigil knows: give a name like Europe/London or UTC (tzdata).")
        }
        return zone
    }
}

extension Users {
    struct End: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "End a person's service: --date is their last day of service (audited).",
            discussion: "Example: vigil users end --db vigil.db --id u-001 --date 2018-03-31 --reason residential-care")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The person's id.") var id: String
        @Option(help: ArgumentHelp("Their last day of service.", valueName: "YYYY-MM-DD or DD/MM/YYYY")) var date: String
        @Option(help: ArgumentHelp("Why it ended: \(EndReason.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "REASON"))
        var reason: EndReason

        func validate() throws { _ = try ServiceDay.parse(date, as: "--date") }

        func run() throws {
            let db = try openDatabase(database)
            let day = try ServiceDay.parse(date, as: "--date")!
            do { try Registry(db).endService(user: id, on: day, reason: reason, now: nowMillis()) } catch { throw UserFacingError("\(error)") }
            print("\(id)'s service ended on \(day) (\(reason.rawValue))")
        }
    }

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start a registered person's service again after it ended (a new period; audited).")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The person's id.") var id: String
        @Option(help: ArgumentHelp("The first day of the new period.", valueName: "YYYY-MM-DD or DD/MM/YYYY")) var date: String

        func validate() throws { _ = try ServiceDay.parse(date, as: "--date") }

        func run() throws {
            let db = try openDatabase(database)
            let day = try ServiceDay.parse(date, as: "--date")!
            do { try Registry(db).startService(user: id, on: day, now: nowMillis()) } catch { throw UserFacingError("\(error)") }
            print("\(id) supported again from \(day)")
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a person's details; only what is given changes (audited: the fields, not their values).",
            discussion: "Example: vigil users update --db vigil.db --id u-001 --area 5 --group dementia --group ltc")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The person's id.") var id: String
        @Option(help: "Their name.") var name: String?
        @Option(help: "The city area, 1 to 8.") var area: Int?
        @Option(name: .customLong("group"), help: ArgumentHelp("Their referral groups, replacing the stored ones; repeat for several.", valueName: "GROUP"))
        var groups: [ReferralGroup] = []
        @Flag(help: "Remove every referral group.") var noGroups = false
        @Option(help: "Their address.") var address: String?
        @Option(help: "How to get in.") var access: String?
        @Option(help: "Conditions the operator should know of.") var conditions: String?

        func validate() throws {
            if let area, !(1...8).contains(area) { throw ValidationError("--area must be 1 to 8 (the service's city areas).") }
            if noGroups && !groups.isEmpty { throw ValidationError("Give --group or --no-groups, not both.") }
        }

        func run() throws {
            let db = try openDatabase(database)
            let changes = Registry.UserChanges(name: name, area: area, groups: noGroups ? [] : (groups.isEmpty ? nil : groups),
                                               address: address, accessNotes: access, conditions: conditions)
            do { try Registry(db).updateUser(id, changes, now: nowMillis()) } catch { throw UserFacingError("\(error)") }
            print("updated \(id)")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a person's service periods.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The person's id.") var id: String

        func run() throws {
            let periods = try Registry(try openDatabase(database, readOnly: true)).servicePeriods(id)
            guard !periods.isEmpty else { throw UserFacingError("\(id) has no service periods (is the id right? see `vigil users list`).") }
            print(TextTable.render(header: ["FROM", "LAST DAY", "REASON"], rows: periods.map { [$0.start.iso, $0.end?.iso ?? "open", $0.reason?.rawValue ?? "-"] }))
        }
    }
}
