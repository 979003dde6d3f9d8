import VigilWebhook
import VigilWire

/// A decided call as the delivery component takes it: where to POST, and the Alertmanager body.
extension WebhookCall {
    var target: WebhookTarget {
        WebhookTarget(name: webhook.name, url: webhook.url, timeoutSeconds: webhook.timeoutSeconds, maxAttempts: webhook.maxAttempts)
    }

    /// The body, encoded on the ingest thread with its one encoder: `node` is this host.
    func body(node: String, wire: WireEncoder) -> [UInt8] {
        wire.encode(AlertmanagerWebhook(alarm: alarm, person: person, why: why, receiver: webhook.name, node: node))
    }

    /// The report for a call the delivery component would not take.
    func refused(_ why: String) -> WebhookReport {
        WebhookReport(webhook: webhook.name, alarmID: alarm.id, alarmCode: alarm.code, attempt: 0, maxAttempts: webhook.maxAttempts, outcome: .refused(why))
    }
}
