import VigilWebhook

/// A decided call as the delivery component takes it: where to POST, and the Alertmanager body.
extension WebhookCall {
    var target: WebhookTarget {
        WebhookTarget(name: webhook.name, url: webhook.url, timeoutSeconds: webhook.timeoutSeconds, maxAttempts: webhook.maxAttempts)
    }

    /// The report for a call the delivery component would not take.
    func refused(_ why: String) -> WebhookReport {
        WebhookReport(webhook: webhook.name, callID: outboxID, alarmID: alarm.id, alarmCode: alarm.code, attempt: 0, maxAttempts: webhook.maxAttempts, outcome: .refused(why))
    }
}
