import Foundation
import Testing
import VigilTesting

#if canImport(Glibc)
import Glibc
#endif

/// Is the centre alive: the daemon's last will reaching a console, and the systemd handshake, on a
/// real Mosquitto with the real `vigil serve`.
@Suite("End to end: daemon liveness", .serialized)
struct LivenessEndToEndTests {
    @Test func aKilledDaemonShowsCentreOfflineOnTheConsoleAndARestartClearsIt() throws {
        let site = try Site()
        defer { site.stop() }
        try site.vigil("operators", "add", "--db", site.dbPath, "--id", "op1", "--name", "Sam Okoro")
        let tmux = try ConsoleEndToEndTests.Tmux(dir: site.dir, command: [builtExecutable("vigil"), "console", "--broker", site.broker.address, "--operator", "op1", "--no-bell"])
        defer { tmux.stop() }
        #expect(waitUntil(seconds: 15) { tmux.screen().contains("connected") }, "\(tmux.screen())")
        #expect(!tmux.screen().contains("CENTRE OFFLINE"), "\(tmux.screen())")

        // SIGKILL: no goodbye, no DISCONNECT. The broker sees the socket close and publishes the
        // daemon's last will; the console must show it well inside 15 s.
        let killedAt = Date()
        site.daemon.stop(signal: SIGKILL)
        #expect(waitUntil(seconds: 15) { tmux.screen().contains("CENTRE OFFLINE — alarms are not being received") }, "\(tmux.screen())")
        #expect(Date().timeIntervalSince(killedAt) < 15)

        try site.startVigil()
        #expect(waitUntil(seconds: 15) { !tmux.screen().contains("CENTRE OFFLINE") }, "a restarted daemon clears the banner: \(tmux.screen())")
    }

    @Test func aCleanStopAlsoSaysOffline() throws {
        // SIGTERM sends DISCONNECT, which discards the will: the daemon must say "offline" itself.
        let site = try Site()
        defer { site.stop() }
        try site.vigil("operators", "add", "--db", site.dbPath, "--id", "op1", "--name", "Sam Okoro")
        let tmux = try ConsoleEndToEndTests.Tmux(dir: site.dir, command: [builtExecutable("vigil"), "console", "--broker", site.broker.address, "--operator", "op1", "--no-bell"])
        defer { tmux.stop() }
        #expect(waitUntil(seconds: 15) { tmux.screen().contains("connected") }, "\(tmux.screen())")
        #expect(site.daemon.stop(signal: SIGTERM) == 0)
        #expect(waitUntil(seconds: 10) { tmux.screen().contains("CENTRE OFFLINE") }, "\(tmux.screen())")
    }

    @Test func underSystemdTheDaemonSaysReadyThenKeepsTheWatchdogFed() throws {
        let site = try Site(startDaemon: false)
        defer { site.stop() }
        let sink = try NotifySocket(path: site.dir.file("notify.sock"))
        // WatchdogSec=2s: a heartbeat at least every second.
        let daemon = try VigilDaemon(databasePath: site.dbPath, broker: site.broker.address, logPath: site.dir.file("serve.log"),
                                     environment: ["NOTIFY_SOCKET": sink.path, "WATCHDOG_USEC": "2000000"])
        defer { daemon.stop() }
        let untilReady = sink.collect(until: "READY=1", seconds: 15)
        #expect(untilReady.last?.hasPrefix("READY=1") == true, "\(untilReady)")
        let afterReady = sink.collect(until: "WATCHDOG=1", seconds: 5)
        #expect(afterReady.last == "WATCHDOG=1", "\(afterReady)")
        #expect(daemon.stop(signal: SIGTERM) == 0)
        let atStop = sink.collect(until: "STOPPING=1", seconds: 5)
        #expect(atStop.last == "STOPPING=1", "\(atStop)")
    }

    @Test func anAbstractNotifySocketWorksToo() throws {
        let site = try Site(startDaemon: false)
        defer { site.stop() }
        let sink = try NotifySocket(path: "@vigil-e2e-\(UUID().uuidString.prefix(8))")
        let daemon = try VigilDaemon(databasePath: site.dbPath, broker: site.broker.address, logPath: site.dir.file("serve.log"),
                                     environment: ["NOTIFY_SOCKET": sink.path])
        defer { daemon.stop() }
        #expect(sink.collect(until: "READY=1", seconds: 15).last?.hasPrefix("READY=1") == true)
    }
}
