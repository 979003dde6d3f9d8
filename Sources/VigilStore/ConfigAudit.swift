import VigilCore

/// The daemon's effective configuration in the audit trail: one `config-changed` row each time
/// `vigil serve` starts with settings different from the last ones recorded, so a change to the
/// config file (triage windows, escalation chains, broker login) is as visible as an operator's action.
public enum ConfigAudit {
    /// Records `summary` if it differs from the last recorded one. Returns true if it wrote a row.
    @discardableResult
    public static func record(_ summary: String, in db: Database, now: EpochMillis) throws(StoreError) -> Bool {
        let last = try db.prepare("SELECT detail FROM audit WHERE action = 'config-changed' ORDER BY id DESC LIMIT 1")
        if try last.step(), last.text(0) == summary { return false }
        try db.prepare("INSERT INTO audit(at, actor, action, detail) VALUES (?, 'vigil-serve', 'config-changed', ?)").run([.int(now), .text(summary)])
        return true
    }
}
