/// `PRAGMA integrity_check` and `PRAGMA foreign_key_check` on a database file: what `vigil db check`
/// runs after a restore, and what a backup must pass.
public enum IntegrityCheck {
    /// The problems found, one sentence each; empty when the database is sound.
    public static func problems(path: String) throws(StoreError) -> [String] {
        let db = try Database(path: path, mode: .readOnly)
        var problems: [String] = []
        let integrity = try db.prepare("PRAGMA integrity_check")
        while try integrity.step() {
            let line = integrity.text(0)
            if line != "ok" { problems.append("integrity: \(line)") }
        }
        let keys = try db.prepare("PRAGMA foreign_key_check")
        while try keys.step() {
            problems.append("foreign key: row \(keys.int64(1)) of \(keys.text(0)) points at a missing row of \(keys.text(2))")
        }
        if try db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'schema_migrations'") == 0 {
            problems.append("not a Vigil database: it has no schema_migrations table")
        }
        return problems
    }
}
