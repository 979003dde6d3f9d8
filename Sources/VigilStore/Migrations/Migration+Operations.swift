extension Schema {
    /// 2026-11-23-operations, released: frozen text. Operators, claims, escalation, the audit trail, heartbeat contact and per-person triage.
    ///
    /// Literal SQL on purpose: the CHECK lists spell out the enum values this release knew, so a new
    /// case in VigilCore cannot change what an old migration did. Never edit this string.
    static let operations = #"""
        CREATE TABLE operators (
            id          TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
            name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
            role        TEXT NOT NULL CHECK (role IN ('operator', 'supervisor')),
            created_at  INTEGER NOT NULL
        ) STRICT;

        ALTER TABLE alarms ADD COLUMN claimed_by TEXT REFERENCES operators(id);
        ALTER TABLE alarms ADD COLUMN claimed_at INTEGER;
        ALTER TABLE alarms ADD COLUMN first_claimed_at INTEGER;
        ALTER TABLE alarms ADD COLUMN resolved_by TEXT REFERENCES operators(id);
        ALTER TABLE alarms ADD COLUMN escalation INTEGER NOT NULL DEFAULT 0 CHECK (escalation >= 0);
        ALTER TABLE alarms ADD COLUMN steps_fired INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE alarms ADD COLUMN breached INTEGER NOT NULL DEFAULT 0 CHECK (breached IN (0, 1));

        CREATE TABLE audit (
            id        INTEGER PRIMARY KEY,
            at        INTEGER NOT NULL,
            alarm_id  INTEGER REFERENCES alarms(id),
            actor     TEXT NOT NULL,
            action    TEXT NOT NULL,
            detail    TEXT NOT NULL DEFAULT ''
        ) STRICT;
        CREATE INDEX audit_by_alarm ON audit(alarm_id, id);

        ALTER TABLE devices ADD COLUMN last_contact_at INTEGER;

        CREATE TABLE triage_overrides (
            user_id                TEXT PRIMARY KEY REFERENCES users(id),
            exit_always_emergency  INTEGER NOT NULL DEFAULT 0 CHECK (exit_always_emergency IN (0, 1)),
            night_start            INTEGER CHECK (night_start BETWEEN 0 AND 1439),
            night_end              INTEGER CHECK (night_end BETWEEN 0 AND 1439),
            spo2_scale             INTEGER NOT NULL DEFAULT 1 CHECK (spo2_scale IN (1, 2)),
            heart_failure          INTEGER NOT NULL DEFAULT 0 CHECK (heart_failure IN (0, 1)),
            updated_at             INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE weights (
            user_id  TEXT NOT NULL REFERENCES users(id),
            at       INTEGER NOT NULL,
            kg       REAL NOT NULL CHECK (kg > 0),
            PRIMARY KEY (user_id, at)
        ) STRICT, WITHOUT ROWID;
        """#
}
