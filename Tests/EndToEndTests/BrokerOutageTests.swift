import Foundation
import Testing
import VigilSimulation
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
}
