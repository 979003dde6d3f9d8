import Foundation
import Logging
import Testing
import VigilCore
import VigilTesting
@testable import VigilWebhook
import VigilWire

/// The delivery component against a real HTTP receiver on loopback (Python's http.server): it POSTs,
/// retries on the schedule, gives up, and reports each attempt to the inbox. Waits are polls with
/// deadlines; no test measures how long anything took.
@Suite("Webhook delivery: against a real receiver", .serialized)
struct WebhookDeliveriesTests {
    static let logger = Logger(label: "vigil.test.webhook") { _ in SwiftLogNoOpLogHandler() }
    /// Retries 20 ms apart, so a test of five attempts is quick; the rules are the standard ones.
    static let quick = RetrySchedule(baseMillis: 20, capMillis: 40)

    /// Runs `body` with a delivery component whose `run` is a child task, cancelled at the end. The
    /// test's own polling runs on the delivery thread too: the rest of the suite blocks the
    /// cooperative pool with synchronous waits, and a poll starved past its deadline would fail.
    func withDeliveries(capacity: Int = 1_000, _ body: (WebhookDeliveries) async throws -> Void) async throws {
        let d = WebhookDeliveries(capacity: capacity, perTarget: 2, schedule: Self.quick, logger: Self.logger)
        try await withTaskExecutorPreference(DeliveryExecutor.shared) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await d.run() }
                defer { group.cancelAll() }
                try await body(d)
            }
        }
    }

    /// Polls the inbox until `done` says so or 30 s pass; returns every report taken.
    func reports(_ d: WebhookDeliveries, until done: ([WebhookReport]) -> Bool) async throws -> [WebhookReport] {
        var all: [WebhookReport] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while !done(all), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
            all += d.takeReports()
        }
        return all
    }

    func body(_ code: String) -> [UInt8] {
        let alarm = Alarm(id: 7, code: code, user: "u1", device: "pend-1", type: .fall, priority: .emergency, reason: "fall detected", raisedAt: 1_795_314_847_000)
        return WireEncoder().encode(AlertmanagerWebhook(alarm: alarm, person: "Edith Clarke", why: "P1 fall: nobody has answered for 3 min", receiver: "pager", node: "test"))
    }

    @Test func aReceiverThatFailsOnceGetsItOnTheSecondAttempt() async throws {
        let receiver = try WebhookReceiver(answers: [500, 200])
        defer { receiver.stop() }
        let target = WebhookTarget(name: "pager", url: receiver.url("/hooks/pager"), timeoutSeconds: 5, maxAttempts: 5)
        try await withDeliveries { d in
            #expect(d.submit(target, callID: 1, alarmID: 7, alarmCode: "A-2026-000007", body: body("A-2026-000007")))
            let got = try await reports(d) { $0.contains { if case .delivered = $0.outcome { true } else { false } } }
            #expect(got.map(\.outcome) == [.failed(.status(500), retryInMillis: 20), .delivered(status: 200)])
            #expect(got.map(\.attempt) == [1, 2])
            #expect(got.allSatisfy { $0.alarmCode == "A-2026-000007" && $0.alarmID == 7 })
            // The receiver read two POSTs of Alertmanager's JSON naming the alarm.
            let bodies = receiver.requests()
            #expect(bodies.map(\.status) == [500, 200])
            let m = try #require(WireDecoder().decode(AlertmanagerWebhook.self, from: bodies.last?.body ?? []))
            #expect(m.alerts.first?.labels["alarm"] == "A-2026-000007")
            #expect(m.version == "4" && m.status == .firing)
            #expect(try await waitIdle(d))
        }
    }

    @Test func aReceiverThatIsDownIsGivenUpOnAfterMaxAttempts() async throws {
        // A port nothing listens on: every attempt is refused.
        let target = WebhookTarget(name: "pager", url: URL(string: "http://127.0.0.1:\(Loopback.freePort())/hook")!, timeoutSeconds: 5, maxAttempts: 3)
        try await withDeliveries { d in
            #expect(d.submit(target, callID: 1, alarmID: 8, alarmCode: "A-8", body: body("A-8")))
            let got = try await reports(d) { $0.contains(where: \.isFinalFailure) }
            #expect(got.count == 3)
            #expect(got.map(\.attempt) == [1, 2, 3])
            guard case .gaveUp(.transport(let why), permanent: false)? = got.last?.outcome else {
                Issue.record("not given up: \(got)")
                return
            }
            #expect(why == "connection refused")
        }
    }

    @Test func aRefusingReceiverIsNotAskedTwice() async throws {
        let receiver = try WebhookReceiver(answers: [404])
        defer { receiver.stop() }
        let target = WebhookTarget(name: "pager", url: receiver.url(), timeoutSeconds: 5, maxAttempts: 5)
        try await withDeliveries { d in
            #expect(d.submit(target, callID: 1, alarmID: 9, alarmCode: "A-9", body: body("A-9")))
            let got = try await reports(d) { $0.contains(where: \.isFinalFailure) }
            #expect(got.map(\.outcome) == [.gaveUp(.status(404), permanent: true)])
            #expect(receiver.requests().count == 1)
        }
    }

    /// A receiver that takes the connection and never answers: the attempt ends at the webhook's
    /// timeout as a failure (what is asserted is the outcome, not how long it took).
    @Test func aHungReceiverTimesOut() async throws {
        let receiver = try WebhookReceiver(answers: [0])
        defer { receiver.stop() }
        let target = WebhookTarget(name: "pager", url: receiver.url(), timeoutSeconds: 0.5, maxAttempts: 1)
        try await withDeliveries { d in
            #expect(d.submit(target, callID: 1, alarmID: 10, alarmCode: "A-10", body: body("A-10")))
            let got = try await reports(d) { $0.contains(where: \.isFinalFailure) }
            guard case .gaveUp(.transport(let why), permanent: false)? = got.last?.outcome else {
                Issue.record("not given up: \(got)")
                return
            }
            #expect(why.hasPrefix("timed out"), "\(why)")
            #expect(try await waitIdle(d))
        }
    }

    @Test func pastItsCapacityTheQueueRefusesAndStoppingKeepsWhatWasNotSent() async throws {
        // Nothing runs this one, so nothing leaves the queue: the bound is all that is tested.
        let d = WebhookDeliveries(capacity: 2, perTarget: 1, schedule: Self.quick, logger: Self.logger)
        let target = WebhookTarget(name: "pager", url: URL(string: "http://127.0.0.1:9/hook")!, timeoutSeconds: 1, maxAttempts: 1)
        #expect(d.submit(target, callID: 11, alarmID: 1, alarmCode: "A-1", body: []))
        #expect(d.submit(target, callID: 12, alarmID: 2, alarmCode: "A-2", body: []))
        #expect(!d.submit(target, callID: 13, alarmID: 3, alarmCode: "A-3", body: []))
        #expect(d.depth == 2)
        d.close()
        #expect(!d.submit(target, callID: 14, alarmID: 4, alarmCode: "A-4", body: []), "nothing is taken once stopping")
        let got = d.takeReports()
        #expect(got.map(\.alarmCode) == ["A-1", "A-2"])
        #expect(got.map(\.callID) == [11, 12], "each report names the call it is about")
        #expect(got.allSatisfy { $0.outcome == .kept("the daemon stopped before it was sent") })
        #expect(d.isIdle)
    }

    func waitIdle(_ d: WebhookDeliveries) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while !d.isIdle, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        return d.isIdle
    }
}
