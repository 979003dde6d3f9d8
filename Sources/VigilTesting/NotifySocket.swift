import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What systemd is on the other end of `NOTIFY_SOCKET`: a bound unix datagram socket that collects
/// the messages a service sends it (READY=1, WATCHDOG=1, …). Give `path` a file path, or a name
/// starting with "@" for an abstract socket (Linux; nothing on disk).
public final class NotifySocket: @unchecked Sendable {
    // @unchecked: owned by one test, read from one task.
    public let path: String
    private let fd: Int32

    public init(path: String) throws {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestKitError("cannot create a unix datagram socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        let abstract = bytes.first == UInt8(ascii: "@")
        if abstract { bytes[0] = 0 }
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(fd)
            throw TestKitError("socket path too long for sun_path: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in for (i, b) in bytes.enumerated() { raw[i] = b } }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (abstract ? 0 : 1))
        let rc = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard rc == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw TestKitError("cannot bind \(path): \(reason)")
        }
    }

    /// The next datagram, waiting at most `seconds`; nil if none came.
    public func receive(seconds: Double) -> String? {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, Int32(seconds * 1000)) > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = recv(fd, &buffer, buffer.count, 0)
        return n >= 0 ? String(decoding: buffer[..<n], as: UTF8.self) : nil
    }

    /// Collects datagrams until one contains `line` (as a whole line) or `seconds` pass; returns all
    /// received, in order.
    public func collect(until line: String, seconds: Double) -> [String] {
        var got: [String] = []
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            guard let m = receive(seconds: max(0.01, deadline.timeIntervalSinceNow)) else { break }
            got.append(m)
            if m.split(separator: "\n").contains(Substring(line)) { break }
        }
        return got
    }

    deinit {
        close(fd)
        if !path.hasPrefix("@") { unlink(path) }
    }
}
