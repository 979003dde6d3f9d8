import ArgumentParser
import Foundation
import VigilStore

/// `vigil restore --from FILE --db PATH`: a backup back in place, the replaced database kept whole.
struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Put a backup in place of the database (the daemon must be stopped).",
        discussion: """
            Checks the backup first (integrity, foreign keys, a Vigil database, a schema this vigil can \
            write) and changes nothing if it fails. The database it replaces is renamed, with its -wal \
            and -shm, to PATH.broken-{UTC time}: nothing is deleted. New alarm codes continue after the \
            highest the replaced database ever issued. On its next start the daemon clears the consoles' \
            queue of alarms the restored database does not hold open.
            """)

    @Option(help: ArgumentHelp("The backup file to restore (from `vigil backup` or the backup timer).", valueName: "FILE"))
    var from: String
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let result: Restore.Result
        do {
            result = try Restore.run(from: from, to: database.db, stamp: formatter.string(from: Date()), now: nowMillis())
        } catch let refusal as Restore.Refusal {
            throw UserFacingError(refusal.description)
        } catch {
            throw UserFacingError("The restore failed: \(error)")
        }
        if let warning = result.warning { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
        print("restored \(from) to \(database.db)")
        if let kept = result.keptAs { print("the replaced database is kept as \(kept) (with its -wal and -shm, if it had them)") }
        print("new alarm codes continue after id \(result.highestAlarmID)")
    }
}
