extension Schema {
    /// 2026-12-05-escalation-notices (issue 11: escalation that reaches people).
    ///
    /// `alarms.unclaimed_since`: when an alarm last went back to the queue (a release, or a claim
    /// whose holder went offline); its unclaimed steps count from there. NULL: never released.
    /// `unclaimed_repeats` / `claimed_repeats`: how many times the chain's repeating step of each
    /// kind has fired again, so a restart neither repeats one nor skips one.
    ///
    /// `notices`: what an operator's console has been told about an alarm and not yet acknowledged.
    /// One row per alarm and operator (a repeat replaces it and asks again); kept after the
    /// acknowledgement, and after the alarm closes, as the record of who was told.
    ///
    /// Literal SQL on purpose: once released, never edit this string.
    static let escalationNotices = #"""
        ALTER TABLE alarms ADD COLUMN unclaimed_since INTEGER;
        ALTER TABLE alarms ADD COLUMN unclaimed_repeats INTEGER NOT NULL DEFAULT 0 CHECK (unclaimed_repeats >= 0);
        ALTER TABLE alarms ADD COLUMN claimed_repeats INTEGER NOT NULL DEFAULT 0 CHECK (claimed_repeats >= 0);
        CREATE TABLE notices (
            alarm_id        INTEGER NOT NULL REFERENCES alarms(id),
            operator_id     TEXT NOT NULL,
            why             TEXT NOT NULL,
            sent_at         INTEGER NOT NULL,
            acknowledged_at INTEGER,
            PRIMARY KEY (alarm_id, operator_id)
        ) STRICT;
        CREATE INDEX notices_unacknowledged ON notices(operator_id) WHERE acknowledged_at IS NULL;
        """#
}
