import Testing
@testable import VigilStore
import VigilTesting

#if canImport(Glibc)
import Glibc
#endif

/// The writer's own checkpoint between batches lets the next commit start the log again from its
/// beginning: the `-wal` file is overwritten in place instead of growing (IngestStore.boundWAL).
@Suite("WAL reused, not grown")
struct WALReuseTests {
    func walBytes(_ path: String) -> Int64 {
        var st = stat()
        return stat(path + "-wal", &st) == 0 ? Int64(st.st_size) : 0
    }

    /// Fifty commits of about three pages each, as fifty single-event batches would be.
    func commits(_ store: IngestStore, from: Int) throws {
        for i in from..<(from + 50) {
            try store.begin()
            try store.db.execute("INSERT INTO ballast(n, b) VALUES (\(i), randomblob(10000))")
            try store.commit()
        }
    }

    @Test func afterTheWritersCheckpointTheNextCommitsOverwriteTheLogInPlace() throws {
        let dir = try TemporaryDirectory(prefix: "vigil-wal")
        defer { dir.remove() }
        let path = dir.file("vigil.db")
        let store = try IngestStore(path: path, now: 0)
        try store.db.execute("CREATE TABLE ballast(n INTEGER PRIMARY KEY, b BLOB)")
        try commits(store, from: 0)
        let first = walBytes(path)
        #expect(store.walPagesWritten >= 150)

        // Without a checkpoint of the writer's own, the next fifty commits append to the log.
        try commits(store, from: 50)
        let grown = walBytes(path)
        #expect(grown > first + first / 2)

        // With one, they start again at its beginning: the file keeps the size it had.
        let checkpoint = try #require(try store.boundWAL(limitBytes: IngestStore.walLimitBytes))
        #expect(checkpoint.complete)
        #expect(!checkpoint.truncated)
        try commits(store, from: 100)
        #expect(walBytes(path) == grown)
        // Everything is still there.
        #expect(try store.db.scalar("SELECT count(*) FROM ballast") == 150)

        // Nothing appended since: no checkpoint at all.
        _ = try store.boundWAL(limitBytes: IngestStore.walLimitBytes)
        #expect(try store.boundWAL(limitBytes: IngestStore.walLimitBytes) == nil)

        // Past the limit (a disk short of space asks for 0): TRUNCATE, and the file goes.
        let truncate = try #require(try store.boundWAL(limitBytes: 0))
        #expect(truncate.truncated)
        #expect(walBytes(path) == 0)
    }
}
