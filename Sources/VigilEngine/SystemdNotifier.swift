#if canImport(Glibc)
import Glibc
#endif
import VigilCore

/// systemd's service notification protocol (sd_notify(3)), by hand: one datagram of `KEY=VALUE`
/// lines to the unix socket named by `NOTIFY_SOCKET`. It is a few lines of socket code, so Vigil
/// takes no libsystemd dependency for it (docs/design.md, "Running under systemd").
///
/// Outside systemd (no `NOTIFY_SOCKET`) every call does nothing. Owned by the ingest thread.
final class SystemdNotifier {
    /// The socket address, as given; `@name` is an abstract socket (a leading NUL byte on the wire).
    let socketPath: String?
    /// Half of `WATCHDOG_USEC`, as systemd advises; nil when the unit has no watchdog.
    let watchdogIntervalMillis: EpochMillis?
    private var fd: Int32 = -1
    private var lastWatchdog: EpochMillis?
    private(set) var isReady = false

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` (the watchdog is ours only when the
    /// pid, if given, is this process's).
    init(environment: [String: String]) {
        let path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        socketPath = path
        var interval: EpochMillis?
        if path != nil, let usec = environment["WATCHDOG_USEC"].flatMap({ Int64($0) }), usec > 0 {
            let mine = environment["WATCHDOG_PID"].flatMap { Int32($0) }.map { $0 == getpid() } ?? true
            if mine { interval = max(1, usec / 2_000) }
        }
        watchdogIntervalMillis = interval
        if path != nil { fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
    }

    convenience init() {
        var env: [String: String] = [:]
        for key in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"] {
            if let v = getenv(key) { env[key] = String(cString: v) }
        }
        self.init(environment: env)
    }

    deinit { if fd >= 0 { close(fd) } }

    /// READY=1, once: the database is open and the broker has accepted the first connection.
    func ready(status: String) {
        guard !isReady else { return }
        isReady = true
        send("READY=1\nSTATUS=\(status)")
    }

    /// WATCHDOG=1, at most once per half watchdog interval. Called from every turn of the ingest
    /// loop, so a loop that stops turning stops the heartbeat and systemd restarts the daemon.
    func watchdog(now: EpochMillis) {
        guard let interval = watchdogIntervalMillis else { return }
        if let last = lastWatchdog, now - last < interval, now >= last { return }
        lastWatchdog = now
        send("WATCHDOG=1")
    }

    func stopping() {
        send("STOPPING=1")
    }

    /// Best effort: a lost notification costs at worst a restart by the watchdog, never an event.
    @discardableResult
    func send(_ message: String) -> Bool {
        guard let path = socketPath, fd >= 0 else { return false }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity || (bytes.first == 0 && bytes.count <= capacity) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        // An abstract name's length is exact (no terminating NUL); a path's includes its NUL.
        let length = MemoryLayout<sa_family_t>.size + bytes.count + (bytes.first == 0 ? 0 : 1)
        let payload = Array(message.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                payload.withUnsafeBytes { sendto(fd, $0.baseAddress, payload.count, Int32(MSG_NOSIGNAL), sa, socklen_t(length)) }
            }
        }
        return sent == payload.count
    }
}
