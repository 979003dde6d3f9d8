import VigilCore

public struct OperatorRecord: Sendable, Equatable {
    public var id: String
    public var name: String
    public var role: OperatorRole

    public init(id: String, name: String, role: OperatorRole) {
        self.id = id
        self.name = name
        self.role = role
    }
}

extension Registry {
    /// Registers an operator; `issuing` as for `addDevice` (their broker credentials, same transaction).
    public func addOperator(_ o: OperatorRecord, now: EpochMillis, issuing: (() throws -> String)? = nil) throws {
        guard !o.name.allSatisfy(\.isWhitespace) else { throw RegistryError(description: "An operator needs a name (--name).") }
        // The audit trail names Vigil itself by this id (escalations, breaches, device cancels).
        guard o.id != Actor.systemID else {
            throw RegistryError(description: "The id \(Actor.systemID) is Vigil's own name in the audit trail; choose another operator id.")
        }
        try db.transaction {
            if try db.scalar("SELECT count(*) FROM operators WHERE id = ?", [.text(o.id)]) > 0 {
                throw RegistryError(description: "An operator with id \(o.id) is already registered.")
            }
            try db.prepare("INSERT INTO operators(id, name, role, created_at) VALUES (?, ?, ?, ?)").run([.text(o.id), .text(o.name), .text(o.role.rawValue), .int(now)])
            try db.prepare("INSERT INTO audit(at, actor, action, detail) VALUES (?, 'admin', 'operator-added', ?)").run([.int(now), .text("\(o.id) as \(o.role.rawValue)")])
            if let issuing { try auditAdmin("credentials-issued", "operator \(o.id): \(try issuing())", now: now) }
        }
    }

    public func operators() throws -> [OperatorRecord] {
        try db.prepare("SELECT id, name, role FROM operators ORDER BY id").rows(table: "operators") {
            OperatorRecord(id: try $0.text("id"), name: try $0.text("name"), role: try $0.decode("role"))
        }
    }

    /// Sets a person's triage overrides (replacing any earlier ones); audited.
    public func setTriage(user: String, _ p: PersonTriage, now: EpochMillis) throws {
        try db.transaction {
            if try db.scalar("SELECT count(*) FROM users WHERE id = ?", [.text(user)]) == 0 {
                throw RegistryError(description: "No person with id \(user) is registered.")
            }
            try db.prepare("""
                INSERT OR REPLACE INTO triage_overrides(user_id, exit_always_emergency, night_start, night_end, spo2_scale, heart_failure, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """).run([.text(user), .int(p.exitAlwaysEmergency ? 1 : 0), p.nightStartMinute.map { .int(Int64($0)) } ?? .null,
                          p.nightEndMinute.map { .int(Int64($0)) } ?? .null, .int(p.spo2Scale2 ? 2 : 1), .int(p.heartFailure ? 1 : 0), .int(now)])
            try db.prepare("INSERT INTO audit(at, actor, action, detail) VALUES (?, 'admin', 'triage-changed', ?)").run([
                .int(now), .text("\(user): exit P1 always \(p.exitAlwaysEmergency), night \(p.nightStartMinute.map(String.init) ?? "-")–\(p.nightEndMinute.map(String.init) ?? "-"), SpO2 scale \(p.spo2Scale2 ? 2 : 1), heart failure \(p.heartFailure)"),
            ])
        }
    }

    public func triage(user: String) throws -> PersonTriage {
        try AlarmStore(db).triage(user: user)
    }
}
