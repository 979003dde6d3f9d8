import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `vigil serve` as a child process of the test, on a given broker and database.
public final class VigilDaemon: @unchecked Sendable {
    // @unchecked: owned by one test, which starts and stops it from one task.
    public let databasePath: String
    public let broker: String
    let logPath: String
    let extraArguments: [String]
    let environment: [String: String]
    /// The `vigil` executable to run: this build's, or another (the benchmark's baseline).
    let executable: String
    private var child: ChildProcess?

    public init(databasePath: String, broker: String, logPath: String, extraArguments: [String] = [], environment: [String: String] = [:], executable: String? = nil) throws {
        self.environment = environment
        self.databasePath = databasePath
        self.broker = broker
        self.logPath = logPath
        self.extraArguments = extraArguments
        self.executable = executable ?? builtExecutable("vigil")
        try start()
    }

    /// Starts the daemon and waits until it has connected to the broker (its log says so).
    public func start() throws {
        let before = connections()
        let c = try ChildProcess(executable: executable, arguments: ["serve", "--db", databasePath, "--broker", broker, "--log-level", "info"] + extraArguments, logPath: logPath, environment: environment)
        child = c
        guard waitUntil(seconds: 15, { !c.isRunning || connections() > before }), c.isRunning else {
            throw TestKitError("vigil serve did not start: \(c.log())")
        }
    }

    /// How many times the daemon has logged a broker connection so far.
    func connections() -> Int {
        log().components(separatedBy: "connected to broker").count - 1
    }

    /// Sends `signal` (SIGTERM to stop cleanly, SIGKILL to crash it) and waits. Returns the exit status.
    @discardableResult
    public func stop(signal: Int32 = SIGTERM) -> Int32 {
        let status = child?.stop(signal: signal) ?? 0
        child = nil
        return status
    }

    public var isRunning: Bool { child?.isRunning ?? false }
    public func log() -> String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    deinit { child?.stop(signal: SIGKILL) }
}
