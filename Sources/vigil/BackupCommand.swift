import ArgumentParser
import Foundation
import VigilCore
import VigilEngine
import VigilStore

/// `vigil backup --db PATH --to FILE`: an online copy while `vigil serve` runs.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the live database to a file (SQLite online backup; the daemon keeps running).",
        discussion: """
            The copy is the database as of one commit: every event acknowledged before the backup \
            started is in it. It is written with mode 0600. Restore: see deploy/README.md.
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: ArgumentHelp("The backup file to write.", valueName: "FILE")) var to: String
    @Flag(help: "Replace the backup file if it exists.") var force = false

    func run() throws {
        guard FileManagerShim.exists(database.db) else {
            throw UserFacingError("There is no database at \(database.db).")
        }
        if FileManagerShim.exists(to) && !force {
            throw UserFacingError("\(to) already exists; give --force to replace it.")
        }
        let result: Backup.Result
        do { result = try Backup.run(source: database.db, destination: to) } catch {
            throw UserFacingError("The backup failed: \(error)")
        }
        print("backed up \(database.db) to \(to): \(result.pages) pages of \(result.pageSize) bytes (\(result.bytes) bytes)")
    }
}

/// `vigil db check --db PATH`: integrity and foreign keys, for a restored or suspect database.
struct DatabaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Database maintenance.",
        subcommands: [Check.self, Migrate.self, Prune.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a database's integrity and foreign keys; exits 1 and lists the problems if any.")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            guard FileManagerShim.exists(database.db) else {
                throw UserFacingError("There is no database at \(database.db).")
            }
            let problems: [String]
            do { problems = try IntegrityCheck.problems(path: database.db) } catch {
                throw UserFacingError("Cannot check \(database.db): \(error)")
            }
            if problems.isEmpty {
                print("\(database.db): ok (integrity and foreign keys)")
                return
            }
            for p in problems { FileHandle.standardError.write(Data("\(p)\n".utf8)) }
            FileHandle.standardError.write(Data("\(database.db): \(problems.count) problem\(problems.count == 1 ? "" : "s")\n".utf8))
            throw ExitCode(1)
        }
    }

    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Upgrade the database to this vigil's schema, taking a backup first.",
            discussion: """
                Other commands refuse a database not yet upgraded; `vigil serve` upgrades it the same way \
                on start. The backup is written beside the database as \
                PATH.before-schema-{new}-from-{old}.backup.
                """)
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            guard FileManagerShim.exists(database.db) else {
                throw UserFacingError("There is no database at \(database.db).")
            }
            let result: Upgrade.Result
            do { result = try Upgrade.run(path: database.db, now: nowMillis()) } catch {
                throw UserFacingError("Cannot upgrade \(database.db): \(error.message)")
            }
            guard let backup = result.backup else {
                print("\(database.db): already at schema version \(SchemaVersion.binary); nothing to do")
                return
            }
            print("backed up \(database.db) to \(backup)")
            for name in result.applied { print("applied \(name)") }
            print("\(database.db): now at schema version \(SchemaVersion.binary)")
        }
    }

    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete raw events and dead letters received before a date (the daemon may keep running).",
            discussion: """
                Events attached to an alarm are kept, as are alarms, audit, caseload, surveys and alarm \
                history: no report reads raw events. Deletes 2,000 rows per transaction, so the daemon's \
                commits go on between them. `retention:` in the daemon's config does the same daily.
                """)
        @OptionGroup var database: DatabaseOptions
        @Option(help: ArgumentHelp("Delete what was received before 00:00 UTC of this day.", valueName: "YYYY-MM-DD"))
        var before: String

        func validate() throws {
            guard Day(iso: before) != nil else { throw ValidationError("--before must be a date as YYYY-MM-DD, not \(before).") }
        }

        func run() throws {
            guard let day = Day(iso: before) else { return }
            let cutoff = EpochMillis(day.daysSinceEpoch) * 86_400_000
            let week = nowMillis() - EpochMillis(VigilConfig.minimumRetentionDays) * 86_400_000
            guard cutoff <= week else {
                throw UserFacingError("--before \(before) is within the last \(VigilConfig.minimumRetentionDays) days: devices may still resend those events. Give an earlier date.")
            }
            let db = try openDatabase(database)
            let retention = Retention(db)
            var progress = Retention.Progress()
            let started = Date()
            do {
                while !progress.finished { try retention.pruneSlice(before: cutoff, &progress) }
            } catch {
                throw UserFacingError("The prune stopped after \(progress.events) events and \(progress.deadLetters) dead letters (each slice that finished is committed): \(error)")
            }
            let seconds = Date().timeIntervalSince(started)
            print("deleted \(progress.events) events and \(progress.deadLetters) dead letters received before \(before) in \(String(format: "%.2f", seconds)) s")
        }
    }
}
