import Foundation
import Testing
import VigilCore
@testable import VigilEngine
import VigilStore
import VigilWebhook

/// The suites about webhook calls start from one P1 the default chain pages duty-manager about, and
/// read back what the audit trail says of the call.
protocol PagesTheDutyManager {}

extension PagesTheDutyManager {
    static var dutyManager: WebhookSettings { WebhookSettings(name: "duty-manager", url: URL(string: "http://127.0.0.1:9/hook")!) }

    /// A P1 left 3 min unclaimed: the default chain's step calls duty-manager. Returns the fixture,
    /// the alarm's code and the call.
    func calledP1() throws -> (EngineFixture, String, WebhookCall) {
        let f = try EngineFixture(webhooks: ["duty-manager": Self.dutyManager])
        let code = try #require(try f.centre.send(device: "pend-1", f.event(.fall, id: "e1"))?.alarm)
        try f.centre.advance(by: 180_000)
        let call = try #require(f.centre.webhookCalls.first)
        return (f, code, call)
    }

    /// The alarm's `webhook` audit rows, oldest first, read by another connection.
    func webhookAudit(_ f: EngineFixture, _ code: String) throws -> [String] {
        try QueueReader(try Database(path: f.centre.databasePath, mode: .readOnly)).audit(alarm: code).filter { $0.action == "webhook" }.map(\.detail)
    }

    /// What the delivery component would report of `call`.
    func report(_ call: WebhookCall, attempt: Int = 1, _ outcome: WebhookReport.Outcome) -> WebhookReport {
        WebhookReport(webhook: call.webhook.name, callID: call.outboxID, alarmID: call.alarm.id, alarmCode: call.alarm.code, attempt: attempt, maxAttempts: 5, outcome: outcome)
    }
}
