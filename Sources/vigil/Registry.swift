import ArgumentParser
import VigilCommandLine
import VigilCore
import VigilStore
import VigilText

extension Priority: ExpressibleByArgument {}

extension ReferralGroup: ExpressibleByArgument {}
extension DeviceKind: ExpressibleByArgument {}

/// Opens the database for a CLI command, turning failures into a sentence.
func openDatabase(_ options: DatabaseOptions, readOnly: Bool = false) throws -> Database {
    do {
        if readOnly {
            guard FileManagerShim.exists(options.db) else {
                throw UserFacingError("There is no database at \(options.db). Start `vigil serve --db \(options.db)` or register someone first.")
            }
            return try Database(path: options.db, mode: .readOnly)
        }
        return try Database.openVigil(path: options.db, now: nowMillis())
    } catch let e as UserFacingError {
        throw UserFacingError(e.description)
    } catch let e as StoreError {
        // A schema refusal is a sentence already (what to run, or both versions).
        throw UserFacingError("Cannot open the database \(options.db): \(e.message)")
    } catch {
        throw UserFacingError("Cannot open the database \(options.db): \(error)")
    }
}

struct Users: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Register and list the people the service supports.",
        subcommands: [Add.self, List.self, Show.self, Update.self, End.self, Start.self, Triage.self, Status.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a person and open their service from --start (audited).")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "A unique id for the person (1–64 of A-Z a-z 0-9 . _ : -).") var id: String
        @Option(help: ArgumentHelp("The first day of their service (default: today in --timezone).", valueName: "YYYY-MM-DD or DD/MM/YYYY"))
        var start: String?
        @Option(help: ArgumentHelp("The service's time zone, which decides what day today is.", valueName: "ZONE"))
        var timezone: String = "Europe/London"
        @Option(help: "The person's name, as operators will see it.") var name: String
        @Option(help: "The city area, 1 to 8.") var area: Int?
        @Option(name: .customLong("group"), help: ArgumentHelp("A referral group; repeat for several: \(ReferralGroup.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "GROUP"))
        var groups: [ReferralGroup] = []
        @Option(help: "Their address, as a responder needs it.") var address: String?
        @Option(help: "How to get in: key safe, door entry, pets.") var access: String?
        @Option(help: "Conditions the operator should know of.") var conditions: String?

        func validate() throws {
            try IdentifierArgument.check(id, as: "The person id")
            if let area, !(1...8).contains(area) { throw ValidationError("--area must be 1 to 8 (the service's city areas).") }
            _ = try ServiceDay.parse(start, as: "--start")
            _ = try ServiceDay.zone(timezone)
        }

        func run() throws {
            let db = try openDatabase(database)
            let day = try ServiceDay.parse(start, as: "--start") ?? ServiceDay.today(in: ServiceDay.zone(timezone))
            do {
                try Registry(db).addUser(UserRecord(id: id, name: name, area: area, groups: groups, address: address, accessNotes: access, conditions: conditions),
                                         start: day, now: nowMillis())
            } catch {
                throw UserFacingError("\(error)")
            }
            print("registered person \(id), supported from \(day)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List registered people.")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let users = try Registry(try openDatabase(database, readOnly: true)).users()
            let rows = users.map { [$0.id, $0.name, $0.area.map(String.init) ?? "-", $0.groups.map(\.rawValue).joined(separator: ",")] }
            print(TextTable.render(header: ["ID", "NAME", "AREA", "GROUPS"], rows: rows))
            print("\(users.count) \(users.count == 1 ? "person" : "people")")
        }
    }
}

extension Users {
    struct Triage: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a person's triage plan (replaces their earlier one; audited).",
            discussion: "Example: vigil users triage --db vigil.db --id u-001 --exit-always-p1 --night 21:00-08:00")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The person's id.") var id: String
        @Flag(help: "Property exit is P1 at any hour (a person with dementia at risk of leaving home).") var exitAlwaysP1 = false
        @Option(help: ArgumentHelp("Their own night window for property exit, e.g. 21:00-08:00.", valueName: "HH:MM-HH:MM")) var night: String?
        @Option(help: "NEWS2 SpO2 scale: 1, or 2 for hypercapnic respiratory failure (a clinician's decision).") var spo2Scale: Int = 1
        @Flag(help: "Heart failure: a weight gain of 2 kg or more over 3 days raises a P2.") var heartFailure = false

        func window() throws -> (Int, Int)? {
            guard let night else { return nil }
            let parts = night.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, let a = MinuteOfDay.parse(parts[0]), let b = MinuteOfDay.parse(parts[1]) else {
                throw ValidationError("--night \"\(night)\" must be two times of day HH:MM-HH:MM on the 24-hour clock, like 21:00-08:00.")
            }
            guard a != b else { throw ValidationError("--night \"\(night)\" starts and ends at the same time; a night window needs two different times.") }
            return (a, b)
        }

        func validate() throws {
            guard spo2Scale == 1 || spo2Scale == 2 else { throw ValidationError("--spo2-scale must be 1 or 2.") }
            _ = try window()
        }

        func run() throws {
            let db = try openDatabase(database)
            let w = try window()
            let plan = PersonTriage(exitAlwaysEmergency: exitAlwaysP1, nightStartMinute: w?.0, nightEndMinute: w?.1, spo2Scale2: spo2Scale == 2, heartFailure: heartFailure)
            do { try Registry(db).setTriage(user: id, plan, now: nowMillis()) } catch { throw UserFacingError("\(error)") }
            print("triage plan set for \(id)")
        }
    }
}

struct Operators: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Register and list monitoring-centre operators and supervisors.",
        subcommands: [Add.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register an operator.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The operator's id (their console and MQTT user name).") var id: String
        @Option(help: "Their name.") var name: String
        @Option(help: "operator or supervisor.") var role: OperatorRole = .operator
        @OptionGroup var credentials: CredentialOptions
        @Option(help: ArgumentHelp("The broker's ACL file, with --credentials: the operator is granted the live queue there.", valueName: "FILE"))
        var aclFile: String = "/etc/mosquitto/vigil.acl"

        func validate() throws {
            try IdentifierArgument.check(id, as: "The operator id")
        }

        func run() throws {
            let db = try openDatabase(database)
            var password: String?
            do {
                try Registry(db).addOperator(OperatorRecord(id: id, name: name, role: role), now: nowMillis(), issuing: credentials.issuer(for: id, queueACL: aclFile, supervisor: role == .supervisor) { password = $0 })
            } catch {
                throw UserFacingError("\(error)")
            }
            print("registered \(role.rawValue) \(id)")
            credentials.show(username: id, password: password)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List operators.")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let ops = try Registry(try openDatabase(database, readOnly: true)).operators()
            print(TextTable.render(header: ["ID", "NAME", "ROLE"], rows: ops.map { [$0.id, $0.name, $0.role.rawValue] }))
        }
    }
}

extension OperatorRole: ExpressibleByArgument {}

struct Devices: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Register and list devices. A device registered while `vigil serve` runs is recognised at once.",
        subcommands: [Add.self, List.self, Unregistered.self, Unrecognised.self, Suspend.self, Resume.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a device for a person.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The device id, as in its topic telecare/v1/devices/{id}/events.") var id: String
        @Option(help: "The id of the person the device belongs to.") var user: String
        @Option(help: ArgumentHelp("The kind of device: \(DeviceKind.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "TYPE"))
        var type: DeviceKind
        @Option(help: ArgumentHelp("The device's check-in interval, if it sends heartbeats.", valueName: "SECONDS")) var heartbeat: Int?
        @Option(help: ArgumentHelp("Its friendly name on the Zigbee2MQTT bridge (it publishes on zigbee2mqtt/NAME).", valueName: "NAME")) var zigbee: String?
        @Flag(help: "A door sensor on a way out of the home (property exit).") var exit = false
        @OptionGroup var credentials: CredentialOptions

        func validate() throws {
            try IdentifierArgument.check(id, as: "The device id")
            if let heartbeat, heartbeat <= 0 { throw ValidationError("--heartbeat must be a positive number of seconds.") }
            if let zigbee, zigbee.isEmpty || zigbee.contains(where: { "+#".contains($0) }) || zigbee.hasPrefix("bridge") {
                throw ValidationError("--zigbee must be the device's friendly name, without + or #, and not a bridge topic.")
            }
            if exit && type != .door { throw ValidationError("--exit applies to door sensors (--type door).") }
        }

        func run() throws {
            let db = try openDatabase(database)
            var password: String?
            do {
                try Registry(db).addDevice(DeviceRecord(id: id, userID: user, kind: type, heartbeatSeconds: heartbeat, zigbeeName: zigbee, propertyExit: exit), now: nowMillis(),
                                           issuing: credentials.issuer(for: id) { password = $0 })
            } catch {
                throw UserFacingError("\(error)")
            }
            print("registered device \(id) for \(user)")
            credentials.show(username: id, password: password)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List registered devices.")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let devices = try Registry(try openDatabase(database, readOnly: true)).devices()
            let rows = devices.map { [$0.id, $0.userID, $0.kind.rawValue + ($0.propertyExit ? " (exit)" : ""), $0.heartbeatSeconds.map { "\($0) s" } ?? "-", $0.zigbeeName ?? "-",
                                     $0.suspendedReason.map { "suspended: \($0)" } ?? ($0.heartbeatSeconds == nil ? "-" : "supervised")] }
            print(TextTable.render(header: ["ID", "USER", "TYPE", "HEARTBEAT", "ZIGBEE2MQTT", "SUPERVISION"], rows: rows))
            print("\(devices.count) device\(devices.count == 1 ? "" : "s")")
        }
    }

    struct Unregistered: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List devices heard from but not registered, newest first, with their last message.",
            discussion: """
                Every message from a device id that is not registered is kept as a dead letter; messages on a \
                Zigbee2MQTT topic nobody registered (bulbs, groups, a sensor paired at the bridge only) are \
                counted per topic with the last one kept. An emergency from either is also raised as a P1 \
                against "Unidentified caller". Register the device with `vigil devices add` (with --zigbee \
                for a bridge's friendly name) and it leaves this list.
                """)
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The Zigbee2MQTT bridge's base topic (the config's zigbee_base).") var zigbeeBase = "zigbee2mqtt"

        func run() throws {
            let heard = try UnregisteredDevices(try openDatabase(database, readOnly: true)).list(zigbeeBase: zigbeeBase)
            guard !heard.isEmpty else {
                print("no unregistered devices heard")
                return
            }
            let now = nowMillis()
            let rows = heard.map { h in
                [h.isTopic ? "topic \(h.source)" : h.source, "\(h.messages)", "\(h.alarms)", Age.text(now - h.firstHeard) + " ago",
                 Age.text(now - h.lastHeard) + " ago", Self.excerpt(h.lastPayload, size: h.lastPayloadSize)]
            }
            let table = TextTable([.init("DEVICE"), .init("MESSAGES", .right), .init("ALARMS", .right), .init("FIRST HEARD"), .init("LAST HEARD"), .init("LAST MESSAGE")])
            print(table.render(rows))
            print("\(heard.count) unregistered device\(heard.count == 1 ? "" : "s")")
        }

        /// The start of a payload on one line: invalid UTF-8 and control characters shown as `?`.
        /// Shared with `vigil devices unrecognised`.
        static func excerpt(_ bytes: [UInt8], size: Int) -> String {
            let text = String(decoding: bytes, as: UTF8.self).map { $0.isNewline || ($0.asciiValue.map { $0 < 32 } ?? false) || $0 == "\u{FFFD}" ? "?" : String($0) }.joined()
            let cut = text.count > 60 ? String(text.prefix(60)) + "…" : text
            return size > bytes.count ? cut + " (\(size) bytes)" : cut
        }
    }

    struct Unrecognised: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List registered devices that reported an alarm-looking key Vigil does not read, newest first.",
            discussion: """
                A Zigbee2MQTT device whose state holds a key that looks like an alarm (fire_alarm: true, \
                smoke_state: "alarm") but is not one Vigil reads has each such report stored, and the first \
                of a day raises a P3 "device reports something Vigil does not understand". Find out from \
                the device's maker what the key means before relying on the device.
                """)
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let reports = try UnrecognisedReports(try openDatabase(database, readOnly: true)).list()
            guard !reports.isEmpty else {
                print("no device reported anything Vigil does not understand")
                return
            }
            let now = nowMillis()
            let rows = reports.map { r in
                [r.device, r.user, "\(r.reports)", Age.text(now - r.firstHeard) + " ago", Age.text(now - r.lastHeard) + " ago", r.lastKeys,
                 Unregistered.excerpt(r.lastPayload, size: r.lastPayloadSize)]
            }
            let table = TextTable([.init("DEVICE"), .init("PERSON"), .init("REPORTS", .right), .init("FIRST"), .init("LAST"), .init("NOT UNDERSTOOD"), .init("LAST MESSAGE")])
            print(table.render(rows))
            print("\(reports.count) device\(reports.count == 1 ? "" : "s") reporting something Vigil does not understand")
        }
    }
}
