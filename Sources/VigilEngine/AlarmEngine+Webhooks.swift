import VigilCore
import VigilStore
import VigilWebhook

extension AlarmEngine {
    /// What became of the webhook calls (docs/design.md, "Webhooks"): each report is an audit row on
    /// its alarm, in the batch's transaction. A call that will never arrive — given up, or refused
    /// because the queue was full or the daemon stopping — is logged as an error and, while its alarm
    /// is open, the supervisors are told through the notice stage: the page they may be counting on
    /// did not go.
    func recordWebhooks(_ reports: [WebhookReport], now: EpochMillis) throws(StoreError) {
        for r in reports {
            try alarms.perform([.audit(AuditEntry(at: now, alarmID: r.alarmID, actor: .system, action: .webhook, detail: r.detail))])
            guard r.isFinalFailure else { continue }
            logger.error("webhook call not delivered", metadata: ["webhook": "\(r.webhook)", "alarm.id": "\(r.alarmCode)", "reason": "\(r.what)"])
            guard let alarm = desk.open[r.alarmCode], alarm.isOpen else { continue }
            try persist([.notify(Notice(alarm: alarm, to: [.supervisors], why: "the \(r.webhook) webhook was not reached: \(r.what)", at: now))])
        }
    }
}
