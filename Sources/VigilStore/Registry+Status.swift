import VigilCore

/// Where a person is, when it is not at home; recorded so the operator knows before calling the house.
public enum PersonAbsence: String, Sendable, CaseIterable, Codable {
    case away
    case hospital

    /// As the operator reads it: "in hospital since 2026-12-01".
    public var phrase: String { self == .hospital ? "in hospital" : "away" }
}

/// A person's status and a device's supervision, changed by an administrator. One audit row each,
/// naming ids and the change, never the note's text.
extension Registry {
    /// Records a person as away or in hospital from `since`; replaces an earlier status.
    public func setAbsence(user id: String, _ absence: PersonAbsence, since: Day, note: String?, now: EpochMillis) throws {
        if let note, note.isEmpty || note.count > 500 { throw RegistryError(description: "A status note is 1 to 500 characters.") }
        try db.transaction {
            try requirePerson(id)
            try db.prepare("""
                INSERT INTO user_status(user_id, status, since, note, set_at) VALUES (?1, ?2, ?3, ?4, ?5)
                ON CONFLICT(user_id) DO UPDATE SET status = ?2, since = ?3, note = ?4, set_at = ?5
                """).run([.text(id), .text(absence.rawValue), .text(since.iso), note.map { .text($0) } ?? .null, .int(now)])
            try auditAdmin("status-set", "\(id): \(absence.rawValue) from \(since)", now: now)
        }
    }

    /// The person is at home again. Returns false when no status was recorded.
    @discardableResult
    public func clearAbsence(user id: String, now: EpochMillis) throws -> Bool {
        try db.transaction {
            try requirePerson(id)
            guard try db.scalar("SELECT count(*) FROM user_status WHERE user_id = ?", [.text(id)]) > 0 else { return false }
            try db.prepare("DELETE FROM user_status WHERE user_id = ?").run([.text(id)])
            try auditAdmin("status-cleared", "\(id): at home", now: now)
            return true
        }
    }

    /// Stops supervising a device (uninstalled, in a drawer, sent for repair). What it still sends is
    /// stored and triaged: an alarm from it is still an alarm.
    public func suspendDevice(_ id: String, reason: String, now: EpochMillis) throws {
        guard !reason.isEmpty, reason.count <= 200 else { throw RegistryError(description: "Say why the device is suspended (--reason, 1 to 200 characters).") }
        try db.transaction {
            try requireDevice(id)
            guard try db.scalar("SELECT count(*) FROM devices WHERE id = ? AND suspended_at IS NULL", [.text(id)]) == 1 else {
                throw RegistryError(description: "Device \(id) is already suspended (`vigil devices resume --id \(id)` starts its supervision again).")
            }
            try db.prepare("UPDATE devices SET suspended_at = ?2, suspended_reason = ?3, supervision_changed_at = ?4 WHERE id = ?1")
                .run([.text(id), .int(now), .text(reason), .int(try nextSupervisionChange(now))])
            try auditAdmin("device-suspended", "\(id): \(reason)", now: now)
        }
    }

    /// Supervises a suspended device again, from now.
    public func resumeDevice(_ id: String, now: EpochMillis) throws {
        try db.transaction {
            try requireDevice(id)
            guard try db.scalar("SELECT count(*) FROM devices WHERE id = ? AND suspended_at IS NOT NULL", [.text(id)]) == 1 else {
                throw RegistryError(description: "Device \(id) is not suspended.")
            }
            try db.prepare("UPDATE devices SET suspended_at = NULL, suspended_reason = NULL, supervision_changed_at = ?2 WHERE id = ?1")
                .run([.text(id), .int(try nextSupervisionChange(now))])
            try auditAdmin("device-resumed", id, now: now)
        }
    }

    /// Always past every earlier change, so a daemon that has read up to one mark misses none after it
    /// (two changes in one millisecond, or a clock set back, still move it on).
    private func nextSupervisionChange(_ now: EpochMillis) throws -> Int64 {
        max(now, try db.scalar("SELECT coalesce(max(supervision_changed_at), 0) + 1 FROM devices"))
    }

    private func requireDevice(_ id: String) throws {
        if try db.scalar("SELECT count(*) FROM devices WHERE id = ?", [.text(id)]) == 0 {
            throw RegistryError(description: "No device with id \(id) is registered (see `vigil devices list`).")
        }
    }
}
