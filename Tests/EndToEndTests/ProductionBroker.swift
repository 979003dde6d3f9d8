import Foundation
import Mosquitto
import Testing
import VigilTesting

#if canImport(Glibc)
import Glibc
#endif

/// Mosquitto started as Debian starts it — its stock /etc/mosquitto/mosquitto.conf, which includes
/// conf.d/ — with the shipped deploy/mosquitto/vigil.conf in conf.d and vigil.acl beside it (password
/// file, ACL, TLS), all copied into a temporary tree. Only paths and ports change, so these tests
/// exercise the configuration an installer ends up with, not the shipped file alone.
final class ProductionBroker {
    let broker: Broker
    let tlsPort: Int32
    /// The password the daemon logs in with, as `vigil-serve`.
    let daemonPassword = "daemon-\(UInt64.random(in: 0...UInt64.max))"

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    /// Debian's own broker config, installed by the mosquitto package.
    static let debianConfig = "/etc/mosquitto/mosquitto.conf"

    init() throws {
        // Chosen again on every attempt Broker makes: a port taken by another test's process between
        // choosing and binding fails the start, and a retry on the same TLS port would fail again.
        var tls: Int32 = 0
        let password = daemonPassword
        broker = try Broker { port, dir in
            tls = Loopback.freePort()
            let certs = dir.file("certs")
            let made = try runProgram("\(Self.repository)/deploy/tls/make-test-certs.sh", [certs])
            guard made.status == 0 else { throw TestKitError("make-test-certs.sh failed: \(made.error)") }
            // Mosquitto started as root reads its files as user mosquitto (deploy/README.md has the
            // production ownership); these throwaway test files are simply made readable.
            chmod("\(certs)/server.key", 0o644)
            try? FileManager.default.removeItem(atPath: dir.file("vigil.acl"))
            try FileManager.default.copyItem(atPath: "\(Self.repository)/deploy/mosquitto/vigil.acl", toPath: dir.file("vigil.acl"))
            try? FileManager.default.removeItem(atPath: dir.file("vigil.passwd"))
            try Self.addPassword(file: dir.file("vigil.passwd"), user: "vigil-serve", password: password, create: true)
            chmod(dir.path, 0o755)
            // Mosquitto writes its persistence file and log as user mosquitto when started as root.
            // Its pid file too (under systemd, the drop-in's RuntimeDirectory /run/mosquitto).
            for sub in ["persist", "run", "conf.d"] {
                try FileManager.default.createDirectory(atPath: dir.file(sub), withIntermediateDirectories: true)
            }
            chmod(dir.file("persist"), 0o777)
            chmod(dir.file("run"), 0o777)
            _ = FileManager.default.createFile(atPath: dir.file("broker.log"), contents: nil)
            chmod(dir.file("broker.log"), 0o666)
            chmod(dir.file("vigil.acl"), 0o644)
            let vigil = try Self.rewrite(file: "\(Self.repository)/deploy/mosquitto/vigil.conf", [
                ("listener 1883 127.0.0.1", "listener \(port) 127.0.0.1"),
                ("listener 8883", "listener \(tls) 127.0.0.1"),
                ("/etc/mosquitto/certs/", "\(certs)/"),
                ("/etc/mosquitto/vigil.passwd", dir.file("vigil.passwd")),
                ("/etc/mosquitto/vigil.acl", dir.file("vigil.acl")),
            ])
            try vigil.write(toFile: dir.file("conf.d/vigil.conf"), atomically: true, encoding: .utf8)
            return try Self.rewrite(file: Self.debianConfig, [
                ("pid_file /run/mosquitto/mosquitto.pid", "pid_file \(dir.file("run/mosquitto.pid"))"),
                ("persistence_location /var/lib/mosquitto/", "persistence_location \(dir.file("persist"))/"),
                ("log_dest file /var/log/mosquitto/mosquitto.log", "log_dest file \(dir.file("broker.log"))"),
                ("include_dir /etc/mosquitto/conf.d", "include_dir \(dir.file("conf.d"))"),
            ])
        }
        tlsPort = tls
    }

    /// `file`'s text with each shipped path or port replaced; a line that is no longer there is an error,
    /// so the test cannot silently stop exercising a setting.
    static func rewrite(file: String, _ replacements: [(shipped: String, test: String)]) throws -> String {
        guard var text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw TestKitError("cannot read \(file); is the mosquitto package installed (`make deps`)?")
        }
        for (shipped, test) in replacements {
            guard text.contains(shipped) else { throw TestKitError("\(file) no longer has \"\(shipped)\"") }
            text = text.replacingOccurrences(of: shipped, with: test)
        }
        return text
    }

    /// What the broker logged to its log file (Debian's log_dest, moved into the temporary tree).
    func log() -> String { (try? String(contentsOfFile: broker.directory.file("broker.log"), encoding: .utf8)) ?? "" }

    var passwordFile: String { broker.directory.file("vigil.passwd") }
    var aclFile: String { broker.directory.file("vigil.acl") }

    /// Adds a login with `mosquitto_passwd` (password on stdin), as an installer would by hand.
    static func addPassword(file: String, user: String, password: String, create: Bool = false) throws {
        if create, !FileManager.default.createFile(atPath: file, contents: nil) { throw TestKitError("cannot create \(file)") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/mosquitto_passwd")
        p.arguments = [file, user]
        let input = Pipe()
        p.standardInput = input
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        input.fileHandleForWriting.write(Data("\(password)\n\(password)\n".utf8))
        try input.fileHandleForWriting.close()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw TestKitError("mosquitto_passwd failed for \(user)") }
    }

    /// `vigil serve` config that logs in as vigil-serve with a password file of its own.
    func daemonConfig() throws -> String {
        let file = broker.directory.file("daemon-password")
        try daemonPassword.write(toFile: file, atomically: true, encoding: .utf8)
        return """
            username: vigil-serve
            password_file: \(file)
            """
    }

    /// The CONNACK code the broker answers a login with (0 accepted, 4 bad credentials, 5 not authorised).
    func connack(username: String?, password: String?) throws -> Int32? {
        let client = try MosquittoClient(.init(host: "127.0.0.1", port: broker.port, username: username, password: password))
        defer { client.disconnect() }
        var code: Int32?
        _ = waitUntil(seconds: 10) {
            for e in client.pump(timeoutMilliseconds: 20) {
                if case .connected(let c) = e { code = c }
            }
            return code != nil
        }
        return code
    }
}

/// The password `vigil devices add --credentials` / `vigil operators add --credentials` printed once.
func issuedPassword(_ output: String) throws -> String {
    let line = try #require(output.split(separator: "\n").first { $0.contains("password:") })
    return String(line.split(separator: ":", maxSplits: 1)[1]).trimmingCharacters(in: .whitespaces)
}
