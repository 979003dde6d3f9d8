extension Schema {
    /// 2026-12-05-visits (issue 13: dispatch to arrival).
    ///
    /// `visits`: a mobile responder sent to an alarm, with the time of each stage (dispatched, en route,
    /// on site, left) or of its cancellation and why. `late_notice_sent` and `breached` keep the 45- and
    /// 60-minute timers from firing twice across a restart. The responder is an id of the rota's
    /// responders, not a foreign key: a visit stays on record after a responder leaves the service.
    ///
    /// `call_attempts`: every call an operator makes for an alarm — who, the number, the result.
    ///
    /// Literal SQL on purpose: once released, never edit this string.
    static let visits = #"""
        CREATE TABLE visits (
            id               INTEGER PRIMARY KEY,
            alarm_id         INTEGER NOT NULL REFERENCES alarms(id),
            responder        TEXT NOT NULL,
            dispatched_by    TEXT NOT NULL,
            dispatched_at    INTEGER NOT NULL,
            en_route_at      INTEGER,
            on_site_at       INTEGER,
            left_at          INTEGER,
            cancelled_at     INTEGER,
            cancel_reason    TEXT CHECK (cancel_reason IS NULL OR length(cancel_reason) BETWEEN 1 AND 500),
            late_notice_sent INTEGER NOT NULL DEFAULT 0 CHECK (late_notice_sent IN (0, 1)),
            breached         INTEGER NOT NULL DEFAULT 0 CHECK (breached IN (0, 1)),
            CHECK ((cancelled_at IS NULL) = (cancel_reason IS NULL)),
            CHECK (left_at IS NULL OR on_site_at IS NOT NULL)
        ) STRICT;
        CREATE INDEX visits_open ON visits(alarm_id) WHERE left_at IS NULL AND cancelled_at IS NULL;
        CREATE TABLE call_attempts (
            id          INTEGER PRIMARY KEY,
            alarm_id    INTEGER NOT NULL REFERENCES alarms(id),
            operator_id TEXT NOT NULL,
            at          INTEGER NOT NULL,
            callee      TEXT NOT NULL CHECK (length(callee) BETWEEN 1 AND 200),
            result      TEXT NOT NULL CHECK (result IN ('answered', 'no-answer', 'voicemail', 'will-attend', 'declined', 'wrong-number'))
        ) STRICT;
        CREATE INDEX call_attempts_by_alarm ON call_attempts(alarm_id, at);
        """#
}
