extension Schema {
    /// 2026-12-04-wire-safety (issue 12, sections 1 and 11).
    ///
    /// Adds the event type `device_fault`: a P3 Vigil raises for the installer when a device needs
    /// attention (here: it sends malformed data). `events` and `alarms` are rebuilt with it in their
    /// CHECK lists, as Schema's comment describes; their definitions and indexes are copied from a
    /// fresh database as the migrations before this one leave it (`alarms.device_id` no longer refers
    /// to `devices` since 2026-12-04-unregistered-callers).
    ///
    /// Adds `console_requests`: the request ids of console commands already executed, per operator,
    /// so a command delivered twice (a broker redelivering after a crash, a console resending) is
    /// refused rather than carried out again. Rows older than a week are pruned.
    ///
    /// Literal SQL on purpose: once released, never edit this string.
    static let wireSafety = #"""
        CREATE TABLE new_alarms (
            id           INTEGER PRIMARY KEY,
            code         TEXT NOT NULL UNIQUE,
            user_id      TEXT NOT NULL REFERENCES users(id),
            device_id    TEXT NOT NULL CHECK (length(device_id) BETWEEN 1 AND 256),
            type         TEXT NOT NULL CHECK (type IN ('button','fall','smoke','heat','co','gas','flood','temperature','door','bed','chair','inactivity','epilepsy','enuresis','medication','vitals','low_battery','power','tamper','heartbeat','cancel','clear','device_fault')),
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

        CREATE TABLE new_events (
            seq          INTEGER PRIMARY KEY,
            device_id    TEXT NOT NULL REFERENCES devices(id),
            event_id     TEXT NOT NULL CHECK (length(event_id) BETWEEN 1 AND 64),
            type         TEXT NOT NULL CHECK (type IN ('button','fall','smoke','heat','co','gas','flood','temperature','door','bed','chair','inactivity','epilepsy','enuresis','medication','vitals','low_battery','power','tamper','heartbeat','cancel','clear','device_fault')),
            device_ts    TEXT NOT NULL,
            received_at  INTEGER NOT NULL,
            battery      INTEGER CHECK (battery BETWEEN 0 AND 100),
            payload      BLOB NOT NULL,
            triage       TEXT NOT NULL,
            alarm_id     INTEGER REFERENCES alarms(id),
            UNIQUE (device_id, event_id)
        ) STRICT;
        INSERT INTO new_events(seq, device_id, event_id, type, device_ts, received_at, battery, payload, triage, alarm_id)
            SELECT seq, device_id, event_id, type, device_ts, received_at, battery, payload, triage, alarm_id FROM events;
        DROP TABLE events;
        ALTER TABLE new_events RENAME TO events;
        CREATE INDEX events_by_alarm ON events(alarm_id) WHERE alarm_id IS NOT NULL;

        CREATE TABLE console_requests (
            operator_id  TEXT NOT NULL CHECK (length(operator_id) BETWEEN 1 AND 64),
            request      TEXT NOT NULL CHECK (length(request) BETWEEN 1 AND 64),
            at           INTEGER NOT NULL,
            PRIMARY KEY (operator_id, request)
        ) STRICT;
        CREATE INDEX console_requests_by_age ON console_requests(at);
        """#
}
