extension Schema {
    /// 2026-12-07-webhook-outbox (issue 11). A webhook call an escalation step decides is a page
    /// someone may be counting on, so it is written here in the same transaction as the step: a
    /// daemon that stops, crashes or loses power before the receiver answered sends it when it starts
    /// again. A row leaves when the call is settled — delivered, given up, or refused — and the audit
    /// trail keeps what happened to it. `body` is the Alertmanager JSON as decided, sent unchanged.
    ///
    /// Literal SQL on purpose: once released, never edit this string.
    static let webhookOutbox = #"""
        CREATE TABLE webhook_outbox (
            id        INTEGER PRIMARY KEY,
            alarm_id  INTEGER NOT NULL REFERENCES alarms(id),
            webhook   TEXT NOT NULL,
            why       TEXT NOT NULL,
            body      BLOB NOT NULL,
            queued_at INTEGER NOT NULL
        ) STRICT;
        """#
}
