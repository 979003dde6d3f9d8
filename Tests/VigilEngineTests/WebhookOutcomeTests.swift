import Foundation
import Testing
import VigilCore
@testable import VigilEngine
import VigilStore
import VigilWebhook
import VigilWire

/// What became of a webhook call, as the engine records it: every report is an audit row on its
/// alarm; a call that will never arrive tells the supervisors while the alarm is open.
@Suite("Engine: webhook outcomes")
struct WebhookOutcomeTests: PagesTheDutyManager {
    @Test func aRetriedDeliveryIsAuditedAttemptByAttemptAndTellsNobody() throws {
        let (f, code, call) = try calledP1()
        defer { f.dir.remove() }
        let noticeBefore = f.notice("sup1", code)
        try f.centre.webhookReports([report(call, attempt: 1, .failed(.status(500), retryInMillis: 1_000)), report(call, attempt: 2, .delivered(status: 200))])
        #expect(try webhookAudit(f, code) == [
            "duty-manager: queued: P1 fall: nobody has answered for 3 min",
            "duty-manager: attempt 1 of 5 failed: HTTP 500; retrying in 1 s",
            "duty-manager: delivered (HTTP 200, attempt 2 of 5)",
        ])
        #expect(f.notice("sup1", code) == noticeBefore, "a delivery is no news for the supervisors")
    }

    @Test func aCallGivenUpTellsTheSupervisors() throws {
        let (f, code, call) = try calledP1()
        defer { f.dir.remove() }
        try f.centre.webhookReports([report(call, attempt: 5, .gaveUp(.transport("connection refused"), permanent: false))])
        #expect(try webhookAudit(f, code).last == "duty-manager: gave up after 5 attempts: connection refused")
        #expect(f.notice("sup1", code)?.why == "the duty-manager webhook was not reached: gave up after 5 attempts: connection refused")
        #expect(f.notice("op1", code)?.why == "P1 fall: nobody has answered for 3 min", "operators keep the step's own notice")
    }

    @Test func aCallTheQueueRefusedIsAuditedAndTellsTheSupervisors() throws {
        let (f, code, call) = try calledP1()
        defer { f.dir.remove() }
        try f.centre.webhookReports([call.refused("the delivery queue is full (1000 calls) or the daemon is stopping")])
        #expect(try webhookAudit(f, code).last == "duty-manager: not sent: the delivery queue is full (1000 calls) or the daemon is stopping")
        #expect(f.notice("sup1", code)?.why.hasPrefix("the duty-manager webhook was not reached: not sent:") == true)
    }

    @Test func aCallGivenUpAfterTheAlarmClosedIsOnlyAudited() throws {
        let (f, code, call) = try calledP1()
        defer { f.dir.remove() }
        _ = try f.claim(code, by: "op1")
        #expect(try f.centre.send(operator: "op1", ConsoleCommand(request: "r-res", action: .resolve, alarm: code, outcome: "false-alarm-accidental"))?.ok == true)
        let sentBefore = try f.audit(code).filter { $0 == "notice-sent" }.count
        try f.centre.webhookReports([report(call, attempt: 5, .gaveUp(.status(503), permanent: false))])
        #expect(try webhookAudit(f, code).last == "duty-manager: gave up after 5 attempts: HTTP 503")
        #expect(try f.audit(code).filter { $0 == "notice-sent" }.count == sentBefore)
        #expect(f.notice("sup1", code) == nil)
    }

    /// The body the daemon POSTs for the call: Alertmanager's JSON naming the alarm and why.
    @Test func theCallsBodyNamesTheAlarm() throws {
        let (f, code, call) = try calledP1()
        defer { f.dir.remove() }
        let m = try #require(WireDecoder().decode(AlertmanagerWebhook.self, from: call.body))
        #expect(m.receiver == "duty-manager")
        #expect(m.alerts.first?.labels["alarm"] == code)
        #expect(m.alerts.first?.annotations["summary"] == "P1 fall: nobody has answered for 3 min")
        #expect(m.alerts.first?.annotations["person"] == "Edith Clarke")
        #expect(call.target == WebhookTarget(name: "duty-manager", url: Self.dutyManager.url, timeoutSeconds: 5, maxAttempts: 5))
    }
}
