import VigilCore

/// Named, append-only migrations. A released migration is never edited: add a new one.
enum Schema {
    static let migrations: [(name: String, sql: String)] = [
        ("2026-11-23-foundation", foundation),
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
    public static func openVigil(path: String, now: EpochMillis) throws(StoreError) -> Database {
        let db = try Database(path: path)
        // WAL lets reports and the CLI read while the daemon writes; FULL makes a commit mean "on disk".
        try db.execute("PRAGMA journal_mode = WAL")
        try db.execute("PRAGMA synchronous = FULL")
        try db.migrate(now: now)
        return db
    }
}
