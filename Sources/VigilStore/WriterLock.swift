#if canImport(Glibc)
import Glibc
#endif

/// The daemon's claim on a database file: one `vigil serve` per database, for its whole life. Two
/// daemons on one file would each ack what the other stored as `duplicate` and each keep a desk that
/// knows nothing of the other's alarms. The lock is an exclusive `flock` on `<db>.lock`, which the
/// kernel releases when the process exits, however it exits; the file holds the holder's pid so the
/// second daemon can say whom it met. CLI commands and reports do not take it: SQLite serialises
/// their short writes.
public final class WriterLock {
    public let path: String
    private let fd: Int32

    public struct Held: Error, CustomStringConvertible {
        public var path: String
        public var holder: Int32?
        public var description: String {
            let who = holder.map { "process \($0)" } ?? "another process"
            return "Another vigil serve (\(who)) already runs on this database; it holds \(path). Stop it first, or give this one another --db."
        }
    }

    public init(databasePath: String) throws {
        path = databasePath + ".lock"
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StoreError(code: errno, operation: "open \(path)", message: String(cString: strerror(errno)))
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.readPid(fd)
            close(fd)
            throw Held(path: path, holder: holder)
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    deinit {
        // Closing releases the flock; the file (with a stale pid) stays, harmless to the next start.
        close(fd)
    }

    private static func readPid(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 16)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        let digits = buffer.prefix(n).prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        return Int32(String(decoding: digits, as: UTF8.self)).flatMap { $0 > 0 ? $0 : nil }
    }
}
