import VigilCore

/// Named, append-only migrations. A released migration is never edited: add a new one.
///
/// Every migration is literal SQL (one file each in Migrations/): nothing in one may depend on a Swift
/// type, or a new enum case would silently change what an old migration did on the next fresh file
/// while leaving existing files behind. `MigrationTests` hashes each released migration's text, so an
/// edit fails the build's tests.
///
/// Adding an enum case that a CHECK lists (DeviceKind, EventType, ReferralGroup, Outcome, …): SQLite
/// cannot alter a CHECK, so a new migration rebuilds the table as SQLite's documentation describes
/// (https://www.sqlite.org/lang_altertable.html, "Making Other Kinds Of Table Schema Changes"):
///   1. `CREATE TABLE new_devices (…)` with the full new definition, the new value in its CHECK;
///   2. `INSERT INTO new_devices(cols…) SELECT cols… FROM devices;`
///   3. `DROP TABLE devices;`
///   4. `ALTER TABLE new_devices RENAME TO devices;`
///   5. recreate the table's indexes (and any triggers or views) exactly as before.
/// Tables are rebuilt one migration at a time, newest definition copied from `sqlite_schema` of a
/// fresh database, never from Swift. The migration runs inside the one transaction `migrate` opens
/// for it, with foreign keys off (they cannot be switched inside a transaction, and DROP TABLE would
/// otherwise delete through them); `migrate` runs `PRAGMA foreign_key_check` before committing, so a
/// rebuild that loses a referenced row fails and rolls back. Add a test row of the new case to
/// `EnumCoverageTests` (it iterates `allCases`, so it fails until the migration exists).
enum Schema {
    static let migrations: [(name: String, sql: String)] = [
        ("2026-11-23-foundation", foundation),
        ("2026-11-23-operations", operations),
        ("2026-11-23-adapters", adapters),
        ("2026-11-23-console", console),
        ("2026-11-23-caseload", caseload),
        ("2026-12-04-unregistered-callers", unregisteredCallers),
        ("2026-12-04-wire-safety", wireSafety),
        ("2026-12-04-targets", targets),
        ("2026-12-04-restore", restore),
        ("2026-12-05-person-status", personStatus),
        ("2026-12-05-escalation-notices", escalationNotices),
        ("2026-12-05-visits", visits),
        ("2026-12-06-rota", rota),
        ("2026-12-06-referrals", referrals),
        ("2026-12-06-zigbee-unregistered", zigbeeUnregistered),
        ("2026-12-07-webhook-outbox", webhookOutbox),
        ("2026-12-08-visit-access", visitAccess),
        ("2026-12-08-hand-over-offers", handOverOffers),
        ("2026-12-09-history-outcomes", historyOutcomes),
        ("2026-12-10-care-home-services", careHomeServices),
    ]

    /// How many of `migrations` shipped in the first release. An upgrade test starts from these.
    static let firstReleaseCount = 5
}

extension Database {
    /// Brings the file up to the newest schema. Safe to call on every start, from any process.
    public func migrate(now: EpochMillis) throws(StoreError) {
        try migrate(Schema.migrations[...], now: now)
    }

    /// Applies those of `migrations` not yet recorded, each in its own IMMEDIATE transaction.
    func migrate(_ migrations: ArraySlice<(name: String, sql: String)>, now: EpochMillis) throws(StoreError) {
        try execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT")
        // A table rebuild drops a table others refer to: keys are checked once, before each commit.
        try execute("PRAGMA foreign_keys = OFF")
        defer { try? execute("PRAGMA foreign_keys = ON") }
        for m in migrations {
            try transaction({ () throws(StoreError) in
                guard try scalar("SELECT count(*) FROM schema_migrations WHERE name = ?", [.text(m.name)]) == 0 else { return }
                try apply(m, now: now)
            }, wrap: { $0 })
        }
    }

    /// A new file gets every migration in one transaction: another process opening it meanwhile (the
    /// CLI beside a starting daemon) sees it empty or whole, never half made and so "not migrated".
    func create(now: EpochMillis) throws(StoreError) {
        try execute("PRAGMA foreign_keys = OFF")
        defer { try? execute("PRAGMA foreign_keys = ON") }
        try transaction({ () throws(StoreError) in
            guard try schemaVersion() == .empty else { return }
            try execute("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT")
            for m in Schema.migrations { try apply(m, now: now) }
        }, wrap: { $0 })
    }

    /// One migration inside the caller's transaction, its foreign keys checked before it is recorded.
    private func apply(_ m: (name: String, sql: String), now: EpochMillis) throws(StoreError) {
        try execute(m.sql)
        let broken = try prepare("PRAGMA foreign_key_check")
        if try broken.step() {
            throw StoreError(code: 19, operation: "migrate \(m.name)",
                             message: "row \(broken.int64(1)) of \(broken.text(0)) refers to a missing row of \(broken.text(2))")
        }
        try prepare("INSERT INTO schema_migrations(name, applied_at) VALUES (?, ?)").run([.text(m.name), .int(now)])
    }

    /// Opens (creating if needed) a Vigil database in WAL mode with durable commits.
    /// A new file is created with mode 0600: it holds health data about vulnerable people.
    ///
    /// Only `vigil serve` and `vigil db migrate` (through `Upgrade`) pass `migrating`: every other
    /// writer refuses a file not yet migrated, so an upgrade never happens by the way, without the
    /// backup `Upgrade` takes first. A new, empty file is created whole by anyone (nothing to lose).
    /// A file a newer Vigil wrote is refused by everyone (docs/design.md, "Upgrades").
    public static func openVigil(path: String, now: EpochMillis, migrating: Bool = false) throws(StoreError) -> Database {
        try PrivateFile.create(path)
        let db = try Database(path: path)
        let version = try db.schemaVersion()
        try db.guardWritable(version, migrating: migrating)
        // WAL lets reports and the CLI read while the daemon writes; FULL makes a commit mean "on disk".
        try db.execute("PRAGMA journal_mode = WAL")
        try db.execute("PRAGMA synchronous = FULL")
        switch version {
        case .empty: try db.create(now: now)
        case .behind: try db.migrate(now: now)
        case .current, .newer, .foreign: break
        }
        return db
    }
}
