import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A private Mosquitto on a free loopback port, configured as Vigil's deploy config sizes it
/// (queues large enough for a daemon outage, no Nagle). Stopped by its PID.
public final class Broker: @unchecked Sendable {
    // @unchecked: the child process is owned by one test and stopped once.
    public private(set) var port: Int32
    public let directory: TemporaryDirectory
    private var child: ChildProcess?
    private let configPath: String

    public convenience init(extraConfig: String = "") throws {
        try self.init { port, _ in
            """
            listener \(port) 127.0.0.1
            allow_anonymous true
            set_tcp_nodelay true
            # A persistent session keeps QoS 1 messages for an offline daemon only up to this many.
            max_queued_messages 1000000
            max_queued_bytes 0
            max_inflight_messages 0
            persistence false
            log_dest stderr
            log_type error
            log_type warning
            \(extraConfig)
            """
        }
    }

    /// A broker with a whole configuration of the caller's making, such as the production config with
    /// its password file and ACL. `makeConfig` gets the free loopback port the broker must listen on
    /// (its first listener: the one `address` names) and the broker's own temporary directory, where
    /// it may write password files, ACLs and certificates.
    public init(config makeConfig: (_ port: Int32, _ directory: TemporaryDirectory) throws -> String) throws {
        directory = try TemporaryDirectory(prefix: "vigil-broker")
        port = Loopback.freePort()
        configPath = directory.file("mosquitto.conf")
        // The free port can be taken by another test's process before Mosquitto binds it: try again
        // on a new port when that happens. A config that logs to a file of its own (Debian's) leaves
        // no "in use" in the output read here, so any start that exits early is tried again.
        for attempt in 1...5 {
            try makeConfig(port, directory).write(toFile: configPath, atomically: true, encoding: .utf8)
            do {
                try start()
                return
            } catch let e as TestKitError where attempt < 5 && (e.description.contains("in use") || e.description.contains("did not start")) {
                port = Loopback.freePort()
            }
        }
    }

    public var address: String { "127.0.0.1:\(port)" }

    public func start() throws {
        let exe = ["/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let exe else { throw TestKitError("mosquitto is not installed: run `make deps` (apt-get install mosquitto).") }
        let c = try ChildProcess(executable: exe, arguments: ["-c", configPath], logPath: directory.file("mosquitto.log"))
        child = c
        // Listening, and by our own process (not another that holds the port).
        guard waitUntil(seconds: 10, { !c.isRunning || Loopback.isListening(port: port) }), c.isRunning else {
            child = nil
            throw TestKitError("mosquitto did not start on port \(port): \(c.log())")
        }
    }

    /// Stops the broker (SIGTERM, by PID) and waits for it.
    public func stop() {
        child?.stop(signal: SIGTERM)
        child = nil
    }

    /// SIGHUP: Mosquitto rereads its password file and ACL (as `systemctl reload mosquitto` does).
    public func reload() {
        if let pid = child?.pid { kill(pid, SIGHUP) }
    }

    public func restart() throws {
        stop()
        try start()
    }

    public var pid: Int32? { child?.pid }

    deinit {
        stop()
        directory.remove()
    }
}
