import Foundation
import Mosquitto
import Testing
import VigilSimulation
@testable import VigilStore
import VigilTesting
import VigilWire

/// The shipped broker config holds events for the daemon while it is down, past Mosquitto's default
/// queue limit (1,000 messages, beyond which it drops QoS 1 silently) and across a broker restart.
@Suite("End to end: daemon outage and broker restart", .serialized)
struct BrokerOutageTests {
    @Test func eventsPublishedWhileTheDaemonIsDownSurviveABrokerRestart() throws {
        let production = try ProductionBroker()
        let site = try Site(config: try production.daemonConfig(), broker: production.broker)
        defer { site.stop() }
        try site.vigil("users", "add", "--db", site.dbPath, "--id", "u-a", "--name", "Person A")
        let out = try site.vigil("devices", "add", "--db", site.dbPath, "--id", "dev-a", "--user", "u-a", "--type", "pendant",
                                 "--credentials", "--password-file", production.passwordFile)
        production.broker.reload()
        let password = try issuedPassword(out)
        #expect(try waitUntil(seconds: 10) { try production.connack(username: "dev-a", password: password) == 0 })

        // The daemon goes down; its persistent session stays at the broker.
        site.daemon.stop()
        // A publisher that never resends: only the broker's queue stands between it and loss.
        // 2,500 is past Mosquitto's default max_queued_messages of 1,000.
        let plan = FloodPlan(devices: ["dev-a"], events: 2_500, rate: 5_000, runID: "outage", giveUpAfterSeconds: 30)
        let confirmed = try PlainPublisher.run(plan, broker: "127.0.0.1", port: site.broker.port, topics: Topics(),
                                               username: "dev-a", password: password)
        #expect(confirmed.count == plan.events)

        // The broker restarts (SIGTERM writes its persistence file), then the daemon comes back.
        try production.broker.restart()
        try site.startVigil()
        #expect(try waitUntil(seconds: 60) { try site.count("SELECT count(*) FROM events WHERE event_id LIKE 'outage-%'") >= plan.events })
        let stored = try site.count("SELECT count(DISTINCT event_id) FROM events WHERE device_id = 'dev-a' AND event_id LIKE 'outage-%'")
        #expect(stored == plan.events)
    }

    /// A press made while the daemon drains what the broker queued for it comes in on the fresh
    /// lane, ahead of the backlog; every event is still stored once, and the lane closes when the
    /// persistent session has caught up (the shipped ACL lets the daemon read its mark back).
    @Test func aPressDuringTheDrainIsAckedAheadOfTheBacklog() throws {
        let rig = try DrainRig(backlog: 30_000)
        defer { rig.stop() }
        let (site, plan) = (rig.site, rig.plan)
        let device = try rig.pressingDevice(resendAfterMilliseconds: 60_000)
        var ack: Ack?
        device.onAck = { _, a in ack = a }

        #expect(try rig.startDaemonAndWaitForTheLane())
        device.send(device: "dev-b", eventID: "fresh-1", payload: Array(event("fresh-1", "button").utf8))
        #expect(waitUntil(seconds: 30) {
            device.service(timeoutMilliseconds: 10)
            return ack != nil
        })
        #expect(ack?.status == .accepted)
        #expect(ack?.alarm != nil)
        // When the press was stored, part of the backlog was still to come.
        let freshSeq = try site.count("SELECT seq FROM events WHERE event_id = 'fresh-1'")
        #expect(try waitUntil(seconds: 120) { try site.count("SELECT count(*) FROM events WHERE device_id = 'dev-a'") >= plan.events })
        #expect(try site.count("SELECT count(*) FROM events WHERE device_id = 'dev-a' AND seq > ?", [.int(Int64(freshSeq))]) > 0)

        // Each event once: the persistent session's copy of the press was answered as a duplicate.
        #expect(waitUntil(seconds: 30) { site.daemon.log().contains("caught up with the events the broker held") })
        #expect(try site.count("SELECT count(DISTINCT event_id) FROM events WHERE device_id = 'dev-a'") == plan.events)
        #expect(try site.count("SELECT count(*) FROM events WHERE device_id = 'dev-b'") == 1)
        #expect(try site.count("SELECT count(*) FROM alarms WHERE device_id = 'dev-b'") == 1)
    }
}

extension BrokerOutageTests {
    /// Three hundred presses made during the drain: every one is answered, its first answer is
    /// `accepted` (the lane's, not the persistent session's `duplicate`), and every one was stored
    /// while part of the backlog was still to come.
    @Test func everyPressDuringTheDrainIsAnsweredAcceptedAheadOfTheBacklog() throws {
        let rig = try DrainRig(backlog: 40_000)
        defer { rig.stop() }
        let (site, plan) = (rig.site, rig.plan)
        // No resend inside the test: each press has one first answer, from whichever session stored it.
        let device = try rig.pressingDevice(resendAfterMilliseconds: 600_000)
        var firstAnswer: [String: Ack.Status] = [:]
        device.onAck = { _, a in firstAnswer[a.eventID] = a.status }

        let metricsFile = site.dir.file("vigil.prom")
        site.configArguments += ["--metrics-file", metricsFile, "--metrics-interval", "0.2"]
        #expect(try rig.startDaemonAndWaitForTheLane())
        let presses = 300
        for i in 0..<presses {
            device.send(device: "dev-b", eventID: "fresh-\(i)", payload: Array(event("fresh-\(i)", "button").utf8))
            device.service(timeoutMilliseconds: 1)
        }
        #expect(waitUntil(seconds: 60) {
            device.service(timeoutMilliseconds: 10)
            return firstAnswer.count == presses
        })
        #expect(firstAnswer.count == presses)
        #expect(firstAnswer.values.allSatisfy { $0 == .accepted })
        #expect(try waitUntil(seconds: 120) { try site.count("SELECT count(*) FROM events WHERE device_id = 'dev-a'") >= plan.events })
        let lastPress = try site.count("SELECT max(seq) FROM events WHERE device_id = 'dev-b'")
        #expect(try site.count("SELECT count(*) FROM events WHERE device_id = 'dev-a' AND seq > ?", [.int(Int64(lastPress))]) > 0)
        #expect(try site.count("SELECT count(DISTINCT event_id) FROM events WHERE device_id = 'dev-b'") == presses)
        #expect(try site.count("SELECT count(*) FROM events WHERE device_id = 'dev-b'") == presses)

        // The metrics say what happened: the lane read, and closed once caught up, not by giving up.
        #expect(waitUntil(seconds: 30) { site.daemon.log().contains("caught up with the events the broker held") })
        var m: [String: Double] = [:]
        #expect(try waitUntil(seconds: 10) {
            m = try MetricsEndToEndTests.parse(metricsFile)
            return m["vigil_fresh_lane_open"] == 0 && (m["vigil_fresh_lane_messages_total"] ?? 0) > 0 && m["vigil_fresh_lane_gave_up_total"] == 0
        }, "\(m.filter { $0.key.contains("lane") })")
    }
}

/// The shipped broker config with two pendants that have logins; the daemon stopped with `backlog`
/// events from dev-a queued in its persistent session by a publisher that never resends; a watcher
/// on the drain mark with the daemon's own login (it sees the mark go out once the lane is subscribed).
final class DrainRig {
    static let markTopic = "telecare/v1/vigil/drain-mark"
    let production: ProductionBroker
    let site: Site
    private(set) var passwords: [String: String] = [:]
    let plan: FloodPlan
    let watcher: MosquittoClient

    init(backlog: Int) throws {
        let production = try ProductionBroker()
        let site = try Site(config: try production.daemonConfig(), broker: production.broker)
        let plan = FloodPlan(devices: ["dev-a"], events: backlog, rate: 50_000, runID: "backlog", giveUpAfterSeconds: 60)
        var passwords: [String: String] = [:]
        do {
            for (user, device) in [("u-a", "dev-a"), ("u-b", "dev-b")] {
                try site.vigil("users", "add", "--db", site.dbPath, "--id", user, "--name", "Person \(user)")
                let out = try site.vigil("devices", "add", "--db", site.dbPath, "--id", device, "--user", user, "--type", "pendant",
                                         "--credentials", "--password-file", production.passwordFile)
                passwords[device] = try issuedPassword(out)
            }
            production.broker.reload()
            #expect(try waitUntil(seconds: 10) { try production.connack(username: "dev-b", password: passwords["dev-b"]) == 0 })

            site.daemon.stop()
            let confirmed = try PlainPublisher.run(plan, broker: "127.0.0.1", port: site.broker.port, topics: Topics(),
                                                   username: "dev-a", password: passwords["dev-a"])
            #expect(confirmed.count == plan.events)
            let watcher = try MosquittoClient(.init(host: "127.0.0.1", port: site.broker.port, clientID: "mark-watcher",
                                                    username: "vigil-serve", password: production.daemonPassword))
            try watcher.subscribe(Self.markTopic, qos: 1)
            #expect(waitUntil(seconds: 10) { watcher.pump(timeoutMilliseconds: 20).contains { if case .subscribed = $0 { true } else { false } } })
            self.watcher = watcher
        } catch {
            site.stop()
            throw error
        }
        self.production = production
        self.site = site
        self.plan = plan
        self.passwords = passwords
    }

    /// dev-b, the device that presses during the drain, with its ack subscription in place.
    func pressingDevice(resendAfterMilliseconds: UInt64) throws -> AckingPublisher {
        let device = try AckingPublisher(broker: "127.0.0.1", port: site.broker.port, topics: Topics(), resendAfterMilliseconds: resendAfterMilliseconds,
                                         username: "dev-b", password: passwords["dev-b"])
        #expect(device.waitUntilReady(seconds: 10))
        return device
    }

    /// Starts the daemon again and waits until the lane's mark goes out: the lane is subscribed.
    func startDaemonAndWaitForTheLane() throws -> Bool {
        try site.startVigil()
        return waitUntil(seconds: 30) {
            watcher.pump(timeoutMilliseconds: 20).contains { if case .message(let m) = $0 { m.topic == Self.markTopic } else { false } }
        }
    }

    func stop() {
        watcher.disconnect()
        site.stop()
    }
}
