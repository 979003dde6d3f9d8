import Foundation
import Testing
@testable import VigilStore
import VigilTesting
import VigilWire

/// Webhooks with the real parts: Mosquitto, `vigil serve` and a real HTTP receiver (Python's
/// http.server) on free loopback ports. An unclaimed P1 on short escalation timers makes the daemon
/// POST Alertmanager's JSON naming the alarm; a receiver that fails first is retried until it takes
/// it; one that is down is given up on, audited, and the supervisors are told. Every wait is a poll
/// with a deadline.
@Suite("End to end: webhooks delivered", .serialized)
struct WebhookEndToEndTests {
    static func config(_ url: URL, maxAttempts: Int) -> String {
        """
        escalation:
          P1:
            - { when: unclaimed, after: 2, level: 1, webhook: pager }
        webhooks:
          pager: { url: "\(url.absoluteString)", timeout_seconds: 5, max_attempts: \(maxAttempts) }
        """
    }

    func register(_ site: Site) throws {
        try site.vigil("users", "add", "--db", site.dbPath, "--id", "u1", "--name", "Edith Clarke")
        try site.vigil("devices", "add", "--db", site.dbPath, "--id", "pend-1", "--user", "u1", "--type", "pendant")
        try site.vigil("operators", "add", "--db", site.dbPath, "--id", "sup1", "--name", "Pat Lowe", "--role", "supervisor")
    }

    func webhookAudit(_ site: Site, _ detail: String) throws -> Int {
        try site.count("SELECT count(*) FROM audit WHERE action = 'webhook' AND detail = ?", [.text(detail)])
    }

    @Test func anUnclaimedP1ReachesAReceiverThatFailsOnceOnTheSecondAttempt() throws {
        let receiver = try WebhookReceiver(answers: [500, 200])
        defer { receiver.stop() }
        let site = try Site(startDaemon: false, config: Self.config(receiver.url("/hooks/pager"), maxAttempts: 5))
        defer { site.stop() }
        try register(site)
        let metrics = site.dir.file("vigil.prom")
        site.configArguments += ["--metrics-file", metrics, "--metrics-interval", "0.2"]
        try site.startVigil()

        let device = try TestDevice(site: site)
        let code = try #require(device.send("pend-1", eventID: "f1", event("f1", "fall"))?.alarm)
        // Left unclaimed past the 2 s step: one POST answered 500, the retry answered 200.
        #expect(waitUntil(seconds: 30) { receiver.requests().count >= 2 }, "\(receiver.log())\n\(site.daemon.log())")
        let got = receiver.requests()
        #expect(got.map(\.status) == [500, 200])
        for r in got {
            let m = try #require(WireDecoder().decode(AlertmanagerWebhook.self, from: r.body), "\(String(decoding: r.body, as: UTF8.self))")
            #expect(m.version == "4")
            #expect(m.status == .firing)
            #expect(m.receiver == "pager")
            #expect(m.groupKey == "{}:{alarm=\"\(code)\"}")
            #expect(m.alerts.first?.labels["alarm"] == code)
            #expect(m.alerts.first?.labels["priority"] == "P1")
            #expect(m.alerts.first?.labels["type"] == "fall")
            #expect(m.alerts.first?.annotations["summary"] == "P1 fall: nobody has answered for 2 s")
        }
        // Every attempt is audited on the alarm.
        #expect(try waitUntil(seconds: 10) { try webhookAudit(site, "pager: delivered (HTTP 200, attempt 2 of 5)") == 1 })
        #expect(try webhookAudit(site, "pager: queued: P1 fall: nobody has answered for 2 s") == 1)
        #expect(try webhookAudit(site, "pager: attempt 1 of 5 failed: HTTP 500; retrying in 1 s") == 1)
        #expect(try site.count("SELECT count(*) FROM audit t JOIN alarms a ON a.id = t.alarm_id WHERE t.action = 'webhook' AND a.code = ?", [.text(code)]) == 3)
        // And counted.
        var m: [String: Double] = [:]
        let counted = try waitUntil(seconds: 15) {
            guard FileManager.default.fileExists(atPath: metrics) else { return false }
            m = try MetricsEndToEndTests.parse(metrics)
            return m["vigil_webhook_deliveries_sent_total{webhook=pager}"] == 1
        }
        #expect(counted, "\(m)")
        #expect(m["vigil_webhook_deliveries_failed_total{webhook=pager}"] == 1)
        #expect(m["vigil_webhook_queue_depth"] == 0)
        #expect(site.daemon.stop() == 0)
    }

    @Test func aReceiverThatIsDownIsGivenUpOnAndTheSupervisorsAreTold() throws {
        // Nothing listens on this port: every attempt is refused.
        let url = URL(string: "http://127.0.0.1:\(Loopback.freePort())/hooks/pager")!
        let site = try Site(startDaemon: false, config: Self.config(url, maxAttempts: 2))
        defer { site.stop() }
        try register(site)
        try site.startVigil()
        let device = try TestDevice(site: site)
        let code = try #require(device.send("pend-1", eventID: "f1", event("f1", "fall"))?.alarm)
        #expect(try waitUntil(seconds: 30) { try webhookAudit(site, "pager: gave up after 2 attempts: connection refused") == 1 }, "\(site.daemon.log())")
        #expect(try webhookAudit(site, "pager: attempt 1 of 2 failed: connection refused; retrying in 1 s") == 1)
        #expect(try waitUntil(seconds: 10) {
            try site.count("SELECT count(*) FROM notices n JOIN alarms a ON a.id = n.alarm_id WHERE a.code = ? AND n.operator_id = 'sup1' AND n.why = ?",
                           [.text(code), .text("the pager webhook was not reached: gave up after 2 attempts: connection refused")]) == 1
        })
        #expect(site.daemon.log().contains("webhook call not delivered"))
    }

    /// A clean stop while a POST hangs on a slow receiver: the daemon exits once its grace is up
    /// (it once hung here, in URLSession's cancellation), and the call is kept for the next start.
    @Test func aStopWithPOSTsInFlightExitsAndKeepsThem() throws {
        let receiver = try WebhookReceiver(answers: [200], delaySeconds: 30)
        defer { receiver.stop() }
        let site = try Site(startDaemon: false, config: Self.config(receiver.url("/hooks/pager"), maxAttempts: 3))
        defer { site.stop() }
        try register(site)
        try site.startVigil()
        let device = try TestDevice(site: site)
        let code = try #require(device.send("pend-1", eventID: "f1", event("f1", "fall"))?.alarm)
        #expect(waitUntil(seconds: 30) { receiver.requests().count == 1 }, "\(receiver.log())\n\(site.daemon.log())")
        #expect(site.daemon.stop() == 0, "\(site.daemon.log())")
        // Past the 2 s grace the POST is cut off unreported: its outbox row is what keeps it.
        #expect(site.daemon.log().contains("stopping with webhook calls still in flight; they stay in the outbox"))
        #expect(try site.count("SELECT count(*) FROM webhook_outbox o JOIN alarms a ON a.id = o.alarm_id WHERE a.code = ?", [.text(code)]) == 1)
    }

    /// The page is owed from the step that decided it: a daemon killed while the receiver is down,
    /// restarted once the receiver is back (at a new address), still sends it.
    @Test func aPageOwedWhenTheDaemonIsKilledIsSentAfterTheRestart() throws {
        let down = URL(string: "http://127.0.0.1:\(Loopback.freePort())/hooks/pager")!
        let site = try Site(startDaemon: false, config: Self.config(down, maxAttempts: 10))
        defer { site.stop() }
        try register(site)
        try site.startVigil()
        let device = try TestDevice(site: site)
        let code = try #require(device.send("pend-1", eventID: "f1", event("f1", "fall"))?.alarm)
        #expect(try waitUntil(seconds: 30) { try webhookAudit(site, "pager: attempt 1 of 10 failed: connection refused; retrying in 1 s") == 1 }, "\(site.daemon.log())")
        site.daemon.stop(signal: SIGKILL)
        #expect(try site.count("SELECT count(*) FROM webhook_outbox") == 1, "the unsent page is still owed")

        let receiver = try WebhookReceiver(answers: [200])
        defer { receiver.stop() }
        try (Self.config(receiver.url("/hooks/pager"), maxAttempts: 10) + "\n" + Site.liftedBudgets).write(toFile: site.dir.file("vigil.yaml"), atomically: true, encoding: .utf8)
        try site.daemon.start()
        #expect(waitUntil(seconds: 30) { receiver.requests().count >= 1 }, "\(receiver.log())\n\(site.daemon.log())")
        let m = try #require(receiver.requests().first.flatMap { WireDecoder().decode(AlertmanagerWebhook.self, from: $0.body) })
        #expect(m.alerts.first?.labels["alarm"] == code)
        #expect(m.alerts.first?.annotations["summary"] == "P1 fall: nobody has answered for 2 s", "the page as it was decided")
        #expect(try waitUntil(seconds: 10) { try webhookAudit(site, "pager: delivered (HTTP 200, attempt 1 of 10)") == 1 })
        #expect(try webhookAudit(site, "pager: queued again after a restart: P1 fall: nobody has answered for 2 s") == 1)
        #expect(try site.count("SELECT count(*) FROM webhook_outbox") == 0)
        #expect(receiver.requests().count == 1, "sent once, not once per run")
        #expect(site.daemon.stop() == 0)
    }
}
