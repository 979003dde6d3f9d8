import Foundation
import VigilCore

/// The prepared statements of an import, and the checks that make each refusal a clear sentence
/// rather than a bare constraint name. Each `write` returns what the row changed; a row that matches
/// what is stored changes nothing and writes nothing, not even an audit row.
final class RowWriter {
    let db: Database
    let now: EpochMillis
    let findUser: Statement, insertUser: Statement, updateUser: Statement, groupsOf: Statement, clearGroups: Statement, insertGroup: Statement
    let insertCareHome: Statement, overlapping: Statement, periodAt: Statement, insertPeriod: Statement, endPeriod: Statement
    let findDevice: Statement, insertDevice: Statement
    let findResponder: Statement, insertResponder: Statement, updateResponder: Statement
    let findSurvey: Statement, insertSurvey: Statement
    let findReferral: Statement, insertReferral: Statement, updateReferral: Statement, groupsOfReferral: Statement
    let clearReferralGroups: Statement, insertReferralGroup: Statement
    let findCareHome: Statement, updateCareHome: Statement
    let findHistoric: Statement, insertHistoric: Statement, careHomeOf: Statement
    let audit: Statement
    /// The service's time zone: an export's times without an offset are local times there.
    let zone: TimeZone

    init(db: Database, now: EpochMillis, zone: TimeZone) throws(StoreError) {
        self.db = db
        self.now = now
        self.zone = zone
        findUser = try db.prepare("SELECT name, area, date_of_birth, living, funding, care_home FROM users WHERE id = ?")
        insertUser = try db.prepare("""
            INSERT INTO users(id, name, area, created_at, date_of_birth, living, funding, care_home) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        // A later row for a known person fills in what it gives and keeps the rest.
        updateUser = try db.prepare("""
            UPDATE users SET name = ?2, area = coalesce(?3, area), date_of_birth = coalesce(?4, date_of_birth),
                living = coalesce(?5, living), funding = coalesce(?6, funding), care_home = coalesce(?7, care_home) WHERE id = ?1
            """)
        groupsOf = try db.prepare("SELECT referral_group FROM user_groups WHERE user_id = ? ORDER BY referral_group")
        clearGroups = try db.prepare("DELETE FROM user_groups WHERE user_id = ?")
        insertGroup = try db.prepare("INSERT OR IGNORE INTO user_groups(user_id, referral_group) VALUES (?, ?)")
        insertCareHome = try db.prepare("INSERT OR IGNORE INTO care_homes(name) VALUES (?)")
        findCareHome = try db.prepare("SELECT video_support_from, telehealth_from FROM care_homes WHERE name = ?")
        updateCareHome = try db.prepare("UPDATE care_homes SET video_support_from = ?2, telehealth_from = ?3 WHERE name = ?1")
        findHistoric = try db.prepare("""
            SELECT user_id, type, priority, raised_at, claimed_at, resolved_at, outcome, operator, escalations, care_home
            FROM alarm_history WHERE import_ref = ?
            """)
        insertHistoric = try db.prepare("""
            INSERT INTO alarm_history(import_ref, user_id, type, priority, raised_at, claimed_at, resolved_at, outcome, operator, escalations, care_home)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        careHomeOf = try db.prepare("SELECT care_home FROM users WHERE id = ?")
        overlapping = try db.prepare("""
            SELECT start_date, coalesce(end_date, 'open') AS end_date FROM service_periods
            WHERE user_id = ?1 AND start_date <= coalesce(?3, '9999-12-31') AND coalesce(end_date, '9999-12-31') >= ?2 LIMIT 1
            """)
        periodAt = try db.prepare("SELECT end_date, end_reason FROM service_periods WHERE user_id = ? AND start_date = ?")
        insertPeriod = try db.prepare("INSERT INTO service_periods(user_id, start_date, end_date, end_reason) VALUES (?, ?, ?, ?)")
        endPeriod = try db.prepare("UPDATE service_periods SET end_date = ?3, end_reason = ?4 WHERE user_id = ?1 AND start_date = ?2")
        findDevice = try db.prepare("SELECT user_id, kind, heartbeat_seconds FROM devices WHERE id = ?")
        insertDevice = try db.prepare("INSERT INTO devices(id, user_id, kind, heartbeat_seconds, created_at) VALUES (?, ?, ?, ?, ?)")
        findResponder = try db.prepare("SELECT name, kind, phone FROM responders WHERE user_id = ? AND position = ?")
        insertResponder = try db.prepare("INSERT INTO responders(user_id, position, name, kind, phone) VALUES (?, ?, ?, ?, ?)")
        updateResponder = try db.prepare("UPDATE responders SET name = ?3, kind = ?4, phone = ?5 WHERE user_id = ?1 AND position = ?2")
        findSurvey = try db.prepare("SELECT overall, feel_safe, recommend FROM survey_responses WHERE user_id = ? AND responded_on = ? AND respondent = ?")
        insertSurvey = try db.prepare("""
            INSERT INTO survey_responses(user_id, responded_on, respondent, overall, feel_safe, recommend) VALUES (?, ?, ?, ?, ?, ?)
            """)
        findReferral = try db.prepare("SELECT user_id, received_on, source, urgent, outcome, installed_on FROM referrals WHERE id = ?")
        insertReferral = try db.prepare("""
            INSERT INTO referrals(id, user_id, received_on, source, urgent, outcome, installed_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        updateReferral = try db.prepare("""
            UPDATE referrals SET user_id = ?2, received_on = ?3, source = ?4, urgent = ?5, outcome = ?6, installed_on = ?7 WHERE id = ?1
            """)
        groupsOfReferral = try db.prepare("SELECT referral_group FROM referral_groups WHERE referral_id = ? ORDER BY referral_group")
        clearReferralGroups = try db.prepare("DELETE FROM referral_groups WHERE referral_id = ?")
        insertReferralGroup = try db.prepare("INSERT OR IGNORE INTO referral_groups(referral_id, referral_group) VALUES (?, ?)")
        // Ids only: the audit trail is read by more people than the person's record is.
        audit = try db.prepare("INSERT INTO audit(at, actor, action, detail) VALUES (?, 'admin', ?, ?)")
    }

    func write(_ kind: ImportKind, _ r: RowReader) throws -> [ImportChange] {
        let changes: [ImportChange]
        switch kind {
        case .users: changes = try user(r)
        case .devices: changes = try device(r)
        case .responders: changes = try responder(r)
        case .surveys: changes = try survey(r)
        case .referrals: changes = try referral(r)
        case .carehomes: changes = try careHome(r)
        case .alarms: changes = try historicAlarm(r)
        }
        for c in changes { try audit.run([.int(now), .text(Self.action(kind, c.what)), .text(Self.detail(c))]) }
        return changes
    }

    static func action(_ kind: ImportKind, _ what: ImportChange.What) -> String {
        let noun = ["users": "user", "devices": "device", "responders": "responder", "surveys": "survey", "referrals": "referral", "carehomes": "care-home", "alarms": "alarm"][kind.rawValue]!
        switch what {
        case .new: return "\(noun)-imported"
        case .updated: return "\(noun)-updated"
        case .started: return "service-started"
        case .ended: return "service-ended"
        }
    }

    static func detail(_ c: ImportChange) -> String {
        switch c.what {
        case .new: "\(c.record) (import line \(c.line))"
        case let .updated(fields): "\(c.record): \(fields.joined(separator: ", ")) (import line \(c.line))"
        case let .started(day): "\(c.record) from \(day) (import line \(c.line))"
        case let .ended(day): "\(c.record) on \(day) (import line \(c.line))"
        }
    }

    private func first<T>(_ s: Statement, _ values: [SQLValue], table: String, _ read: (Row) throws -> T) throws -> T? {
        // `rows` resets the statement, so no read is left open across a savepoint's rollback.
        try s.rows(values, table: table, read).first
    }

    private func requireUser(_ id: String) throws {
        if try first(findUser, [.text(id)], table: "users", { _ in true }) == nil {
            throw RowReader.Problem(message: "user_id '\(id)' is not a registered person (import users first)")
        }
    }

    private func user(_ r: RowReader) throws -> [ImportChange] {
        let p = FieldProblems()
        let id = try p.read { try r.required("id") }
        if let id, !(id.utf8.count <= 64 && id.allSatisfy({ $0.isLetter || $0.isNumber || "._:-".contains($0) })) {
            p.add("id '\(id)' must be 1–64 characters of letters, digits and . _ : -")
        }
        let name = try p.read { try r.required("name") }
        let area = try p.read { try r.int("area", in: 1...8, required: false) }
        let groups = Self.groups(r, p)
        let birth = try p.read { try r.day("date_of_birth", required: false) }
        let living = try p.read { try r.choice("living", LivingArrangement.self, required: false) }
        let funding = try p.read { try r.choice("funding", FundingRoute.self, required: false) }
        let careHome = r.optional("care_home")
        let start = try p.read { try r.day("start_date", required: true) }
        let end = try p.read { try r.day("end_date", required: false) }
        let reason = try p.read { try r.choice("end_reason", EndReason.self, required: false) }
        if let end, let start, end < start { p.add("end_date \(end) is before start_date \(start)") }
        if r.optional("end_date") != nil, r.optional("end_reason") == nil { p.add("end_reason is empty but end_date is given: say why the service ended") }
        if r.optional("end_date") == nil, r.optional("end_reason") != nil { p.add("end_reason is given without an end_date") }
        if let birth, let start, birth > start { p.add("date_of_birth \(birth) is after start_date \(start)") }
        try p.check()
        guard let id, let name, let start else { return [] }  // unreachable: each would have been a problem
        let line = r.row.line

        if let careHome { try insertCareHome.run([.text(careHome)]) }
        let details: [SQLValue] = [
            area.map { .int(Int64($0)) } ?? .null, birth.map { .text($0.iso) } ?? .null, living.map { .text($0.rawValue) } ?? .null,
            funding.map { .text($0.rawValue) } ?? .null, careHome.map { .text($0) } ?? .null,
        ]
        let stored = try first(findUser, [.text(id)], table: "users") { row in
            [SQLValue.text(try row.text("name")), try row.optionalInt("area").map { .int(Int64($0)) } ?? .null,
             try row.optionalText("date_of_birth").map { .text($0) } ?? .null, try row.optionalText("living").map { .text($0) } ?? .null,
             try row.optionalText("funding").map { .text($0) } ?? .null, try row.optionalText("care_home").map { .text($0) } ?? .null]
        }
        guard let stored else {
            try insertUser.run([.text(id), .text(name), details[0], .int(now), details[1], details[2], details[3], details[4]])
            for g in groups ?? [] { try insertGroup.run([.text(id), .text(g.rawValue)]) }
            try insertPeriod.run([.text(id), .text(start.iso), end.map { .text($0.iso) } ?? .null, reason.map { .text($0.rawValue) } ?? .null])
            return [ImportChange(line: line, record: id, what: .new)]
        }

        var changes: [ImportChange] = []
        // Only what the row gives can change: an empty cell keeps the stored value.
        var fields: [String] = []
        if stored[0] != .text(name) { fields.append("name") }
        for (i, column) in ["area", "date_of_birth", "living", "funding", "care_home"].enumerated() where details[i] != .null && details[i] != stored[i + 1] {
            fields.append(column)
        }
        if !fields.isEmpty { try updateUser.run([.text(id), .text(name)] + details) }
        if let groups {
            let had = try groupsOf.all([.text(id)]) { $0.text(0) }
            if Set(had) != Set(groups.map(\.rawValue)) {
                try clearGroups.run([.text(id)])
                for g in groups { try insertGroup.run([.text(id), .text(g.rawValue)]) }
                fields.append("groups")
            }
        }

        let period = try first(periodAt, [.text(id), .text(start.iso)], table: "service_periods") {
            (end: try $0.optionalText("end_date"), reason: try $0.optionalText("end_reason"))
        }
        if let period {
            switch (period.end, end) {
            case (nil, let newEnd?):
                try endPeriod.run([.text(id), .text(start.iso), .text(newEnd.iso), .text(reason!.rawValue)])
                if !fields.isEmpty { changes.append(ImportChange(line: line, record: id, what: .updated(fields))) }
                changes.append(ImportChange(line: line, record: id, what: .ended(newEnd)))
                return changes
            case (let was?, nil):
                throw RowReader.Problem(message: "\(id)'s service from \(start) ended on \(was) and this row gives no end_date; "
                    + "a period is not re-opened by import: if they came back, give the new start_date on a row of its own")
            case (let was?, let newEnd?) where was != newEnd.iso || period.reason != reason?.rawValue:
                try endPeriod.run([.text(id), .text(start.iso), .text(newEnd.iso), .text(reason!.rawValue)])
                fields.append(was != newEnd.iso ? "end_date" : "end_reason")
            default: break
            }
        } else {
            let clash = try overlapping.rows([.text(id), .text(start.iso), end.map { .text($0.iso) } ?? .null], table: "service_periods") {
                "\(try $0.text("start_date")) to \(try $0.text("end_date"))"
            }
            if let other = clash.first {
                throw RowReader.Problem(message: "the service period from \(start) overlaps \(id)'s period \(other)")
            }
            try insertPeriod.run([.text(id), .text(start.iso), end.map { .text($0.iso) } ?? .null, reason.map { .text($0.rawValue) } ?? .null])
            if !fields.isEmpty { changes.append(ImportChange(line: line, record: id, what: .updated(fields))) }
            changes.append(ImportChange(line: line, record: id, what: .started(start)))
            return changes
        }
        if !fields.isEmpty { changes.append(ImportChange(line: line, record: id, what: .updated(fields))) }
        return changes
    }

    /// The `groups` cell: codes separated by `;`, nil when the cell is empty.
    static func groups(_ r: RowReader, _ p: FieldProblems) -> [ReferralGroup]? {
        var groups: [ReferralGroup]?
        for g in (r.optional("groups") ?? "").split(separator: ";").map({ String($0).trimmingSpaces }) where !g.isEmpty {
            if let group = RowReader.code(g, ReferralGroup.self) { groups = (groups ?? []) + [group] } else {
                p.add("groups '\(g)' is not one of \(ReferralGroup.allCases.map(\.rawValue).joined(separator: ", ")) (separate several with ;)")
            }
        }
        return groups
    }

    /// A referral, keyed on its id: a later export can give it an outcome, a person or an
    /// installation day; an empty cell keeps what is stored.
    private func referral(_ r: RowReader) throws -> [ImportChange] {
        let p = FieldProblems()
        let id = try p.read { try r.required("id") }
        if let id, !(id.utf8.count <= 64 && id.allSatisfy({ $0.isLetter || $0.isNumber || "._:-".contains($0) })) {
            p.add("id '\(id)' must be 1–64 characters of letters, digits and . _ : -")
        }
        let received = try p.read { try r.day("received_date", required: true) }
        let source = try p.read { try r.choice("source", ReferralSource.self, required: true) }
        let groups = Self.groups(r, p)
        var urgent: Bool?
        if let u = r.optional("urgent") {
            switch u.lowercased() {
            case "yes", "y", "true", "1", "urgent": urgent = true
            case "no", "n", "false", "0", "routine": urgent = false
            default: p.add("urgent '\(u)' is not yes or no")
            }
        }
        var outcome = try p.read { try r.choice("outcome", ReferralOutcome.self, required: false) }
        let installed = try p.read { try r.day("installed_date", required: false) }
        if installed != nil && outcome == nil { outcome = .installed }
        if let installed, outcome != .installed { p.add("installed_date \(installed) is given but the outcome is \(outcome!.rawValue)") }
        if outcome == .installed && installed == nil { p.add("the outcome is installed but installed_date is empty: give the day it was installed") }
        if let installed, let received, installed < received { p.add("installed_date \(installed) is before received_date \(received)") }
        let userID = r.optional("user_id")
        try p.check()
        guard let id, let received, let source else { return [] }
        if let userID { try requireUser(userID) }
        let line = r.row.line
        let stored = try first(findReferral, [.text(id)], table: "referrals") { row in
            [try row.optionalText("user_id").map { SQLValue.text($0) } ?? .null, .text(try row.text("received_on")), .text(try row.text("source")),
             .int(Int64(try row.int("urgent"))), try row.optionalText("outcome").map { .text($0) } ?? .null,
             try row.optionalText("installed_on").map { .text($0) } ?? .null]
        }
        guard let stored else {
            try insertReferral.run([.text(id), userID.map { .text($0) } ?? .null, .text(received.iso), .text(source.rawValue),
                                    .int((urgent ?? false) ? 1 : 0), outcome.map { .text($0.rawValue) } ?? .null,
                                    installed.map { .text($0.iso) } ?? .null, .int(now)])
            for g in groups ?? [] { try insertReferralGroup.run([.text(id), .text(g.rawValue)]) }
            return [ImportChange(line: line, record: id, what: .new)]
        }
        if case .text(let was) = stored[4], outcome != nil, was != outcome!.rawValue {
            throw RowReader.Problem(message: "referral \(id) is already closed as \(was): an import does not change an outcome")
        }
        // What the row gives replaces what is stored; an empty cell keeps it.
        let given: [SQLValue] = [
            userID.map { .text($0) } ?? stored[0], .text(received.iso), .text(source.rawValue),
            urgent.map { .int($0 ? 1 : 0) } ?? stored[3], outcome.map { .text($0.rawValue) } ?? stored[4], installed.map { .text($0.iso) } ?? stored[5],
        ]
        var fields = zip(["user_id", "received_date", "source", "urgent", "outcome", "installed_date"], zip(stored, given))
            .filter { $0.1.0 != $0.1.1 }.map(\.0)
        if !fields.isEmpty { try updateReferral.run([.text(id)] + given) }
        if let groups {
            let had = try groupsOfReferral.all([.text(id)]) { $0.text(0) }
            if Set(had) != Set(groups.map(\.rawValue)) {
                try clearReferralGroups.run([.text(id)])
                for g in groups { try insertReferralGroup.run([.text(id), .text(g.rawValue)]) }
                fields.append("groups")
            }
        }
        return fields.isEmpty ? [] : [ImportChange(line: line, record: id, what: .updated(fields))]
    }

    /// A care home and the days its video support and telehealth went live, keyed on its name (as
    /// a person's care_home names it). An empty cell keeps what is stored; a later day replaces it.
    private func careHome(_ r: RowReader) throws -> [ImportChange] {
        let p = FieldProblems()
        let name = try p.read { try r.required("name") }
        let video = try p.read { try r.day("video_support_from", required: false) }
        let telehealth = try p.read { try r.day("telehealth_from", required: false) }
        try p.check()
        guard let name else { return [] }
        let stored = try first(findCareHome, [.text(name)], table: "care_homes") {
            [try $0.optionalText("video_support_from"), try $0.optionalText("telehealth_from")]
        }
        let given = [video?.iso ?? stored?[0] ?? nil, telehealth?.iso ?? stored?[1] ?? nil]
        let fields = zip(["video_support_from", "telehealth_from"], zip(stored ?? [nil, nil], given)).filter { $0.1.0 != $0.1.1 }.map(\.0)
        if stored == nil { try insertCareHome.run([.text(name)]) }
        if !fields.isEmpty { try updateCareHome.run([.text(name)] + given.map { $0.map(SQLValue.text) ?? .null }) }
        let line = r.row.line
        if stored == nil { return [ImportChange(line: line, record: name, what: .new)] }
        return fields.isEmpty ? [] : [ImportChange(line: line, record: name, what: .updated(fields))]
    }

    /// An alarm from a previous system's export, into the history the reports read beside Vigil's
    /// own alarms, keyed on that system's reference (`id`). The same export twice stores nothing
    /// new; a row that differs from the alarm stored under its id is refused, as history is not
    /// rewritten by an import. The priority defaults to what triage gives the type; the care home to
    /// the person's, for the before-and-after comparison of video support.
    private func historicAlarm(_ r: RowReader) throws -> [ImportChange] {
        let p = FieldProblems()
        let id = try p.read { try r.required("id") }
        if let id, id.utf8.count > 64 { p.add("id '\(id)' is longer than 64 characters") }
        let userID = try p.read { try r.required("user_id") }
        let type = try p.read { try r.choice("type", EventType.self, required: true) }
        let priority = try p.read { try r.int("priority", in: 1...3, required: false) }
        let raised = try p.read { try r.instant("raised_at", zone: zone, required: true) }
        let claimed = try p.read { try r.instant("claimed_at", zone: zone, required: false) }
        let resolved = try p.read { try r.instant("resolved_at", zone: zone, required: true) }
        let outcome = try p.read { try r.choice("outcome", Outcome.self, required: true) }
        let escalations = try p.read { try r.int("escalations", in: 0...1_000, required: false) }
        if let raised {
            if let claimed, claimed < raised { p.add("claimed_at \(r.optional("claimed_at")!) is before raised_at \(r.optional("raised_at")!)") }
            if let resolved, resolved < raised { p.add("resolved_at \(r.optional("resolved_at")!) is before raised_at \(r.optional("raised_at")!)") }
            if raised > now { p.add("raised_at \(r.optional("raised_at")!) is in the future: check the time zone or the date order (DD/MM/YYYY)") }
        }
        if let claimed, let resolved, claimed > resolved { p.add("claimed_at \(r.optional("claimed_at")!) is after resolved_at \(r.optional("resolved_at")!)") }
        try p.check()
        guard let id, let userID, let type, let raised, let resolved, let outcome else { return [] }
        try requireUser(userID)
        let home = try r.optional("care_home") ?? first(careHomeOf, [.text(userID)], table: "users") { try $0.optionalText("care_home") } ?? nil
        if let home { try insertCareHome.run([.text(home)]) }
        let values: [SQLValue] = [
            .text(userID), .text(type.rawValue), .int(Int64(priority ?? type.usualPriority.rawValue)), .int(raised), claimed.map(SQLValue.int) ?? .null,
            .int(resolved), .text(outcome.rawValue), r.optional("operator").map(SQLValue.text) ?? .null, .int(Int64(escalations ?? 0)),
            home.map(SQLValue.text) ?? .null,
        ]
        let names = ["user_id", "type", "priority", "raised_at", "claimed_at", "resolved_at", "outcome", "operator", "escalations", "care_home"]
        if let stored = try first(findHistoric, [.text(id)], table: "alarm_history", { row -> [SQLValue] in
            func text(_ c: String) throws -> SQLValue { try row.optionalText(c).map(SQLValue.text) ?? .null }
            func int(_ c: String) throws -> SQLValue { try row.optionalInt64(c).map(SQLValue.int) ?? .null }
            return [try text("user_id"), try text("type"), try int("priority"), try int("raised_at"), try int("claimed_at"), try int("resolved_at"),
                    try text("outcome"), try text("operator"), try int("escalations"), try text("care_home")]
        }) {
            let differ = zip(names, zip(stored, values)).filter { $0.1.0 != $0.1.1 }.map(\.0)
            guard differ.isEmpty else {
                throw RowReader.Problem(message: "alarm \(id) is already imported with a different \(differ.joined(separator: ", ")): an import does not rewrite history")
            }
            return []
        }
        try insertHistoric.run([.text(id)] + values)
        return [ImportChange(line: r.row.line, record: "alarm \(id)", what: .new)]
    }

    private func device(_ r: RowReader) throws -> [ImportChange] {
        let id = try r.required("id")
        let user = try r.required("user_id")
        let kind = try r.choice("kind", DeviceKind.self, required: true)!
        let heartbeat = try r.int("heartbeat_seconds", in: 1...(7 * 86_400), required: false)
        guard id.utf8.count <= 64 else { throw RowReader.Problem(message: "id '\(id)' is longer than 64 characters") }
        try requireUser(user)
        if let stored = try first(findDevice, [.text(id)], table: "devices", { (try $0.text("user_id"), try $0.text("kind"), try $0.optionalInt("heartbeat_seconds")) }) {
            guard stored.0 == user, stored.1 == kind.rawValue, stored.2 == heartbeat else {
                throw RowReader.Problem(message: "device id '\(id)' is already registered, for \(stored.0) as a \(stored.1): "
                    + "an import does not move or change a device")
            }
            return []
        }
        try insertDevice.run([.text(id), .text(user), .text(kind.rawValue), heartbeat.map { .int(Int64($0)) } ?? .null, .int(now)])
        return [ImportChange(line: r.row.line, record: id, what: .new)]
    }

    private func responder(_ r: RowReader) throws -> [ImportChange] {
        let p = FieldProblems()
        let userID = try p.read { try r.required("user_id") }
        let where_ = try p.read { try r.int("position", in: 1...20, required: true) }
        let who = try p.read { try r.required("name") }
        let type = try p.read { try r.choice("kind", ResponderKind.self, required: true) }
        let number = try p.read { try r.phone("phone") }
        try p.check()
        guard let user = userID, let position = where_, let name = who, let kind = type, let phone = number else { return [] }
        try requireUser(user)
        let record = "\(user) responder \(position)"
        if let stored = try first(findResponder, [.text(user), .int(Int64(position))], table: "responders", {
            [try $0.text("name"), try $0.text("kind"), try $0.text("phone")]
        }) {
            let fields = zip(["name", "kind", "phone"], zip(stored, [name, kind.rawValue, phone])).filter { $0.1.0 != $0.1.1 }.map(\.0)
            guard !fields.isEmpty else { return [] }
            try updateResponder.run([.text(user), .int(Int64(position)), .text(name), .text(kind.rawValue), .text(phone)])
            return [ImportChange(line: r.row.line, record: record, what: .updated(fields))]
        }
        try insertResponder.run([.text(user), .int(Int64(position)), .text(name), .text(kind.rawValue), .text(phone)])
        return [ImportChange(line: r.row.line, record: record, what: .new)]
    }

    private func survey(_ r: RowReader) throws -> [ImportChange] {
        let p = FieldProblems()
        let userID = try p.read { try r.required("user_id") }
        let responded = try p.read { try r.day("responded_on", required: true) }
        let who = try p.read { try r.choice("respondent", Respondent.self, required: true) }
        let answer = try p.read { try r.int("overall", in: SurveyScale.range, required: true) }
        let safe = try p.read { try r.int("feel_safe", in: SurveyScale.range, required: false) }
        let recommend = try p.read { try r.int("recommend", in: SurveyScale.range, required: false) }
        try p.check()
        guard let user = userID, let day = responded, let respondent = who, let overall = answer else { return [] }
        try requireUser(user)
        let key: [SQLValue] = [.text(user), .text(day.iso), .text(respondent.rawValue)]
        if let stored = try first(findSurvey, key, table: "survey_responses", { [try $0.optionalInt("overall"), try $0.optionalInt("feel_safe"), try $0.optionalInt("recommend")] }) {
            guard stored == [overall, safe, recommend] else {
                throw RowReader.Problem(message: "a different \(respondent.rawValue) response for \(user) on \(day) is already stored: an import does not change answers")
            }
            return []
        }
        try insertSurvey.run(key + [.int(Int64(overall)), safe.map { .int(Int64($0)) } ?? .null, recommend.map { .int(Int64($0)) } ?? .null])
        return [ImportChange(line: r.row.line, record: "\(user) \(respondent.rawValue) \(day)", what: .new)]
    }
}
