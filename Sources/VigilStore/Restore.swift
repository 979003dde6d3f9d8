import VigilCore

#if canImport(Glibc)
import Glibc
#endif

/// `vigil restore`: puts a backup in place of a database, keeping the database it replaces whole.
///
/// The order matters. The backup is checked before anything moves (integrity, a Vigil database, a
/// schema this binary can write). The replaced database is renamed, never deleted, with its `-wal`
/// and `-shm` under the same new name, so the kept copy opens with every commit it had (its WAL may
/// hold the last minutes of events). The highest alarm id the kept copy ever issued is carried into
/// the restored file's mark, so no alarm code is issued twice. The daemon must be stopped: the
/// restore takes its writer lock for the duration.
public enum Restore {
    public struct Result: Sendable, Equatable {
        /// Where the replaced database now is, nil when there was none.
        public var keptAs: String?
        /// The alarm id the next alarm will follow.
        public var highestAlarmID: Int64
        /// Why the replaced database's alarm mark could not be read, if it could not.
        public var warning: String?
    }

    public struct Refusal: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Restores `backup` as the database at `path`. `stamp` names the kept copy (`{path}.broken-{stamp}`).
    public static func run(from backup: String, to path: String, stamp: String, now: EpochMillis) throws -> Result {
        guard access(backup, R_OK) == 0 else { throw Refusal(description: "Cannot read the backup \(backup): \(String(cString: strerror(errno))).") }
        let lock: WriterLock
        do { lock = try WriterLock(databasePath: path) } catch let held as WriterLock.Held {
            throw Refusal(description: "\(held) A restore needs the daemon stopped (systemctl stop vigil).")
        }
        defer { withExtendedLifetime(lock) {} }
        try check(backup)

        var keptAs: String?
        var highest: Int64 = 0
        var warning: String?
        if access(path, F_OK) == 0 {
            do throws(StoreError) { highest = try highestIssued(path) } catch {
                warning = "the replaced database's alarm numbers could not be read (\(error)); alarm codes continue after the backup's own"
            }
            let kept = "\(path).broken-\(stamp)"
            guard access(kept, F_OK) != 0 else { throw Refusal(description: "\(kept) already exists; move it away first.") }
            // The main file last: until it moves, a failure leaves the database where it was.
            for suffix in ["-wal", "-shm", ""] where access(path + suffix, F_OK) == 0 {
                guard rename(path + suffix, kept + suffix) == 0 else {
                    throw Refusal(description: "Cannot move \(path + suffix) to \(kept + suffix): \(String(cString: strerror(errno))).")
                }
            }
            keptAs = kept
        }
        _ = try Backup.run(source: backup, destination: path)
        // A backup from an older Vigil is brought up to date here: the backup file itself stays as it was.
        let db = try Database.openVigil(path: path, now: now, migrating: true)
        highest = max(highest, try AlarmStore(db).maxAlarmID())
        try db.transaction {
            try db.prepare("UPDATE alarm_code_mark SET highest_id = ? WHERE only = 1").run([.int(highest)])
            try db.prepare("INSERT INTO audit(at, alarm_id, actor, action, detail) VALUES (?, NULL, 'vigil restore', 'restore', ?)")
                .run([.int(now), .text("restored from \(backup); replaced database kept as \(keptAs ?? "(none)"); alarm codes continue after id \(highest)")])
        }
        return Result(keptAs: keptAs, highestAlarmID: highest, warning: warning)
    }

    /// The backup is sound, is Vigil's, and is not newer than this binary.
    static func check(_ backup: String) throws {
        let problems: [String]
        do { problems = try IntegrityCheck.problems(path: backup) } catch {
            throw Refusal(description: "The backup \(backup) cannot be read as a database (\(error.message)); nothing was changed.")
        }
        guard problems.isEmpty else {
            throw Refusal(description: "The backup \(backup) fails its checks, nothing was changed:\n" + problems.joined(separator: "\n"))
        }
        let version = try Database(path: backup, mode: .readOnly).schemaVersion()
        if version == .foreign {
            throw Refusal(description: "The backup \(backup) is not a Vigil database (it has no schema_migrations table). Nothing was changed.")
        }
        if case .newer(let v, _) = version {
            throw Refusal(description: "The backup \(backup) has schema version \(v), newer than this vigil's \(SchemaVersion.binary) (\(SchemaVersion.binaryNewest)); restore it with the vigil that made it. Nothing was changed.")
        }
    }

    /// The highest alarm id the database at `path` issued: its mark if it has one, else its table.
    static func highestIssued(_ path: String) throws(StoreError) -> Int64 {
        let db = try Database(path: path, mode: .readOnly)
        let hasMark = try db.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'alarm_code_mark'") == 1
        let table = try db.scalar("SELECT coalesce(max(id), 0) FROM alarms")
        return hasMark ? max(table, try db.scalar("SELECT highest_id FROM alarm_code_mark")) : table
    }
}
