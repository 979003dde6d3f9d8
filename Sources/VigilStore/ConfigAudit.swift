import VigilCore

/// The daemon's effective configuration in the audit trail: one `config-changed` row each time
/// `vigil serve` starts with settings different from the last ones recorded, so a change to the
/// config file (triage windows, escalation chains, broker login) is as visible as an operator's action.
public enum ConfigAudit {
    /// Records `summary` if it differs from the last recorded one. Returns true if it wrote a row.
    @discardableResult
    public static func record(_ summary: String, in db: Database, now: EpochMillis) throws(StoreError) -> Bool {
        let action = SQLValue.text(AuditAction.configChanged.rawValue)
        let last = try db.prepare("SELECT detail FROM audit WHERE action = ? ORDER BY id DESC LIMIT 1")
        try last.bind([action])
        if try last.step(), try Row(statement: last, table: "audit").text("detail") == summary { return false }
        try db.prepare("INSERT INTO audit(at, actor, action, detail) VALUES (?, ?, ?, ?)")
            .run([.int(now), .text(Actor.systemID), action, .text(summary)])
        return true
    }
}
