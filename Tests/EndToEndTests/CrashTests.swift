import Foundation
import Testing
@testable import VigilStore
import VigilTesting

#if canImport(Glibc)
import Glibc
#endif

/// Zero loss across SIGKILL: the daemon is killed twice while events stream in, and restarted.
@Suite("Crash: SIGKILL mid-stream loses nothing acknowledged", .serialized)
struct CrashTests {
    static let events = 5_000
    static let devices = 50

    /// Kills the daemon (SIGKILL) once the database holds `n` of the run's events, then restarts it.
    func killWhenStored(_ site: Site, atLeast n: Int, like pattern: String) throws {
        let reached = try waitUntil(seconds: 60) { try site.count("SELECT count(*) FROM events WHERE event_id LIKE ?", [.text(pattern)]) >= n }
        #expect(reached, "the daemon never stored \(n) events")
        site.daemon.stop(signal: SIGKILL)
        try site.daemon.start()
    }

    @Test func resendingDevicesGetEveryEventStoredExactlyOnce() throws {
        let site = try Site()
        defer { site.stop() }
        try site.registerSimDevices(Self.devices)
        let flood = try site.vigilSim([
            "flood", "--broker", site.broker.address, "--devices", "\(Self.devices)", "--events", "\(Self.events)",
            "--rate", "1000", "--window", "1000", "--resend-after", "500", "--run-id", "crash", "--give-up-after", "90", "--json",
        ], log: "flood.log")

        try killWhenStored(site, atLeast: 1_000, like: "crash-%")
        try killWhenStored(site, atLeast: 3_000, like: "crash-%")

        #expect(flood.wait() == 0, "flood reported unacked events: \(flood.log())")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(flood.log().split(separator: "\n").last.map(String.init)?.utf8 ?? "".utf8)) as? [String: Any])
        #expect(report["acked"] as? Int == Self.events)
        #expect(report["unacked"] as? Int == 0)
        #expect(report["rejected"] as? Int == 0)
        // Exactly once: every id present, none twice (the UNIQUE key would refuse a second copy).
        #expect(try site.count("SELECT count(*) FROM events WHERE event_id LIKE 'crash-%'") == Self.events)
        #expect(try site.count("SELECT count(DISTINCT device_id || '/' || event_id) FROM events WHERE event_id LIKE 'crash-%'") == Self.events)
        #expect(site.daemon.log().components(separatedBy: "starting").count - 1 == 3)
    }

    @Test func everyEventTheBrokerAcknowledgedIsStoredEvenWithoutResends() throws {
        let site = try Site()
        defer { site.stop() }
        try site.registerSimDevices(Self.devices)
        let publisher = try site.vigilSim([
            "publish", "--broker", site.broker.address, "--devices", "\(Self.devices)", "--events", "\(Self.events)",
            "--rate", "1000", "--run-id", "plain",
        ], log: "publish.log")

        try killWhenStored(site, atLeast: 1_000, like: "plain-%")
        try killWhenStored(site, atLeast: 3_000, like: "plain-%")

        #expect(publisher.wait() == 0)
        let confirmed = Set(publisher.log().split(separator: "\n").map(String.init).filter { $0.hasPrefix("plain-") })
        #expect(confirmed.count == Self.events, "the broker acknowledged only \(confirmed.count) publishes")
        // The daemon drains what the broker held for its session; then every confirmed id must be there.
        _ = try waitUntil(seconds: 30) { try site.count("SELECT count(*) FROM events WHERE event_id LIKE 'plain-%'") >= confirmed.count }
        let stored = Set(try Database(path: site.dbPath, mode: .readOnly).prepare("SELECT event_id FROM events WHERE event_id LIKE 'plain-%'").all { $0.text(0) })
        let missing = confirmed.subtracting(stored)
        #expect(missing.isEmpty, "\(missing.count) acknowledged events were lost, e.g. \(missing.sorted().prefix(5))")
    }
}
