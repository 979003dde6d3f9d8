import VigilCore

/// Named, append-only migrations. A released migration is never edited: add a new one.
enum Schema {
    static let migrations: [(name: String, sql: String)] = [
        ("2026-11-23-foundation", foundation),
        ("2026-11-23-operations", operations),
        ("2026-11-23-adapters", adapters),
        ("2026-11-23-console", console),
        ("2026-11-23-caseload", caseload),
    ]

    private static var deviceKinds: String { DeviceKind.allCases.map { "'\($0.rawValue)'" }.joined(separator: ",") }
    private static var eventTypes: String { EventType.allCases.map { "'\($0.rawValue)'" }.joined(separator: ",") }
    private static var groups: String { ReferralGroup.allCases.map { "'\($0.rawValue)'" }.joined(separator: ",") }
    private static let idCheck = "BETWEEN 1 AND 64"

    static var foundation: String {
        """
        CREATE TABLE users (
            id          TEXT PRIMARY KEY CHECK (length(id) \(idCheck)),
            name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
            area        INTEGER CHECK (area BETWEEN 1 AND 8),
            created_at  INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE user_groups (
            user_id         TEXT NOT NULL REFERENCES users(id),
            referral_group  TEXT NOT NULL CHECK (referral_group IN (\(groups))),
            PRIMARY KEY (user_id, referral_group)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE devices (
            id                 TEXT PRIMARY KEY CHECK (length(id) \(idCheck)),
            user_id            TEXT NOT NULL REFERENCES users(id),
            kind               TEXT NOT NULL CHECK (kind IN (\(deviceKinds))),
            heartbeat_seconds  INTEGER CHECK (heartbeat_seconds > 0),
            created_at         INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX devices_by_user ON devices(user_id);

        CREATE TABLE alarms (
            id           INTEGER PRIMARY KEY,
            code         TEXT NOT NULL UNIQUE,
            user_id      TEXT NOT NULL REFERENCES users(id),
            device_id    TEXT NOT NULL REFERENCES devices(id),
            type         TEXT NOT NULL CHECK (type IN (\(eventTypes))),
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
            event_id     TEXT NOT NULL CHECK (length(event_id) \(idCheck)),
            type         TEXT NOT NULL CHECK (type IN (\(eventTypes))),
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
        """
    }
}

extension Schema {
    /// Operators, claims, escalation, the audit trail, heartbeat contact and per-person triage.
    static var operations: String {
        """
        CREATE TABLE operators (
            id          TEXT PRIMARY KEY CHECK (length(id) \(idCheck)),
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
        """
    }
}

extension Schema {
    /// Devices that speak Zigbee2MQTT (by friendly name) and the last state each reported.
    static let adapters = """
        ALTER TABLE devices ADD COLUMN zigbee_name TEXT CHECK (zigbee_name IS NULL OR length(zigbee_name) BETWEEN 1 AND 128);
        CREATE UNIQUE INDEX devices_by_zigbee_name ON devices(zigbee_name) WHERE zigbee_name IS NOT NULL;
        ALTER TABLE devices ADD COLUMN property_exit INTEGER NOT NULL DEFAULT 0 CHECK (property_exit IN (0, 1));

        CREATE TABLE zigbee_state (
            device_id   TEXT PRIMARY KEY REFERENCES devices(id),
            state       TEXT NOT NULL,
            updated_at  INTEGER NOT NULL
        ) STRICT;
        """
}

extension Schema {
    /// What an operator needs on screen when they pick up an alarm.
    static let console = """
        ALTER TABLE users ADD COLUMN address TEXT;
        ALTER TABLE users ADD COLUMN access_notes TEXT;
        ALTER TABLE users ADD COLUMN conditions TEXT;
        ALTER TABLE devices ADD COLUMN last_battery INTEGER CHECK (last_battery BETWEEN 0 AND 100);
        CREATE INDEX alarms_by_user ON alarms(user_id, raised_at);
        """
}

extension Database {
    /// Brings the file up to the newest schema. Safe to call on every start, from any process.
    public func migrate(now: EpochMillis) throws(StoreError) {
        try execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT")
        for m in Schema.migrations {
            try execute("BEGIN IMMEDIATE")
            do {
                if try scalar("SELECT count(*) FROM schema_migrations WHERE name = ?", [.text(m.name)]) == 0 {
                    try execute(m.sql)
                    try prepare("INSERT INTO schema_migrations(name, applied_at) VALUES (?, ?)").run([.text(m.name), .int(now)])
                }
                try execute("COMMIT")
            } catch {
                try? execute("ROLLBACK")
                throw error
            }
        }
    }

    /// Opens (creating if needed) a Vigil database in WAL mode with durable commits, migrated.
    /// A new file is created with mode 0600: it holds health data about vulnerable people.
    public static func openVigil(path: String, now: EpochMillis) throws(StoreError) -> Database {
        try PrivateFile.create(path)
        let db = try Database(path: path)
        // WAL lets reports and the CLI read while the daemon writes; FULL makes a commit mean "on disk".
        try db.execute("PRAGMA journal_mode = WAL")
        try db.execute("PRAGMA synchronous = FULL")
        try db.migrate(now: now)
        return db
    }
}
