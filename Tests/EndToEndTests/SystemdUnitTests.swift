import Foundation
import Mosquitto
import Testing
import VigilTesting

#if canImport(Glibc)
import Glibc
#endif

/// deploy/systemd as shipped. systemd is not PID 1 here or in CI, so the units are checked with
/// `systemd-analyze` offline, and the daemon runs under the unit's SystemCallFilter= through
/// scripts/seccomp-exec.py (libseccomp, the same groups and rules as systemd's; `make deps` installs
/// systemd and python3-seccomp).
@Suite("End to end: the shipped systemd units", .serialized)
struct SystemdUnitTests {
    static let units = "\(ProductionBroker.repository)/deploy/systemd"
    static let wrapper = "\(ProductionBroker.repository)/scripts/seccomp-exec.py"
    /// Debian's python3: python3-seccomp installs there, not into another python3 on the PATH.
    static let python = "/usr/bin/python3"
    /// `systemd-analyze security --offline=yes deploy/systemd/vigil.service` measured 1.5 with systemd
    /// 252 (Debian 12) once setpriority was allowed; the filter that killed the daemon scored 1.4.
    static let exposureLimit = 1.5

    /// The units in a temporary tree, ExecStart pointing at this build's `vigil` (verify checks that
    /// the program exists), with Debian's mosquitto.service beside the drop-in so both load together.
    func unitTree() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory(prefix: "vigil-units")
        let fm = FileManager.default
        for name in try fm.contentsOfDirectory(atPath: Self.units) where name != "mosquitto.service.d" {
            let text = try String(contentsOfFile: "\(Self.units)/\(name)", encoding: .utf8)
            try text.replacingOccurrences(of: "/usr/local/bin/vigil", with: builtExecutable("vigil"))
                .write(toFile: dir.file(name), atomically: true, encoding: .utf8)
        }
        try fm.createDirectory(atPath: dir.file("mosquitto.service.d"), withIntermediateDirectories: true)
        try fm.copyItem(atPath: "\(Self.units)/mosquitto.service.d/vigil.conf", toPath: dir.file("mosquitto.service.d/vigil.conf"))
        try fm.copyItem(atPath: "/lib/systemd/system/mosquitto.service", toPath: dir.file("mosquitto.service"))
        return dir
    }

    /// Runs `systemd-analyze ARGS` in `dir`; stdout and stderr together.
    func analyze(_ args: [String], in dir: TemporaryDirectory) throws -> (status: Int32, output: String) {
        let r = try runProgram("/bin/sh", ["-c", "cd \"$0\" && exec systemd-analyze \"$@\" 2>&1", dir.path] + args)
        return (r.status, r.output)
    }

    /// verify exits 0 even for unknown keys and bad values, which it prints: the output must be empty.
    @Test func everyUnitVerifiesCleanly() throws {
        let dir = try unitTree()
        defer { dir.remove() }
        let r = try analyze(["verify", "vigil.service", "vigil-backup.service", "vigil-backup.timer",
                             "vigil-failure@vigil.service.service", "mosquitto.service"], in: dir)
        #expect(r.status == 0)
        #expect(r.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "systemd-analyze verify: \(r.output)")
        // The drop-in really was read with Debian's unit (a typo in it is reported like one in a unit).
        try "[Service]\nBogus=1\n".write(toFile: dir.file("mosquitto.service.d/zz-typo.conf"), atomically: true, encoding: .utf8)
        #expect(try analyze(["verify", "mosquitto.service"], in: dir).output.contains("Bogus"))
    }

    @Test func exposureScoreIsAtMostTheMeasuredOne() throws {
        let dir = try unitTree()
        defer { dir.remove() }
        let r = try analyze(["security", "--offline=yes", "vigil.service"], in: dir)
        // "→ Overall exposure level for vigil.service: 1.5 OK 🙂"
        let line = try #require(r.output.split(separator: "\n").first { $0.contains("Overall exposure level") }, "\(r.output)")
        let score = try #require(line.split(separator: ":").last?.split(separator: " ").first.flatMap { Double($0) }, "\(line)")
        #expect(score <= Self.exposureLimit, "\(r.output)")
        #expect(!r.output.contains("✗ User=/DynamicUser="), "the daemon must not run as root")
    }

    /// The filter the wrapper builds from the unit: setpriority in, identity and scheduling changes out.
    @Test func theUnitsFilterAllowsSetpriorityButNoPrivilegedCalls() throws {
        let r = try runProgram(Self.python, [Self.wrapper, "--unit", "\(Self.units)/vigil.service", "--print"])
        #expect(r.status == 0, "\(r.error)")
        let allowed = Set(r.output.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
        #expect(allowed.contains("allow:"))
        #expect(allowed.isSuperset(of: ["setpriority", "read", "write", "fdatasync", "connect", "execve"]))
        #expect(allowed.isDisjoint(with: ["setuid", "setgroups", "capset", "chown", "sched_setaffinity", "sched_setscheduler", "setrlimit", "mount", "ptrace"]))
    }

    /// The daemon under vigil.service's own filter lines, with its MemoryDenyWriteExecute= and
    /// RestrictAddressFamilies= (and as an unprivileged user, as User=vigil
    /// runs it: root makes SQLite chown its files, a call the daemon never makes under the unit)
    /// connects, acks a press, stays up and stops cleanly on SIGTERM.
    @Test func theDaemonRunsUnderTheUnitsSyscallFilter() throws {
        let site = try Site(startDaemon: false)
        defer { site.stop() }
        try giveToUnprivilegedUser(site.dir)
        let launcher = try filteredLauncher(in: site.dir, ["--unit", "\(Self.units)/vigil.service"])
        site.daemon = try VigilDaemon(databasePath: site.dbPath, broker: site.broker.address, logPath: site.dir.file("serve.log"), executable: launcher)
        let device = try TestDevice(site: site)
        let ack = try #require(device.send("pend-1", eventID: "e1", event("e1", "button")), "no ack: \(site.daemon.log())")
        #expect(ack.status == .accepted)
        let beat = try #require(device.send("pend-1", eventID: "h1", event("h1", "heartbeat")))
        #expect(beat.status == .rejected)
        #expect(site.daemon.isRunning, "\(site.daemon.log())")
        #expect(site.daemon.stop(signal: SIGTERM) == 0, "\(site.daemon.log())")
        #expect(site.daemon.log().contains("ingest stopped"))
        // It ran as the unprivileged user: the database it created is that user's.
        if let user = unprivilegedUser, let entry = getpwnam(user) {
            let owner = (try FileManager.default.attributesOfItem(atPath: site.dbPath)[.ownerAccountID] as? NSNumber)?.uint32Value
            #expect(owner == entry.pointee.pw_uid)
        }
    }

    /// What the unit shipped before: `~@privileged @resources` denies setpriority, which libdispatch's
    /// threads call at once, and the kernel kills the daemon with SIGSYS before its first log line.
    @Test func theOldFilterKillsTheDaemonWithSIGSYS() throws {
        let site = try Site(startDaemon: false)
        defer { site.stop() }
        try giveToUnprivilegedUser(site.dir)
        let launcher = try filteredLauncher(in: site.dir, ["--filter", "@system-service", "--filter", "~@privileged @resources"])
        let child = try ChildProcess(executable: launcher, arguments: ["serve", "--db", site.dbPath, "--broker", site.broker.address, "--log-level", "info"], logPath: site.dir.file("old.log"))
        #expect(child.wait() == 128 + SIGSYS, "\(child.log())")
        #expect(!child.log().contains("starting"), "\(child.log())")
        // The same filter with setpriority allowed again (the shipped unit's last line) is survived.
        let fixed = try filteredLauncher(in: site.dir, ["--filter", "@system-service", "--filter", "~@privileged @resources", "--filter", "setpriority"], name: "fixed")
        site.daemon = try VigilDaemon(databasePath: site.dbPath, broker: site.broker.address, logPath: site.dir.file("fixed.log"), executable: fixed)
        #expect(site.daemon.stop(signal: SIGTERM) == 0, "\(site.daemon.log())")
    }

    /// vigil-failure@.service's commands, as systemd would run them for vigil.service (`$$` is `$`,
    /// `%i` the failed unit), with the hook path pointed into a temporary directory.
    @Test func theFailureUnitLogsCriticallyAndRunsTheHookIfThere() throws {
        let dir = try TemporaryDirectory(prefix: "vigil-onfailure")
        defer { dir.remove() }
        let unit = try String(contentsOfFile: "\(Self.units)/vigil-failure@.service", encoding: .utf8)
        let commands = unit.split(separator: "\n").filter { $0.hasPrefix("ExecStart=") }.map {
            $0.dropFirst("ExecStart=".count).replacingOccurrences(of: "$$", with: "$")
                .replacingOccurrences(of: "%i", with: "vigil.service")
                .replacingOccurrences(of: "/etc/vigil/on-failure", with: dir.file("on-failure"))
        }
        #expect(commands.count == 2)
        func run() throws -> String {
            try commands.map { c in
                let r = try runProgram("/bin/sh", ["-c", c])
                #expect(r.status == 0, "\(c): \(r.error)")
                return r.output
            }.joined()
        }
        // No hook: the critical line alone.
        let alone = try run()
        #expect(alone.hasPrefix("<2>"), "\(alone)")
        #expect(alone.contains("vigil.service failed"))
        // A hook that is there but not executable is not run; an executable one gets the unit's name.
        try "#!/bin/sh\necho \"$1\" > \(dir.file("called"))\n".write(toFile: dir.file("on-failure"), atomically: true, encoding: .utf8)
        _ = try run()
        #expect(!FileManager.default.fileExists(atPath: dir.file("called")))
        chmod(dir.file("on-failure"), 0o755)
        _ = try run()
        #expect(try String(contentsOfFile: dir.file("called"), encoding: .utf8) == "vigil.service\n")
    }

    /// The broker as the drop-in runs it: as mosquitto from the start, with its state, runtime and log
    /// directories that user's (what systemd makes of StateDirectory=, RuntimeDirectory= and
    /// LogsDirectory= with User=mosquitto), Debian's own ExecStartPre lines first, then Debian's
    /// mosquitto.conf. Its persistence file is saved; with the state directory root's (what the
    /// drop-in without User= did) the broker cannot save it.
    @Test(.enabled(if: geteuid() == 0, "runs the broker as user mosquitto, which needs root"))
    func theBrokerRunsAsMosquittoUnderDebiansUnitAndConfig() throws {
        let dropIn = try String(contentsOfFile: "\(Self.units)/mosquitto.service.d/vigil.conf", encoding: .utf8)
        let settings = Set(dropIn.split(separator: "\n").map(String.init))
        #expect(settings.isSuperset(of: ["User=mosquitto", "Group=mosquitto", "StateDirectory=mosquitto", "RuntimeDirectory=mosquitto", "LogsDirectory=mosquitto"]))
        #expect(!settings.contains { $0.hasPrefix("ReadWritePaths=") && $0.contains("/run/mosquitto") })
        let owned = try runBrokerAsMosquitto(stateDirectoryOwnedByMosquitto: true)
        #expect(owned.saved, "\(owned.log)")
        let complaints = owned.log.split(separator: "\n").filter { $0.contains("Error") || $0.contains("Warning") || $0.contains("denied") }
        #expect(complaints.isEmpty, "\(owned.log)")
        let rootOwned = try runBrokerAsMosquitto(stateDirectoryOwnedByMosquitto: false)
        #expect(!rootOwned.saved)
        #expect(rootOwned.log.contains("Error saving in-memory database"), "\(rootOwned.log)")
    }

    /// Runs Debian's ExecStartPre lines and then Debian's broker config as user mosquitto, in a
    /// temporary tree; publishes a retained message, stops the broker with SIGTERM (it saves then).
    func runBrokerAsMosquitto(stateDirectoryOwnedByMosquitto: Bool) throws -> (saved: Bool, log: String) {
        let dir = try TemporaryDirectory(prefix: "vigil-mosquitto-unit")
        defer { dir.remove() }
        let user = try #require(getpwnam("mosquitto"), "no user mosquitto: run `make deps`")
        let moved = [("/run/mosquitto", dir.file("run")), ("/var/lib/mosquitto", dir.file("lib")), ("/var/log/mosquitto", dir.file("log"))]
        for (_, path) in moved {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            if stateDirectoryOwnedByMosquitto || !path.hasSuffix("/lib") {
                #expect(chown(path, user.pointee.pw_uid, user.pointee.pw_gid) == 0)
            }
        }
        func move(_ text: String) -> String { moved.reduce(text) { $0.replacingOccurrences(of: $1.0, with: $1.1) } }
        let asMosquitto = ["--reuid", "mosquitto", "--regid", "mosquitto", "--clear-groups"]

        let unit = try String(contentsOfFile: "/lib/systemd/system/mosquitto.service", encoding: .utf8)
        let startPre = unit.split(separator: "\n").filter { $0.hasPrefix("ExecStartPre=") }.map { move(String($0.dropFirst("ExecStartPre=".count))) }
        #expect(!startPre.isEmpty, "Debian's mosquitto.service has no ExecStartPre any more")
        for line in startPre {
            let r = try runProgram("/usr/bin/setpriv", asMosquitto + line.split(separator: " ").map(String.init))
            #expect(r.status == 0, "\(line), as mosquitto: \(r.error)")
        }

        let port = Loopback.freePort()
        let config = try ProductionBroker.rewrite(file: "/etc/mosquitto/mosquitto.conf", moved.map { (shipped: $0.0, test: $0.1) } + [
            (shipped: "include_dir /etc/mosquitto/conf.d", test: "listener \(port) 127.0.0.1\nallow_anonymous true"),
        ])
        try config.write(toFile: dir.file("mosquitto.conf"), atomically: true, encoding: .utf8)
        chmod(dir.file("mosquitto.conf"), 0o644)
        let broker = try ChildProcess(executable: "/usr/bin/setpriv", arguments: asMosquitto + ["/usr/sbin/mosquitto", "-c", dir.file("mosquitto.conf")], logPath: dir.file("stderr.log"))
        guard waitUntil(seconds: 10, { !broker.isRunning || Loopback.isListening(port: port) }), broker.isRunning else {
            throw TestKitError("mosquitto as user mosquitto did not start: \(broker.log())")
        }
        let client = try MosquittoClient(.init(host: "127.0.0.1", port: port))
        var connected = false
        _ = waitUntil(seconds: 10) {
            for case .connected(0) in client.pump(timeoutMilliseconds: 20) { connected = true }
            return connected
        }
        #expect(connected, "no CONNACK: \(broker.log())")
        let mid = try client.publish("vigil/test/kept", Array("kept".utf8), qos: 1, retain: true)
        var acked = false
        _ = waitUntil(seconds: 10) {
            for case .published(let m) in client.pump(timeoutMilliseconds: 20) where m == mid { acked = true }
            return acked
        }
        client.disconnect()
        #expect(acked, "no PUBACK")
        #expect(broker.stop(signal: SIGTERM) == 0, "\(broker.log())")
        let log = broker.log() + ((try? String(contentsOfFile: dir.file("log/mosquitto.log"), encoding: .utf8)) ?? "")
        return (FileManager.default.fileExists(atPath: dir.file("lib/mosquitto.db")), log)
    }

    // MARK: - Helpers

    /// The unprivileged user the daemon runs as when the test runs as root (CI does): nobody.
    var unprivilegedUser: String? { geteuid() == 0 ? "nobody" : nil }

    /// Hands the site's directory to that user so the daemon can create its database there.
    func giveToUnprivilegedUser(_ dir: TemporaryDirectory) throws {
        guard let user = unprivilegedUser else { return }
        let entry = try #require(getpwnam(user), "no user \(user)")
        #expect(chown(dir.path, entry.pointee.pw_uid, entry.pointee.pw_gid) == 0)
    }

    /// A script that runs this build's `vigil` with its arguments under the given filter (and user).
    func filteredLauncher(in dir: TemporaryDirectory, _ filter: [String], name: String = "vigil-filtered") throws -> String {
        let check = try runProgram(Self.python, ["-c", "import seccomp"])
        guard check.status == 0 else { throw TestKitError("python3-seccomp is not installed: run `make deps`. \(check.error)") }
        let user = unprivilegedUser.map { ["--user", $0] } ?? []
        let words = [Self.python, Self.wrapper] + filter + user + ["--", builtExecutable("vigil")]
        let quoted = words.map { "'" + $0.replacingOccurrences(of: "'", with: #"'\''"#) + "'" }.joined(separator: " ")
        let path = dir.file(name)
        try "#!/bin/sh\nexec \(quoted) \"$@\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }
}
