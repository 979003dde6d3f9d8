import ArgumentParser
import Foundation
import VigilCommandLine
import VigilCore
import VigilStore
import VigilText

extension RotaShift.Kind: ExpressibleByArgument {}

/// `--timezone`, shared by the rota commands: the zone rota times are written and shown in.
struct RotaZoneOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The centre's time zone: rota times are read and shown in it.", valueName: "ZONE"))
    var timezone: String = "Europe/London"

    func zone() throws -> TimeZone { try ServiceDay.zone(timezone) }

    func time(_ text: String, as option: String) throws -> EpochMillis {
        switch RotaTime.parse(text, zone: try zone()) {
        case .success(let t): return t
        case .failure(let e): throw ValidationError("\(option) \(e.description)")
        }
    }
}

struct RespondersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "responders",
        abstract: "Register and list the mobile response team (the people sent to the door).",
        subcommands: [Add.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a mobile responder (audited).",
            discussion: "Example: vigil responders add --db vigil.db --id resp-ann --name \"Ann Shaw\" --phone \"07700 900123\"")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The responder's id: their handset's MQTT login.") var id: String
        @Option(help: "Their name, as operators see it.") var name: String
        @Option(help: "The handset number operators ring (a UK number).") var phone: String

        func validate() throws { try IdentifierArgument.check(id, as: "The responder id") }

        func run() throws {
            let db = try openDatabase(database)
            do { try RotaStore(db).addResponder(MobileResponder(id: id, name: name, phone: phone), now: nowMillis()) } catch { throw UserFacingError("\(error)") }
            print("registered responder \(id)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List mobile responders.")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let all = try RotaStore(try openDatabase(database, readOnly: true)).responders()
            print(TextTable.render(header: ["ID", "NAME", "PHONE"], rows: all.map { [$0.id, $0.name, $0.phone] }))
        }
    }
}

struct RotaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rota",
        abstract: "The responders' on-call rota by area: who is on call, shifts, overrides, gaps in cover.",
        discussion: """
            A shift runs from its start until the hand-off at its end, when the next one starts. An area's \
            rota shifts never overlap; an override (sickness, a swap) covers part of one and wins over it. \
            Times are the centre's local time: 2026-12-07 08:00 or 07/12/2026 08:00.
            """,
        subcommands: [Who.self, List.self, Add.self, Remove.self, ImportFile.self, Gaps.self])

    struct Who: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Who is on call for an area, now or at --at.",
                                                        discussion: "Example: vigil rota who --db vigil.db --area 3 --at \"2026-12-07 07:59\"")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var zone: RotaZoneOptions
        @Option(help: "The area, 1 to 8.") var area: Int
        @Option(help: ArgumentHelp("The moment to ask about (default: now).", valueName: "TIME")) var at: String?

        func validate() throws {
            guard (1...8).contains(area) else { throw ValidationError("--area must be 1 to 8 (the service's city areas).") }
            if let at { _ = try zone.time(at, as: "--at") }
        }

        func run() throws {
            let when = try at.map { try zone.time($0, as: "--at") } ?? nowMillis()
            let rota = try RotaStore(try openDatabase(database, readOnly: true))
            let tz = try zone.zone()
            let chosen = try rota.onCallShifts(area: area, at: when)
            guard !chosen.isEmpty else {
                let next = try rota.shifts(area: area, from: when, until: when + 31 * 86_400_000).first
                let after = next.map { "; the next shift starts \(RotaTime.format($0.startsAt, zone: tz)) (\($0.responder))" } ?? ""
                throw UserFacingError("Nobody is on call for area \(area) at \(RotaTime.format(when, zone: tz))\(after).")
            }
            for s in chosen {
                let r = try rota.responder(s.responder)
                let why = s.kind == .override ? ", override: \(s.reason ?? "")" : ""
                print("area \(area) at \(RotaTime.format(when, zone: tz)): \(r?.name ?? s.responder) (\(s.responder)) \(r?.phone ?? ""), on call until \(RotaTime.format(s.endsAt, zone: tz))\(why)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List shifts from --from (default now) for --days days.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var zone: RotaZoneOptions
        @Option(help: "Only this area.") var area: Int?
        @Option(help: ArgumentHelp("The first moment to list.", valueName: "TIME")) var from: String?
        @Option(help: "How many days to list.") var days: Int = 7

        func validate() throws {
            if let from { _ = try zone.time(from, as: "--from") }
            guard (1...366).contains(days) else { throw ValidationError("--days must be 1 to 366.") }
        }

        func run() throws {
            let start = try from.map { try zone.time($0, as: "--from") } ?? nowMillis()
            let tz = try zone.zone()
            let shifts = try RotaStore(try openDatabase(database, readOnly: true)).shifts(area: area, from: start, until: start + EpochMillis(days) * 86_400_000)
            print(TextTable.render(header: ["ID", "AREA", "RESPONDER", "FROM", "UNTIL", "KIND", "REASON"], rows: shifts.map {
                [String($0.id), String($0.area), $0.responder, RotaTime.format($0.startsAt, zone: tz), RotaTime.format($0.endsAt, zone: tz), $0.kind.rawValue, $0.reason ?? ""]
            }))
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a shift, or with --override a one-off cover (audited).",
            discussion: "Example: vigil rota add --db vigil.db --area 3 --responder resp-ann --from \"2026-12-08 08:00\" --until \"2026-12-08 20:00\" --override --reason \"covering Bob's sickness\"")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var zone: RotaZoneOptions
        @Option(help: "The area, 1 to 8.") var area: Int
        @Option(help: "The responder's id.") var responder: String
        @Option(help: ArgumentHelp("When the shift starts.", valueName: "TIME")) var from: String
        @Option(help: ArgumentHelp("The hand-off: when it ends.", valueName: "TIME")) var until: String
        @Flag(help: "A one-off cover that wins over the rota for its hours.") var override = false
        @Option(help: "Why (an override needs one).") var reason: String?

        func run() throws {
            let shift = RotaShift(area: area, responder: responder, startsAt: try zone.time(from, as: "--from"), endsAt: try zone.time(until, as: "--until"),
                                  kind: override ? .override : .rota, reason: reason)
            let id: Int64
            do { id = try RotaStore(try openDatabase(database)).add(shift, now: nowMillis(), zone: try zone.zone()) } catch { throw UserFacingError("\(error)") }
            print("added \(override ? "override" : "shift") \(id)")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a shift or override by its id (audited).")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var zone: RotaZoneOptions
        @Argument(help: "The shift's id, from `vigil rota list`.") var id: Int64

        func run() throws {
            do { try RotaStore(try openDatabase(database)).remove(id, now: nowMillis(), zone: try zone.zone()) } catch { throw UserFacingError("\(error)") }
            print("removed shift \(id)")
        }
    }

    struct ImportFile: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import a rota from a CSV file, all or nothing.",
            discussion: """
                Columns: area, responder, starts, ends; optional kind (rota or override) and reason (an \
                override needs one). An area's rota rows must follow on from each other, each starting at the \
                previous one's hand-off: a gap or an overlap is refused with its line number, and nothing is \
                stored. A row already stored exactly so is left alone, so the same file imported twice changes nothing.
                """)
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var zone: RotaZoneOptions
        @Argument(help: ArgumentHelp("The CSV file.", valueName: "FILE.csv")) var file: String

        func run() throws {
            let header: [String], rows: [ImportRow]
            do { (header, rows) = try CSVImportFile.read(file) } catch { throw UserFacingError(error.description) }
            do {
                let r = try RotaStore(try openDatabase(database)).importRota(header: header, rows: rows, zone: try zone.zone(), now: nowMillis())
                print("imported \(file): \(r.added) shift\(r.added == 1 ? "" : "s") added, \(r.unchanged) unchanged")
            } catch let e as RotaImportRejected {
                throw UserFacingError("\(file): \(e)")
            } catch let e as ImportHeaderError {
                throw UserFacingError("\(file): \(e)")
            }
        }
    }

    struct Gaps: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Areas where people live with nobody on call in the next --hours hours.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var zone: RotaZoneOptions
        @Option(help: "How far ahead to look.") var hours: Int = 24

        func run() throws {
            let rota = try RotaStore(try openDatabase(database, readOnly: true))
            let now = nowMillis(), tz = try zone.zone()
            let gaps = try rota.areasWithPeople().flatMap { try rota.gaps(area: $0, from: now, until: now + EpochMillis(hours) * 3_600_000) }
            guard !gaps.isEmpty else {
                print("every area with people has someone on call for the next \(hours) h")
                return
            }
            for g in gaps { print("area \(g.area): nobody on call from \(RotaTime.format(g.from, zone: tz)) until \(RotaTime.format(g.until, zone: tz))") }
            throw ExitCode(1)
        }
    }
}
