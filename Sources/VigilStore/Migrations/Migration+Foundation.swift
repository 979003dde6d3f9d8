extension Schema {
    /// 2026-11-23-foundation, released: frozen text. People, their referral groups and devices, alarms, events and dead letters.
    ///
    /// Literal SQL on purpose: the CHECK lists spell out the enum values this release knew, so a new
    /// case in VigilCore cannot change what an old migration did. Never edit this string.
    static let foundation = #"""
        CREATE TABLE users (
            id          TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
            name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
            area        INTEGER CHECK (area BETWEEN 1 AND 8),
            created_at  INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE user_groups (
            user_id         TEXT NOT NULL REFERENCES users(id),
            referral_group  TEXT NOT NULL CHECK (referral_group IN ('hospital','residential','ltc','dementia','learning-disability')),
            PRIMARY KEY (user_id, referral_group)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE devices (
            id                 TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
            user_id            TEXT NOT NULL REFERENCES users(id),
            kind               TEXT NOT NULL CHECK (kind IN ('hub','pendant','pullcord','fall-detector','smoke','heat','co','gas','flood','temperature','door','bed','chair','pir','epilepsy','enuresis','medication','telehealth')),
            heartbeat_seconds  INTEGER CHECK (heartbeat_seconds > 0),
            created_at         INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX devices_by_user ON devices(user_id);

        CREATE TABLE alarms (
            id           INTEGER PRIMARY KEY,
            code         TEXT NOT NULL UNIQUE,
            user_id      TEXT NOT NULL REFERENCES users(id),
            device_id    TEXT NOT NULL REFERENCES devices(id),
            type         TEXT NOT NULL CHECK (type IN ('button','fall','smoke','heat','co','gas','flood','temperature','door','bed','chair','inactivity','epilepsy','enuresis','medication','vitals','low_battery','power','tamper','heartbeat','cancel','clear')),
            priority     INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 3),
            reason       TEXT NOT NULL,
            state        TEXT NOT NULL DEFAULT 'raised' CHECK (state IN ('raised', 'claimed', 'resolved')),
            raised_at    INTEGER NOT NULL,
            closed_at    INTEGER,
            outcome      TEXT,
            event_count  INTEGER NOT NULL DEFAULT 1 CHECK (event_count >= 1),
            CHECK ((state = 'resolved') = (closed_at IS NOT NULL AND outcome IS NOT NULL))
        ) STRICT;
        CREATE INDEX alarms_open_queue ON alarms(priority, raised_at) WHERE state <> 'resolved';
        CREATE INDEX alarms_open_by_condition ON alarms(user_id, type) WHERE state <> 'resolved';
        CREATE INDEX alarms_open_by_device ON alarms(device_id) WHERE state <> 'resolved';

        CREATE TABLE events (
            seq          INTEGER PRIMARY KEY,
            device_id    TEXT NOT NULL REFERENCES devices(id),
            event_id     TEXT NOT NULL CHECK (length(event_id) BETWEEN 1 AND 64),
            type         TEXT NOT NULL CHECK (type IN ('button','fall','smoke','heat','co','gas','flood','temperature','door','bed','chair','inactivity','epilepsy','enuresis','medication','vitals','low_battery','power','tamper','heartbeat','cancel','clear')),
            device_ts    TEXT NOT NULL,
            received_at  INTEGER NOT NULL,
            battery      INTEGER CHECK (battery BETWEEN 0 AND 100),
            payload      BLOB NOT NULL,
            triage       TEXT NOT NULL,
            alarm_id     INTEGER REFERENCES alarms(id),
            UNIQUE (device_id, event_id)
        ) STRICT;
        CREATE INDEX events_by_alarm ON events(alarm_id) WHERE alarm_id IS NOT NULL;

        CREATE TABLE dead_letters (
            id            INTEGER PRIMARY KEY,
            received_at   INTEGER NOT NULL,
            topic         TEXT NOT NULL,
            device_id     TEXT,
            event_id      TEXT,
            reason        TEXT NOT NULL,
            detail        TEXT NOT NULL,
            payload_size  INTEGER NOT NULL,
            payload       BLOB NOT NULL
        ) STRICT;
        CREATE INDEX dead_letters_by_reason ON dead_letters(reason);
        """#
}
