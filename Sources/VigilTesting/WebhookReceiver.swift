import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real HTTP webhook receiver on a free loopback port: a small Python `http.server`
/// (webhook_receiver.py) as a child process, stopped by its PID. It answers each POST with the next
/// of `answers` (the last repeats: `[500, 200]` fails once, then delivers) after `delaySeconds`, and
/// keeps every body.
public final class WebhookReceiver: @unchecked Sendable {
    // @unchecked: owned by one test, which starts, reads and stops it from one task.
    public let directory: TemporaryDirectory
    public let port: Int32
    private var child: ChildProcess?

    public init(answers: [Int] = [200], delaySeconds: Double = 0) throws {
        precondition(!answers.isEmpty)
        directory = try TemporaryDirectory(prefix: "vigil-webhook")
        guard let script = Bundle.module.path(forResource: "webhook_receiver", ofType: "py") else {
            throw TestKitError("webhook_receiver.py is missing from VigilTesting's resources")
        }
        let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let python else { throw TestKitError("python3 is not installed: the webhook receiver needs it (apt-get install python3).") }
        let c = try ChildProcess(executable: python, arguments: [script, directory.path, answers.map(String.init).joined(separator: ","), "\(delaySeconds)"],
                                 logPath: directory.file("receiver.log"))
        child = c
        let portFile = directory.file("port")
        guard waitUntil(seconds: 10, { !c.isRunning || FileManager.default.fileExists(atPath: portFile) }), c.isRunning,
              let text = try? String(contentsOfFile: portFile, encoding: .utf8), let port = Int32(text) else {
            throw TestKitError("the webhook receiver did not start: \(c.log())")
        }
        self.port = port
    }

    /// The receiver's address for `path` (any path is answered the same way).
    public func url(_ path: String = "/hook") -> URL { URL(string: "http://127.0.0.1:\(port)\(path)")! }

    /// Every POST received so far, in order: the status it was answered with, and its body.
    public func requests() -> [(status: Int, body: [UInt8])] {
        let dir = directory.file("requests")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        return names.compactMap { name in
            guard let status = Int(name.dropFirst(5).dropLast(5)), let data = FileManager.default.contents(atPath: "\(dir)/\(name)") else { return nil }
            return (status, Array(data))
        }
    }

    public func log() -> String { child?.log() ?? "" }

    /// Stops the receiver (SIGTERM, by PID) and removes its files.
    public func stop() {
        child?.stop(signal: SIGTERM)
        child = nil
        directory.remove()
    }

    deinit { child?.stop(signal: SIGKILL) }
}
