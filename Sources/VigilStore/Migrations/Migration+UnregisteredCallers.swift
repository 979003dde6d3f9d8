extension Schema {
    /// 2026-12-04-unregistered-callers. An emergency from a device nobody registered (restored from an
    /// old backup, paired at the bridge and never entered) is still an alarm: it is raised against a
    /// reserved person, "Unidentified caller", whose id (`~unidentified`) no command or import can
    /// type, and against the device id as heard. So `alarms.device_id` can no longer refer to
    /// `devices`: the table is rebuilt without that reference (SQLite cannot drop a constraint),
    /// column for column as the migrations before this one left it. Resends of such an event are
    /// recognised through its dead letter, which the new index finds.
    ///
    /// Literal SQL on purpose; never edit this string once released.
    static let unregisteredCallers = #"""
        INSERT INTO users(id, name, area, created_at) VALUES ('~unidentified', 'Unidentified caller', NULL, 0);

        CREATE TABLE new_alarms (
            id           INTEGER PRIMARY KEY,
            code         TEXT NOT NULL UNIQUE,
            user_id      TEXT NOT NULL REFERENCES users(id),
            device_id    TEXT NOT NULL CHECK (length(device_id) BETWEEN 1 AND 256),
            type         TEXT NOT NULL CHECK (type IN ('button','fall','smoke','heat','co','gas','flood','temperature','door','bed','chair','inactivity','epilepsy','enuresis','medication','vitals','low_battery','power','tamper','heartbeat','cancel','clear')),
            priority     INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 3),
            reason       TEXT NOT NULL,
            state        TEXT NOT NULL DEFAULT 'raised' CHECK (state IN ('raised', 'claimed', 'resolved')),
            raised_at    INTEGER NOT NULL,
            closed_at    INTEGER,
            outcome      TEXT,
            event_count  INTEGER NOT NULL DEFAULT 1 CHECK (event_count >= 1),
            claimed_by   TEXT REFERENCES operators(id),
            claimed_at   INTEGER,
            first_claimed_at INTEGER,
            resolved_by  TEXT REFERENCES operators(id),
            escalation   INTEGER NOT NULL DEFAULT 0 CHECK (escalation >= 0),
            steps_fired  INTEGER NOT NULL DEFAULT 0,
            breached     INTEGER NOT NULL DEFAULT 0 CHECK (breached IN (0, 1)),
            CHECK ((state = 'resolved') = (closed_at IS NOT NULL AND outcome IS NOT NULL))
        ) STRICT;
        INSERT INTO new_alarms(id, code, user_id, device_id, type, priority, reason, state, raised_at, closed_at, outcome, event_count,
                               claimed_by, claimed_at, first_claimed_at, resolved_by, escalation, steps_fired, breached)
            SELECT id, code, user_id, device_id, type, priority, reason, state, raised_at, closed_at, outcome, event_count,
                   claimed_by, claimed_at, first_claimed_at, resolved_by, escalation, steps_fired, breached FROM alarms;
        DROP TABLE alarms;
        ALTER TABLE new_alarms RENAME TO alarms;
        CREATE INDEX alarms_open_queue ON alarms(priority, raised_at) WHERE state <> 'resolved';
        CREATE INDEX alarms_open_by_condition ON alarms(user_id, type) WHERE state <> 'resolved';
        CREATE INDEX alarms_open_by_device ON alarms(device_id) WHERE state <> 'resolved';
        CREATE INDEX alarms_by_user ON alarms(user_id, raised_at);

        CREATE INDEX dead_letters_by_device ON dead_letters(device_id, event_id) WHERE device_id IS NOT NULL;
        """#
}
