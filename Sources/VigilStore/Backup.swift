import CSQLite

#if canImport(Glibc)
import Glibc
#endif

/// A consistent copy of a live Vigil database through SQLite's online backup API, taken while the
/// daemon keeps writing.
///
/// The whole copy is one `sqlite3_backup_step(-1)`: one read transaction on the source, so the copy
/// is the database as of one commit. (Copying in slices would restart every time the daemon commits
/// from its own process, and under a flood it commits constantly.) In WAL mode that read does not
/// block the daemon's commits; it only holds back the checkpointer until it finishes.
public enum Backup {
    public struct Result: Sendable, Equatable {
        public var pages: Int
        public var pageSize: Int
        public var bytes: Int { pages * pageSize }
    }

    /// Copies `source` to `destination` (replacing it if it exists: the CLI asks for --force first).
    /// The copy is written to a temporary file beside it (mode 0600), synced, and renamed into place,
    /// so `destination` is always either the old file or a complete new copy.
    public static func run(source: String, destination: String) throws(StoreError) -> Result {
        let partial = destination + ".partial"
        unlink(partial)
        unlink(partial + "-journal")
        try PrivateFile.create(partial)
        do throws(StoreError) {
            let result = try copy(source, into: partial)
            try syncFile(partial)
            guard rename(partial, destination) == 0 else {
                throw StoreError(code: errno, operation: "rename \(partial) to \(destination)", message: String(cString: strerror(errno)))
            }
            return result
        } catch {
            unlink(partial)
            unlink(partial + "-wal")
            unlink(partial + "-shm")
            throw error
        }
    }

    /// The copy itself; both connections are closed when it returns, before the file is moved.
    private static func copy(_ source: String, into path: String) throws(StoreError) -> Result {
        let from = try Database(path: source, mode: .readOnly)
        let to = try Database(path: path)
        guard let backup = sqlite3_backup_init(to.handle, "main", from.handle, "main") else {
            throw to.error(sqlite3_errcode(to.handle), "start the backup of \(source)")
        }
        let rc = sqlite3_backup_step(backup, -1)
        let pages = Int(sqlite3_backup_pagecount(backup))
        let finish = sqlite3_backup_finish(backup)
        guard rc == SQLITE_DONE else { throw to.error(rc, "copy \(source)") }
        guard finish == SQLITE_OK else { throw to.error(finish, "finish the backup of \(source)") }
        // The copy keeps the source's WAL mode; fold everything into the main file, then make it a
        // rollback-journal file: a copy that is moved, mailed or restored is then one self-contained
        // file, with no -wal or -shm to lose or orphan (the daemon turns WAL back on when it opens it).
        try to.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        try to.execute("PRAGMA journal_mode = DELETE")
        return Result(pages: pages, pageSize: Int(try to.scalar("PRAGMA page_size")))
    }

    private static func syncFile(_ path: String) throws(StoreError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError(code: errno, operation: "open \(path)", message: String(cString: strerror(errno))) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw StoreError(code: errno, operation: "fsync \(path)", message: String(cString: strerror(errno))) }
    }
}
