import VigilCore

/// One data row of an import file: its line number in the file (the header is line 1) and its cells
/// by column name.
public struct ImportRow: Sendable {
    public var line: Int
    public var fields: [String: String]
    /// Set by the reader when the row cannot be read as cells (too many of them).
    public var problem: String?

    public init(line: Int, fields: [String: String], problem: String? = nil) {
        self.line = line
        self.fields = fields
        self.problem = problem
    }
}

/// What is wrong with one row, in words a person can act on.
public struct ImportProblem: Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}

/// The file was refused: nothing was stored. Every bad row is listed.
public struct ImportRejected: Error, Sendable, CustomStringConvertible {
    public var problems: [ImportProblem]
    public var description: String {
        let n = problems.count
        return "\(n) bad row\(n == 1 ? "" : "s"); nothing was imported (use --skip-bad to import the good rows):\n"
            + problems.map(\.description).joined(separator: "\n")
    }
}

/// The file's columns are wrong: no row was read.
public struct ImportHeaderError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// What one accepted row did to the stored records.
public struct ImportChange: Sendable, Equatable, CustomStringConvertible {
    public enum What: Sendable, Equatable {
        /// A record that was not stored before.
        case new
        /// A stored record whose named fields changed.
        case updated([String])
        /// A known person's new spell of service (a returner).
        case started(Day)
        /// An open spell of service closed.
        case ended(Day)
    }

    public var line: Int
    /// The record's id (a person's, a device's, "u1 position 2"): never a name.
    public var record: String
    public var what: What

    public var description: String {
        switch what {
        case .new: "line \(line): \(record) new"
        case let .updated(fields): "line \(line): \(record) updated (\(fields.joined(separator: ", ")))"
        case let .started(day): "line \(line): \(record) starts again on \(day)"
        case let .ended(day): "line \(line): \(record) ended on \(day)"
        }
    }
}

public struct ImportResult: Sendable, Equatable {
    /// Rows accepted, changed or not.
    public var imported: Int
    public var skipped: [ImportProblem]
    /// Every change, in file order (a row can make several: updated and ended).
    public var changes: [ImportChange] = []

    public init(imported: Int, skipped: [ImportProblem], changes: [ImportChange] = []) {
        self.imported = imported
        self.skipped = skipped
        self.changes = changes
    }

    mutating func count(_ rowChanges: [ImportChange]) { changes += rowChanges }

    public var new: Int { changes.count { $0.what == .new } }
    public var updated: Int { changes.count { if case .updated = $0.what { true } else { false } } }
    public var started: Int { changes.count { if case .started = $0.what { true } else { false } } }
    public var ended: Int { changes.count { if case .ended = $0.what { true } else { false } } }
    /// Accepted rows that changed nothing (already stored as they are).
    public var unchanged: Int { imported - Set(changes.map(\.line)).count }

    public var summary: String {
        "\(new) new, \(updated) updated, \(started) started again, \(ended) ended, \(unchanged) unchanged, \(skipped.count) refused"
    }
}

/// What an import file holds.
public enum ImportKind: String, CaseIterable, Sendable {
    case users, devices, responders, surveys, referrals
    /// Care homes and the days their video support and telehealth went live.
    case carehomes
    /// Alarms from a previous system's export, into the history the reports read.
    case alarms

    public var required: [String] {
        switch self {
        case .users: ["id", "name", "start_date"]
        case .devices: ["id", "user_id", "kind"]
        case .responders: ["user_id", "position", "name", "kind", "phone"]
        case .surveys: ["user_id", "responded_on", "respondent", "overall"]
        case .referrals: ["id", "received_date", "source"]
        case .carehomes: ["name"]
        case .alarms: ["id", "user_id", "type", "raised_at", "resolved_at", "outcome"]
        }
    }

    public var optional: [String] {
        switch self {
        case .users: ["area", "groups", "date_of_birth", "living", "funding", "care_home", "end_date", "end_reason"]
        case .devices: ["heartbeat_seconds"]
        case .responders: []
        case .surveys: ["feel_safe", "recommend"]
        case .referrals: ["user_id", "groups", "urgent", "outcome", "installed_date"]
        case .carehomes: ["video_support_from", "telehealth_from"]
        case .alarms: ["priority", "claimed_at", "operator", "escalations", "care_home"]
        }
    }

    /// Refuses a header that lacks a required column or has one Vigil does not know (a typo
    /// would otherwise drop a column's data without a word).
    public func check(header: [String]) throws(ImportHeaderError) {
        let known = Set(required + optional)
        let missing = required.filter { !header.contains($0) }
        let unknown = header.filter { !known.contains($0) }
        var parts: [String] = []
        if !missing.isEmpty { parts.append("missing column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", "))") }
        if !unknown.isEmpty { parts.append("unknown column\(unknown.count == 1 ? "" : "s") \(unknown.joined(separator: ", "))") }
        if let dup = Dictionary(grouping: header, by: { $0 }).first(where: { $0.value.count > 1 })?.key { parts.append("column \(dup) appears twice") }
        guard parts.isEmpty else {
            throw ImportHeaderError(description: "The header of a \(rawValue) file is wrong: \(parts.joined(separator: "; ")). "
                + "Required: \(required.joined(separator: ", ")); optional: \(optional.isEmpty ? "none" : optional.joined(separator: ", ")).")
        }
    }
}
