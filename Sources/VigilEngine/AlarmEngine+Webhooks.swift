import VigilCore
import VigilStore
import VigilWebhook

extension AlarmEngine {
    /// What became of the webhook calls (docs/design.md, "Webhooks"): each report is an audit row on
    /// its alarm, in the batch's transaction, and a call that is settled — delivered, given up,
    /// refused — leaves the outbox in that same transaction. A call that will never arrive is logged
    /// as an error and, while its alarm is open, the supervisors are told through the notice stage:
    /// the page they may be counting on did not go. A call the stop cut short stays in the outbox.
    func recordWebhooks(_ reports: [WebhookReport], now: EpochMillis) throws(StoreError) {
        for r in reports {
            try alarms.perform([.audit(AuditEntry(at: now, alarmID: r.alarmID, actor: .system, action: .webhook, detail: r.detail))])
            if r.isSettled { try notices.webhookOutbox.settle(r.callID) }
            guard r.isFinalFailure else { continue }
            logger.error("webhook call not delivered", metadata: ["webhook": "\(r.webhook)", "alarm.id": "\(r.alarmCode)", "reason": "\(r.what)"])
            guard let alarm = desk.open[r.alarmCode], alarm.isOpen else { continue }
            try persist([.notify(Notice(alarm: alarm, to: [.supervisors], why: "the \(r.webhook) webhook was not reached: \(r.what)", at: now))])
        }
    }

    /// At start: the calls a previous run decided and never settled go out again, unchanged — each
    /// audited "queued again". One about an alarm closed meanwhile is dropped (the page would send a
    /// responder to someone already helped), and one whose webhook is gone from the config is a
    /// failure the supervisors hear about.
    func resumeWebhookCalls(now: EpochMillis) throws(StoreError) {
        let waiting = try notices.webhookOutbox.pending()
        guard !waiting.isEmpty else { return }
        var resumed: [WebhookCall] = []
        try store.begin()
        do {
            for e in waiting {
                func audit(_ detail: String) throws(StoreError) {
                    try alarms.perform([.audit(AuditEntry(at: now, alarmID: e.alarmID, actor: .system, action: .webhook, detail: "\(e.webhook): \(detail)"))])
                }
                guard let alarm = desk.open[e.alarmCode], alarm.isOpen else {
                    try audit("not sent: the alarm was closed before Vigil started again")
                    try notices.webhookOutbox.settle(e.id)
                    continue
                }
                guard let hook = notices.webhooks[e.webhook] else {
                    try recordWebhooks([WebhookReport(webhook: e.webhook, callID: e.id, alarmID: e.alarmID, alarmCode: e.alarmCode, attempt: 0, maxAttempts: 0,
                                                      outcome: .refused("the webhook is no longer in the config"))], now: now)
                    continue
                }
                try audit("queued again after a restart: \(e.why)")
                resumed.append(WebhookCall(outboxID: e.id, webhook: hook, alarm: alarm, why: e.why, at: e.queuedAt, body: e.body))
            }
            try store.commit()
        } catch {
            store.rollback()
            notices.discard()
            throw error
        }
        // The supervisors' notices of a webhook gone from the config go out with the first batch.
        webhookCalls += resumed
        logger.notice("webhook calls from before the restart queued again", metadata: ["webhook.calls": "\(resumed.count)", "webhook.dropped": "\(waiting.count - resumed.count)"])
    }
}
