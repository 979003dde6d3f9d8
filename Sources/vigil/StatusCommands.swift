import ArgumentParser
import VigilStore

/// Where a person is, as `vigil users status --set` takes it: away, in hospital, or home again.
enum PersonWhereabouts: String, ExpressibleByArgument, CaseIterable {
    case away, hospital, home
}

extension Users {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record that a person is away or in hospital, or home again (audited); without --set, show it.",
            discussion: """
                Alarms from a person who is away or in hospital still raise as usual; the console shows the \
                status on the alarm, so the operator knows before calling the house. \
                Example: vigil users status --db vigil.db --id u-001 --set hospital --since 2026-12-01 --note "Ward 7, RVI"
                """)
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The person's id.") var id: String
        @Option(help: ArgumentHelp("away, hospital, or home (clears the status).", valueName: "STATUS")) var set: PersonWhereabouts?
        @Option(help: ArgumentHelp("The first day of the status (default: today in --timezone).", valueName: "YYYY-MM-DD or DD/MM/YYYY"))
        var since: String?
        @Option(help: ArgumentHelp("The service's time zone, which decides what day today is.", valueName: "ZONE"))
        var timezone: String = "Europe/London"
        @Option(help: "What the operator should know: where they are, who to call (1 to 500 characters).") var note: String?

        func validate() throws {
            _ = try ServiceDay.parse(since, as: "--since")
            _ = try ServiceDay.zone(timezone)
            if set == nil || set == .home, since != nil || note != nil {
                throw ValidationError("--since and --note go with --set away or --set hospital.")
            }
        }

        func run() throws {
            let zone = try ServiceDay.zone(timezone)
            guard let set else {
                let db = try openDatabase(database, readOnly: true)
                guard try Registry(db).users().contains(where: { $0.id == id }) else {
                    throw UserFacingError("No person with id \(id) is registered (see `vigil users list`).")
                }
                print("\(id): " + (try AlarmStore(db).personStatus(id, today: ServiceDay.today(in: zone)) ?? "at home"))
                return
            }
            let registry = Registry(try openDatabase(database))
            do {
                switch set {
                case .home:
                    let had = try registry.clearAbsence(user: id, now: nowMillis())
                    print(had ? "\(id) is at home again" : "\(id) had no status recorded; nothing changed")
                case .away, .hospital:
                    let day = try ServiceDay.parse(since, as: "--since") ?? ServiceDay.today(in: zone)
                    try registry.setAbsence(user: id, set == .away ? .away : .hospital, since: day, note: note, now: nowMillis())
                    print("\(id) recorded \(set == .away ? "away" : "in hospital") since \(day)")
                }
            } catch let e as UserFacingError {
                throw e
            } catch {
                throw UserFacingError("\(error)")
            }
        }
    }
}

extension Devices {
    struct Suspend: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop supervising a device that is out of use (audited): no no-contact alarm while suspended.",
            discussion: """
                Anything the device still sends is stored and triaged: a press from a suspended pendant is \
                still an alarm. `vigil devices resume` supervises it again from that moment. \
                Example: vigil devices suspend --db vigil.db --id pend-001 --reason "sent for repair"
                """)
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The device id.") var id: String
        @Option(help: "Why: uninstalled, in for repair, person in hospital (1 to 200 characters).") var reason: String

        func run() throws {
            let db = try openDatabase(database)
            do { try Registry(db).suspendDevice(id, reason: reason, now: nowMillis()) } catch { throw UserFacingError("\(error)") }
            print("device \(id) suspended: its silence raises nothing until `vigil devices resume --id \(id)`")
        }
    }

    struct Resume: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Supervise a suspended device again, from now (audited).")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The device id.") var id: String

        func run() throws {
            let db = try openDatabase(database)
            do { try Registry(db).resumeDevice(id, now: nowMillis()) } catch { throw UserFacingError("\(error)") }
            print("device \(id) supervised again from now")
        }
    }
}
