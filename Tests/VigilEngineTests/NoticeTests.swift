import Foundation
import Testing
import VigilCore
@testable import VigilEngine
import VigilStore
import VigilWire

/// Escalation that reaches people, on virtual time: notices on consoles, acknowledgements, claims
/// handed back when their holder's console goes, and the webhooks a step calls.
@Suite("Engine: notices, presence and claim leases")
struct NoticeTests {
    static let dutyManager = WebhookSettings(name: "duty-manager", url: URL(string: "http://127.0.0.1:9/hook")!)
    static let noOperators = WebhookSettings(name: "no-operators", url: URL(string: "http://127.0.0.1:9/none")!)

    @Test func anUnansweredP1RingsTheSupervisorThenEveryoneThenAgainEveryMinute() throws {
        let f = try EngineFixture(webhooks: ["duty-manager": Self.dutyManager])
        defer { f.dir.remove() }
        let code = try #require(try f.centre.send(device: "pend-1", f.event(.fall, id: "e1"))?.alarm)
        try f.centre.advance(by: 60_000)
        #expect(f.notice("sup1", code)?.why == "P1 fall: nobody has answered for 1 min")
        #expect(f.notice("sup1", code)?.person == "Edith Clarke")
        #expect(f.notice("op1", code) == nil)
        #expect(f.centre.webhookCalls.isEmpty)
        try f.centre.advance(by: 120_000)
        for op in ["op1", "op2", "sup1"] { #expect(f.notice(op, code)?.why == "P1 fall: nobody has answered for 3 min", "\(op)") }
        #expect(f.centre.webhookCalls.map(\.webhook.name) == ["duty-manager"])
        #expect(f.centre.webhookCalls.first?.alarm.code == code)
        // Every minute until someone claims it: the notice is replaced (the console rings again) and
        // the webhook called again.
        try f.centre.advance(by: 60_000)
        #expect(f.notice("op1", code)?.why == "P1 fall: nobody has answered for 4 min")
        #expect(f.centre.webhookCalls.count == 2)
        _ = try f.claim(code, by: "op1")
        try f.centre.advance(by: 5 * 60_000)
        #expect(f.centre.webhookCalls.count == 2, "nothing more after the claim")
        #expect(f.notice("op2", code)?.why == "P1 fall: nobody has answered for 4 min")
        // Resolved: every notice about it leaves every console.
        #expect(try f.centre.send(operator: "op1", ConsoleCommand(request: "r-res", action: .resolve, alarm: code, outcome: "false-alarm-accidental"))?.ok == true)
        for op in ["op1", "op2", "sup1"] { #expect(f.notice(op, code) == nil) }
        let sent = try f.audit(code).filter { $0 == "notice-sent" }.count
        #expect(sent == 1 + 3 + 3)
        #expect(try f.audit(code).filter { $0 == "webhook" }.count == 2)
    }

    @Test func anOperatorAcknowledgesTheirNoticeOnceAndItIsAudited() throws {
        let f = try EngineFixture()
        defer { f.dir.remove() }
        let code = try #require(try f.centre.send(device: "pend-1", f.event(.button, id: "e1"))?.alarm)
        try f.centre.advance(by: 60_000)
        let seen = try f.centre.send(operator: "sup1", ConsoleCommand(request: "ack-1", action: .acknowledge, alarm: code))
        #expect(seen?.ok == true)
        #expect(f.notice("sup1", code) == nil)
        #expect(try f.audit(code).contains("notice-acknowledged"))
        let again = try f.centre.send(operator: "sup1", ConsoleCommand(request: "ack-2", action: .acknowledge, alarm: code))
        #expect(again?.ok == false)
        #expect(again?.error == "You have no notice about \(code) to acknowledge.")
        let nobody = try f.centre.send(operator: "op1", ConsoleCommand(request: "ack-3", action: .acknowledge, alarm: code))
        #expect(nobody?.ok == false)
    }

    @Test func aHolderIsRemindedAndTheSupervisorsToldWhenAClaimIsHeldTooLong() throws {
        let f = try EngineFixture()
        defer { f.dir.remove() }
        let code = try #require(try f.centre.send(device: "pend-1", f.event(.fall, id: "e1"))?.alarm)
        _ = try f.claim(code, by: "op1")
        try f.centre.advance(by: 20 * 60_000)
        #expect(f.notice("op1", code)?.why == "P1 fall: claimed by op1 for 20 min, not resolved")
        #expect(f.notice("sup1", code) == nil)
        try f.centre.advance(by: 20 * 60_000)
        #expect(f.notice("op1", code)?.why == "P1 fall: claimed by op1 for 40 min, not resolved")
        #expect(f.notice("sup1", code)?.why == "P1 fall: claimed by op1 for 40 min, not resolved")
    }

    @Test func pressingAgainOnAClaimedAlarmTellsItsHolderAtOnce() throws {
        let f = try EngineFixture()
        defer { f.dir.remove() }
        let code = try #require(try f.centre.send(device: "pend-1", f.event(.button, id: "e1"))?.alarm)
        _ = try f.claim(code, by: "op2")
        _ = try f.centre.send(device: "pend-1", f.event(.button, id: "e2"))
        #expect(f.notice("op2", code)?.why == "button again while claimed by op2")
    }

    @Test func aClaimWhoseConsoleVanishedReturnsToTheQueueAfterTheLease() throws {
        let f = try EngineFixture(claimLeaseSeconds: 90)
        defer { f.dir.remove() }
        try f.centre.console("op1", online: true)
        let code = try #require(try f.centre.send(device: "pend-1", f.event(.fall, id: "e1"))?.alarm)
        _ = try f.claim(code, by: "op1")
        try f.centre.advance(by: 10_000)
        // op1's console crashes: the broker publishes its last will.
        try f.centre.console("op1", online: false)
        let gone = f.centre.now
        try f.centre.advance(to: gone + 90_000 - 1)
        #expect(f.queueEntry(code)?.claimedBy == "op1")
        try f.centre.advance(to: gone + 90_000)
        #expect(f.queueEntry(code)?.state == "raised")
        #expect(f.queueEntry(code)?.claimedBy == nil)
        #expect(f.notice("sup1", code)?.why == "claim released: op1 offline for 1 min, back in the queue")
        #expect(try QueueReader(try Database(path: f.centre.databasePath, mode: .readOnly)).audit(alarm: code)
            .contains { $0.action == "released" && $0.detail == "claim released: op1 offline for 1 min" })
        // Its unclaimed chain starts again from the release.
        try f.centre.advance(by: 60_000)
        #expect(try f.stored(code)?.unclaimedSince == gone + 90_000)
        #expect(try f.audit(code).filter { $0 == "escalated" }.count == 1)
    }

    @Test func anOperatorBackBeforeTheLeaseKeepsTheClaim() throws {
        let f = try EngineFixture()
        defer { f.dir.remove() }
        try f.centre.console("op1", online: true)
        let code = try #require(try f.centre.send(device: "pend-1", f.event(.fall, id: "e1"))?.alarm)
        _ = try f.claim(code, by: "op1")
        try f.centre.console("op1", online: false)
        try f.centre.advance(by: 60_000)
        try f.centre.console("op1", online: true)
        try f.centre.advance(by: 10 * 60_000)
        #expect(f.queueEntry(code)?.claimedBy == "op1")
        // An operator never heard from (an older console) keeps their claims: absent is not unknown.
        let other = try #require(try f.centre.send(device: "smoke-1", f.event(.smoke, id: "s1"))?.alarm)
        _ = try f.claim(other, by: "op2")
        try f.centre.advance(by: 10 * 60_000)
        #expect(f.queueEntry(other)?.claimedBy == "op2")
    }

    @Test func nobodyOnDutyCallsTheNoOperatorsWebhookOncePerAlarm() throws {
        let f = try EngineFixture(webhooks: ["no-operators": Self.noOperators])
        defer { f.dir.remove() }
        try f.centre.console("op1", online: true)
        try f.centre.console("op1", online: false)
        let code = try #require(try f.centre.send(device: "pend-1", f.event(.button, id: "e1"))?.alarm)
        try f.centre.advance(by: 30_000 - 1)
        #expect(f.centre.webhookCalls.isEmpty)
        try f.centre.advance(by: 1)
        #expect(f.centre.webhookCalls.map(\.webhook.name) == ["no-operators"])
        #expect(f.centre.webhookCalls.first?.why == "no operator is on duty; P1 button unanswered for 30 s")
        try f.centre.advance(by: 20_000)
        #expect(f.centre.webhookCalls.count == 1)
        _ = code
        // A presence from a login that is not a registered operator (a device) does not count as duty.
        try f.centre.console("pend-1", online: true)
        let second = try #require(try f.centre.send(device: "smoke-1", f.event(.smoke, id: "s1"))?.alarm)
        try f.centre.advance(by: 30_000)
        #expect(f.centre.webhookCalls.last?.alarm.code == second)
    }

    @Test func withNoSupervisorRegisteredEveryOperatorIsToldInstead() throws {
        let f = try EngineFixture(supervisorRole: .operator)
        defer { f.dir.remove() }
        let code = try #require(try f.centre.send(device: "pend-1", f.event(.fall, id: "e1"))?.alarm)
        try f.centre.advance(by: 60_000)
        for op in ["op1", "op2", "sup1"] { #expect(f.notice(op, code) != nil, "\(op)") }
    }

    @Test func aRestartRepublishesTheNoticesNobodyHasAcknowledged() throws {
        let f = try EngineFixture()
        defer { f.dir.remove() }
        let code = try #require(try f.centre.send(device: "pend-1", f.event(.fall, id: "e1"))?.alarm)
        try f.centre.advance(by: 60_000)
        let before = f.centre.published.count
        try f.centre.restart()
        #expect(f.centre.published[before...].contains { $0.topic == ConsoleTopics().notice("sup1", alarm: code) && !$0.payload.isEmpty })
    }
}
