import VigilCore

/// Where a database file's schema stands against this binary's migrations. The schema version is the
/// number of migrations applied; a name this binary does not know means a newer Vigil wrote the file.
public enum SchemaVersion: Sendable, Equatable {
    /// No Vigil table yet: a new file, which any command may create whole.
    case empty
    case current
    /// Older than this binary: `pending` are the migrations `vigil db migrate` would apply.
    case behind(version: Int, pending: [String])
    /// Tables, but no migration record: not a Vigil database.
    case foreign
    /// Written by a newer Vigil: `unknown` are the migrations this binary has never heard of.
    case newer(version: Int, unknown: [String])

    /// This binary's schema version.
    public static var binary: Int { Schema.migrations.count }
    public static var binaryNewest: String { Schema.migrations.last?.name ?? "none" }
}

extension Database {
    /// Reads the schema version without changing anything.
    public func schemaVersion() throws(StoreError) -> SchemaVersion {
        guard try scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'") == 1 else {
            // A file with tables but no migration record is not Vigil's: openVigil refuses it.
            return try scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'table'") == 0 ? .empty : .foreign
        }
        var applied: Set<String> = []
        let names = try prepare("SELECT name FROM schema_migrations")
        while try names.step() { applied.insert(names.text(0)) }
        let known = Set(Schema.migrations.map(\.name))
        let unknown = applied.subtracting(known).sorted()
        if !unknown.isEmpty { return .newer(version: applied.count, unknown: unknown) }
        let pending = Schema.migrations.map(\.name).filter { !applied.contains($0) }
        return pending.isEmpty ? .current : .behind(version: applied.count, pending: pending)
    }

    /// Refuses a file this binary must not write: one a newer Vigil wrote (naming both versions), or
    /// one not yet migrated when `migrating` is false (saying to run `vigil db migrate`).
    func guardWritable(_ version: SchemaVersion, migrating: Bool) throws(StoreError) {
        switch version {
        case .empty, .current:
            return
        case .foreign:
            throw StoreError(code: 26, operation: "open \(path)", message: "\(path) is not a Vigil database (it has tables but no schema_migrations); give the path of a Vigil database")
        case .newer(let version, let unknown):
            throw StoreError(code: 1, operation: "open \(path)", message: """
                \(path) has schema version \(version) (its newest migration, \(unknown.last ?? ""), is unknown here), \
                newer than this vigil's schema version \(SchemaVersion.binary) (\(SchemaVersion.binaryNewest)); \
                this vigil will not write to it: run the newer vigil, or restore a backup this version made
                """)
        case .behind(let version, let pending):
            guard !migrating else { return }
            throw StoreError(code: 1, operation: "open \(path)", message: """
                \(path) has schema version \(version) and this vigil expects \(SchemaVersion.binary) (\(pending.count) migration\(pending.count == 1 ? "" : "s") pending, \
                first \(pending[0])); run `vigil db migrate --db \(path)` (it takes a backup first), or start `vigil serve`
                """)
        }
    }
}

/// The upgrade itself: a backup of the file as it stands, then the pending migrations.
public enum Upgrade {
    public struct Result: Sendable, Equatable {
        /// The backup taken first, nil when nothing was pending (or the file was new).
        public var backup: String?
        public var applied: [String]
    }

    /// Where the backup before an upgrade goes: beside the database, named for the version it holds.
    public static func backupPath(for path: String, version: Int) -> String {
        "\(path).before-schema-\(SchemaVersion.binary)-from-\(version).backup"
    }

    /// Migrates the database at `path` to this binary's schema, backing it up first when it holds a
    /// schema to upgrade. Refuses a file a newer Vigil wrote.
    public static func run(path: String, now: EpochMillis) throws(StoreError) -> Result {
        let version: SchemaVersion
        try PrivateFile.create(path)
        do {
            let probe = try Database(path: path)
            version = try probe.schemaVersion()
            try probe.guardWritable(version, migrating: true)
        }
        guard case .behind(let from, let pending) = version else {
            _ = try Database.openVigil(path: path, now: now)
            return Result(backup: nil, applied: [])
        }
        let backup = backupPath(for: path, version: from)
        _ = try Backup.run(source: path, destination: backup)
        _ = try Database.openVigil(path: path, now: now, migrating: true)
        return Result(backup: backup, applied: pending)
    }
}
