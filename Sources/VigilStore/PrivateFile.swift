#if canImport(Glibc)
import Glibc
#endif

/// Files that hold personal data are created readable and writable by their owner only (0600).
public enum PrivateFile {
    /// Creates `path` empty with mode 0600 if it does not exist yet; an existing file is left as it
    /// is. SQLite then gives the database's -wal and -shm files the same mode as the database file,
    /// so the whole database stays private whatever the process umask is.
    static func create(_ path: String) throws(StoreError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 {
            // open() applies the umask, which can only remove bits: 0600 is what we asked for or less.
            fchmod(fd, 0o600)
            close(fd)
            return
        }
        guard errno == EEXIST else {
            throw StoreError(code: errno, operation: "create \(path)", message: String(cString: strerror(errno)))
        }
    }

    /// The permission bits of `path` that let group or others in (0 when it is private or missing).
    public static func exposure(_ path: String) -> UInt32 {
        var info = stat()
        guard stat(path, &info) == 0 else { return 0 }
        return UInt32(info.st_mode) & 0o077
    }
}
