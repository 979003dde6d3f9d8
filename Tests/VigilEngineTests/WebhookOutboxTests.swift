import Foundation
import Testing
import VigilCore
@testable import VigilEngine
import VigilStore
import VigilWebhook
import VigilWire

/// A webhook call is kept from the step that decided it until it is settled, so a daemon that stops
/// first — cleanly, killed, or by power loss — sends it when it starts again.
@Suite("Engine: webhook outbox")
struct WebhookOutboxTests: PagesTheDutyManager {
    /// The calls not yet settled, read by another connection (what a restart would find).
    func outbox(_ f: EngineFixture) throws -> [WebhookOutbox.Entry] {
        try WebhookOutbox(try Database(path: f.centre.databasePath, mode: .readOnly)).pending()
    }

    @Test func aDecidedCallIsKeptUntilItIsDelivered() throws {
        let (f, code, call) = try calledP1()
        defer { f.dir.remove() }
        let kept = try outbox(f)
        #expect(kept.map(\.id) == [call.outboxID])
        #expect(kept.first?.alarmCode == code)
        #expect(kept.first?.body == call.body, "the outbox holds the body exactly as it is POSTed")
        try f.centre.webhookReports([report(call, .failed(.status(503), retryInMillis: 1_000))])
        #expect(try outbox(f).count == 1, "a retry is still owed")
        try f.centre.webhookReports([report(call, attempt: 2, .delivered(status: 200))])
        #expect(try outbox(f).isEmpty)
    }

    @Test func aCallGivenUpLeavesTheOutbox() throws {
        let (f, _, call) = try calledP1()
        defer { f.dir.remove() }
        try f.centre.webhookReports([report(call, attempt: 5, .gaveUp(.transport("connection refused"), permanent: false))])
        #expect(try outbox(f).isEmpty, "given up is settled: the supervisors were told instead")
    }

    @Test func aCallTheStopCutShortIsSentAgainAfterARestart() throws {
        let (f, code, call) = try calledP1()
        defer { f.dir.remove() }
        try f.centre.webhookReports([report(call, attempt: 0, .kept("the daemon stopped before it was sent"))])
        #expect(try outbox(f).count == 1)
        try f.centre.restart()
        let again = try #require(f.centre.webhookCalls.last)
        #expect(f.centre.webhookCalls.count == 2)
        #expect(again.outboxID == call.outboxID)
        #expect(again.body == call.body)
        #expect(again.webhook == Self.dutyManager)
        #expect(try webhookAudit(f, code).suffix(2) == [
            "duty-manager: kept to send when Vigil starts again: the daemon stopped before it was sent",
            "duty-manager: queued again after a restart: P1 fall: nobody has answered for 3 min",
        ])
        try f.centre.webhookReports([report(again, .delivered(status: 200))])
        #expect(try outbox(f).isEmpty)
        try f.centre.restart()
        #expect(f.centre.webhookCalls.count == 2, "a delivered call is not sent a second time")
    }

    /// Killed between the step and any report: nothing but the outbox row says the call is owed.
    @Test func aCallDecidedJustBeforeACrashIsSentAfterTheRestart() throws {
        let (f, code, call) = try calledP1()
        defer { f.dir.remove() }
        try f.centre.restart()
        #expect(f.centre.webhookCalls.map(\.outboxID) == [call.outboxID, call.outboxID])
        #expect(try webhookAudit(f, code).last == "duty-manager: queued again after a restart: P1 fall: nobody has answered for 3 min")
    }

    @Test func aCallAboutAnAlarmClosedMeanwhileIsDroppedAndAudited() throws {
        let (f, code, _) = try calledP1()
        defer { f.dir.remove() }
        _ = try f.claim(code, by: "op1")
        #expect(try f.centre.send(operator: "op1", ConsoleCommand(request: "r-res", action: .resolve, alarm: code, outcome: "false-alarm-accidental"))?.ok == true)
        try f.centre.restart()
        #expect(f.centre.webhookCalls.count == 1, "nothing is sent about an alarm already dealt with")
        #expect(try webhookAudit(f, code).last == "duty-manager: not sent: the alarm was closed before Vigil started again")
        #expect(try outbox(f).isEmpty)
    }

    @Test func aCallWhoseWebhookLeftTheConfigTellsTheSupervisors() throws {
        let (f, code, _) = try calledP1()
        defer { f.dir.remove() }
        var settings = f.centre.settings
        settings.webhooks = [:]
        try f.centre.restart(settings: settings)
        #expect(f.centre.webhookCalls.count == 1)
        #expect(try webhookAudit(f, code).last == "duty-manager: not sent: the webhook is no longer in the config")
        #expect(try outbox(f).isEmpty)
        try f.centre.advance(by: 1_000)
        #expect(f.notice("sup1", code)?.why == "the duty-manager webhook was not reached: not sent: the webhook is no longer in the config")
    }
}
