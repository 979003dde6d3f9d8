import Foundation
import Testing
@testable import VigilWebhook

/// The delivery rules as values: the backoff, the queue's two limits, and what each answer means.
@Suite("Webhook delivery: backoff, queue bound, outcomes")
struct DeliveryRulesTests {
    static let pager = WebhookTarget(name: "pager", url: URL(string: "http://127.0.0.1:9/pager")!, timeoutSeconds: 5, maxAttempts: 5)
    static let sms = WebhookTarget(name: "sms", url: URL(string: "http://127.0.0.1:9/sms")!, timeoutSeconds: 5, maxAttempts: 5)

    @Test func theBackoffDoublesFromOneSecondToTheCap() {
        let s = RetrySchedule.standard
        #expect((1...7).map { s.delay(afterAttempt: $0) } == [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000])
        // Far past any max_attempts the config allows (20), still the cap, never an overflow.
        #expect(s.delay(afterAttempt: 500) == 30_000)
        #expect(RetrySchedule(baseMillis: 50, capMillis: 120).delay(afterAttempt: 3) == 120)
    }

    @Test func theQueueRefusesPastItsCapacityAndTakesAgainOnceAJobIsDone() throws {
        var q = DeliveryQueue(capacity: 3, perTarget: 1)
        func add(_ i: Int) -> WebhookJob? { q.enqueue(target: Self.pager, callID: 1, alarmID: Int64(i), alarmCode: "A-\(i)", body: []) }
        let taken = (1...4).map { add($0) != nil }
        #expect(taken == [true, true, true, false], "the fourth is refused")
        #expect(q.depth == 3)
        // A running job still counts: it is held until done.
        let started = q.start()
        let first = try #require(started)
        #expect(first.alarmCode == "A-1")
        let whileRunning = add(4)
        #expect(whileRunning == nil)
        q.finished(first)
        #expect(q.depth == 2)
        let again = add(4)
        #expect(again?.id == 4)
    }

    @Test func oneWebhookRunsAtMostItsLimitAndDoesNotHoldUpAnother() throws {
        var q = DeliveryQueue(capacity: 10, perTarget: 2)
        for i in 1...3 { _ = q.enqueue(target: Self.pager, callID: 1, alarmID: Int64(i), alarmCode: "P-\(i)", body: []) }
        _ = q.enqueue(target: Self.sms, callID: 1, alarmID: 9, alarmCode: "S-1", body: [])
        let started = (0..<4).compactMap { _ in q.start() }.map(\.alarmCode)
        // Two pager jobs (its limit), then the SMS job behind the third pager job, which waits.
        #expect(started == ["P-1", "P-2", "S-1"])
        #expect(q.runningCount == 3)
        let none = q.start()
        #expect(none == nil)
        q.finished(WebhookJob(id: 1, target: Self.pager, callID: 1, alarmID: 1, alarmCode: "P-1", body: []))
        let third = q.start()
        #expect(third?.alarmCode == "P-3")
    }

    @Test func stoppingDropsTheWaitingJobsOnly() throws {
        var q = DeliveryQueue(capacity: 10, perTarget: 1)
        for i in 1...3 { _ = q.enqueue(target: Self.pager, callID: 1, alarmID: Int64(i), alarmCode: "A-\(i)", body: []) }
        let started = q.start()
        let running = try #require(started)
        let dropped = q.dropWaiting()
        #expect(dropped.map(\.alarmCode) == ["A-2", "A-3"])
        #expect(q.depth == 1)
        q.finished(running)
        #expect(q.isEmpty)
    }

    static let job = WebhookJob(id: 1, target: pager, callID: 1, alarmID: 7, alarmCode: "A-2026-000007", body: [])

    @Test(arguments: [
        (AttemptResult.status(200), 1, WebhookReport.Outcome.delivered(status: 200)),
        (.status(204), 5, .delivered(status: 204)),
        (.status(500), 1, .failed(.status(500), retryInMillis: 1_000)),
        (.status(503), 3, .failed(.status(503), retryInMillis: 4_000)),
        (.failed("connection refused"), 2, .failed(.transport("connection refused"), retryInMillis: 2_000)),
        // The last attempt: no retry left.
        (.status(500), 5, .gaveUp(.status(500), permanent: false)),
        (.failed("timed out after 5 s"), 5, .gaveUp(.transport("timed out after 5 s"), permanent: false)),
        // A 4xx cannot be mended by sending the same again; 408 and 429 ask for a retry.
        (.status(404), 1, .gaveUp(.status(404), permanent: true)),
        (.status(401), 1, .gaveUp(.status(401), permanent: true)),
        (.status(429), 1, .failed(.status(429), retryInMillis: 1_000)),
        (.status(408), 1, .failed(.status(408), retryInMillis: 1_000)),
        // A redirect URLSession did not follow is not a delivery.
        (.status(302), 1, .failed(.status(302), retryInMillis: 1_000)),
    ])
    func eachAnswerMeans(_ result: AttemptResult, _ attempt: Int, _ expected: WebhookReport.Outcome) {
        let r = WebhookReport.judge(result, job: Self.job, attempt: attempt, schedule: .standard)
        #expect(r.outcome == expected)
        #expect(r.webhook == "pager" && r.alarmID == 7 && r.alarmCode == "A-2026-000007" && r.attempt == attempt && r.maxAttempts == 5)
    }

    @Test func theAuditSentences() {
        func detail(_ o: WebhookReport.Outcome, attempt: Int = 2) -> String {
            WebhookReport(webhook: "pager", callID: 1, alarmID: 7, alarmCode: "A-1", attempt: attempt, maxAttempts: 5, outcome: o).detail
        }
        #expect(detail(.delivered(status: 200)) == "pager: delivered (HTTP 200, attempt 2 of 5)")
        #expect(detail(.failed(.status(500), retryInMillis: 2_000)) == "pager: attempt 2 of 5 failed: HTTP 500; retrying in 2 s")
        #expect(detail(.gaveUp(.transport("connection refused"), permanent: false), attempt: 5) == "pager: gave up after 5 attempts: connection refused")
        #expect(detail(.gaveUp(.status(404), permanent: true), attempt: 1) == "pager: gave up: HTTP 404 is not retried (attempt 1 of 5)")
        #expect(detail(.refused("the delivery queue is full (1000 calls)"), attempt: 0) == "pager: not sent: the delivery queue is full (1000 calls)")
    }
}
