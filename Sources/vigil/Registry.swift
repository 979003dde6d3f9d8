import ArgumentParser
import VigilCore
import VigilStore

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
        throw ValidationError(e.description)
    } catch {
        throw ValidationError("Cannot open the database \(options.db): \(error)")
    }
}

struct Users: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Register and list the people the service supports.",
        subcommands: [Add.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a person.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "A unique id for the person (1–64 of A-Z a-z 0-9 . _ : -).") var id: String
        @Option(help: "The person's name, as operators will see it.") var name: String
        @Option(help: "The city area, 1 to 8.") var area: Int?
        @Option(name: .customLong("group"), help: ArgumentHelp("A referral group; repeat for several: \(ReferralGroup.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "GROUP"))
        var groups: [ReferralGroup] = []

        func validate() throws {
            guard VigilWireIdentifier.isValid(id) else { throw ValidationError("The id \"\(id)\" must be 1–64 characters of letters, digits and . _ : -") }
            if let area, !(1...8).contains(area) { throw ValidationError("--area must be 1 to 8 (the service's city areas).") }
        }

        func run() throws {
            let db = try openDatabase(database)
            do { try Registry(db).addUser(UserRecord(id: id, name: name, area: area, groups: groups), now: nowMillis()) } catch {
                throw ValidationError("\(error)")
            }
            print("registered person \(id)")
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

struct Devices: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Register and list devices. A device registered while `vigil serve` runs is recognised at once.",
        subcommands: [Add.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a device for a person.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The device id, as in its topic telecare/v1/devices/{id}/events.") var id: String
        @Option(help: "The id of the person the device belongs to.") var user: String
        @Option(help: ArgumentHelp("The kind of device: \(DeviceKind.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "TYPE"))
        var type: DeviceKind
        @Option(help: ArgumentHelp("The device's check-in interval, if it sends heartbeats.", valueName: "SECONDS")) var heartbeat: Int?

        func validate() throws {
            guard VigilWireIdentifier.isValid(id) else { throw ValidationError("The device id \"\(id)\" must be 1–64 characters of letters, digits and . _ : -") }
            if let heartbeat, heartbeat <= 0 { throw ValidationError("--heartbeat must be a positive number of seconds.") }
        }

        func run() throws {
            let db = try openDatabase(database)
            do { try Registry(db).addDevice(DeviceRecord(id: id, userID: user, kind: type, heartbeatSeconds: heartbeat), now: nowMillis()) } catch {
                throw ValidationError("\(error)")
            }
            print("registered device \(id) for \(user)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List registered devices.")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let devices = try Registry(try openDatabase(database, readOnly: true)).devices()
            let rows = devices.map { [$0.id, $0.userID, $0.kind.rawValue, $0.heartbeatSeconds.map { "\($0) s" } ?? "-"] }
            print(TextTable.render(header: ["ID", "USER", "TYPE", "HEARTBEAT"], rows: rows))
            print("\(devices.count) device\(devices.count == 1 ? "" : "s")")
        }
    }
}
