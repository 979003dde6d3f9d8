#if canImport(Glibc)
import Glibc
#endif

/// Free space on the database's filesystem against a floor (issue 15, section 8). Below the floor the
/// daemon stores and acknowledges emergencies only: everything else a device sends is left without
/// its ack, so the device sends it again once space returns, and the space left is what an
/// emergency, a claim or a resolution needs. It resumes by itself once the free space is back above
/// the floor by a margin, so a disk hovering at the floor does not flap between the two.
struct DiskWatch: Sendable {
    let floorBytes: Int64
    private(set) var low = false
    private(set) var lastFree: Int64?

    enum Change: Equatable { case none, becameLow, recovered }

    /// Free space must pass the floor by this much before the daemon accepts everything again.
    var marginBytes: Int64 { max(floorBytes / 10, 4 << 20) }

    init(floorBytes: Int64) {
        self.floorBytes = floorBytes
    }

    /// One reading of the free space (nil: it could not be read, and nothing changes).
    mutating func observe(freeBytes: Int64?) -> Change {
        guard floorBytes > 0, let free = freeBytes else { return .none }
        lastFree = free
        if !low && free < floorBytes {
            low = true
            return .becameLow
        }
        if low && free >= floorBytes + marginBytes {
            low = false
            return .recovered
        }
        return .none
    }

    /// What the status carries while space is short, for every console to show.
    func warning(node: String) -> String? {
        guard low else { return nil }
        return "The database disk on \(node) is nearly full (\(Self.megabytes(lastFree ?? 0)) free, floor \(Self.megabytes(floorBytes))): "
            + "only emergencies are being accepted; other events wait at the devices. Free space on it now."
    }

    static func megabytes(_ bytes: Int64) -> String { "\(bytes / (1 << 20)) MB" }

    /// Bytes an unprivileged process may still write on the filesystem that holds `path`.
    static func freeBytes(at path: String) -> Int64? {
        var s = statvfs()
        guard statvfs(path, &s) == 0 else { return nil }
        return Int64(s.f_bavail) * Int64(s.f_frsize)
    }
}
