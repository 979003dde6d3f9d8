import Foundation
import Testing
@testable import VigilEngine
import VigilTesting

/// The sd_notify datagrams, against a real bound socket; the watchdog's rate limit on given times.
@Suite("systemd notification protocol")
struct SystemdNotifierTests {
    static let t0: Int64 = 1_795_314_847_000

    @Test(arguments: [false, true])
    func readyWatchdogAndStoppingReachTheSocket(abstract: Bool) throws {
        let dir = try TemporaryDirectory(prefix: "vigil-notify")
        defer { dir.remove() }
        let path = abstract ? "@vigil-notify-\(UUID().uuidString.prefix(8))" : dir.file("notify.sock")
        let sink = try NotifySocket(path: path)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": path, "WATCHDOG_USEC": "30000000"])
        #expect(notifier.watchdogIntervalMillis == 15_000, "half of WatchdogSec=30s")
        notifier.ready(status: "ingesting")
        notifier.ready(status: "again")
        #expect(sink.receive(seconds: 5) == "READY=1\nSTATUS=ingesting")
        notifier.watchdog(now: Self.t0)
        notifier.watchdog(now: Self.t0 + 14_999)
        notifier.watchdog(now: Self.t0 + 15_000)
        notifier.stopping()
        #expect(sink.receive(seconds: 5) == "WATCHDOG=1")
        #expect(sink.receive(seconds: 5) == "WATCHDOG=1")
        #expect(sink.receive(seconds: 5) == "STOPPING=1", "READY went once, and the watchdog at most once per 15 s")
        #expect(sink.receive(seconds: 0.05) == nil)
    }

    @Test func outsideSystemdNothingIsSent() {
        let notifier = SystemdNotifier(environment: [:])
        #expect(notifier.watchdogIntervalMillis == nil)
        #expect(!notifier.send("READY=1"))
    }

    @Test func aWatchdogMeantForAnotherProcessIsIgnored() {
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": "@x", "WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "\(getpid() + 1)"])
        #expect(notifier.watchdogIntervalMillis == nil)
    }
}
