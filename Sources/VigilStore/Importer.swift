import VigilCore

/// Imports a CSV's rows into the caseload, all or nothing: every row is checked and tried inside one
/// transaction; if any fails the whole transaction is rolled back (unless `skipBad`), so a file with
/// one bad row changes nothing. Each row runs in its own savepoint, so with `skipBad` a bad row
/// leaves no half-written trace while the good rows are kept.
public struct Importer {
    let db: Database

    public init(_ db: Database) {
        self.db = db
    }

    public func run(_ kind: ImportKind, header: [String], rows: [ImportRow], skipBad: Bool, now: EpochMillis,
                    progress: (Int, Int) -> Void = { _, _ in }) throws -> ImportResult {
        try kind.check(header: header)
        let writer = try RowWriter(db: db, now: now)
        var problems: [ImportProblem] = []
        var imported = 0
        try db.transaction {
            for (i, row) in rows.enumerated() {
                try db.execute("SAVEPOINT import_row")
                do {
                    if let problem = row.problem { throw RowReader.Problem(message: problem) }
                    try writer.write(kind, RowReader(row: row))
                    imported += 1
                    try db.execute("RELEASE import_row")
                } catch let p as RowReader.Problem {
                    problems.append(ImportProblem(line: row.line, message: p.message))
                    try db.execute("ROLLBACK TO import_row; RELEASE import_row")
                } catch let e as StoreError where e.isConstraint {
                    problems.append(ImportProblem(line: row.line, message: "refused by the database: \(e.message)"))
                    try db.execute("ROLLBACK TO import_row; RELEASE import_row")
                }
                if i % 500 == 499 || i == rows.count - 1 { progress(i + 1, rows.count) }
            }
            if !problems.isEmpty && !skipBad { throw ImportRejected(problems: problems) }
        }
        return ImportResult(imported: imported, skipped: problems)
    }
}

/// The prepared statements of an import, and the checks that make each refusal a clear sentence
/// rather than a bare constraint name.
final class RowWriter {
    let db: Database
    let now: EpochMillis
    let userExists: Statement, insertUser: Statement, updateUser: Statement, insertGroup: Statement
    let insertCareHome: Statement, overlapping: Statement, insertPeriod: Statement
    let deviceExists: Statement, insertDevice: Statement
    let responderExists: Statement, insertResponder: Statement
    let surveyExists: Statement, insertSurvey: Statement

    init(db: Database, now: EpochMillis) throws(StoreError) {
        self.db = db
        self.now = now
        userExists = try db.prepare("SELECT count(*) FROM users WHERE id = ?")
        insertUser = try db.prepare("""
            INSERT INTO users(id, name, area, created_at, date_of_birth, living, funding, care_home) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        // A later row for a known person fills in what it gives and keeps the rest.
        updateUser = try db.prepare("""
            UPDATE users SET name = ?2, area = coalesce(?3, area), date_of_birth = coalesce(?4, date_of_birth),
                living = coalesce(?5, living), funding = coalesce(?6, funding), care_home = coalesce(?7, care_home) WHERE id = ?1
            """)
        insertGroup = try db.prepare("INSERT OR IGNORE INTO user_groups(user_id, referral_group) VALUES (?, ?)")
        insertCareHome = try db.prepare("INSERT OR IGNORE INTO care_homes(name) VALUES (?)")
        overlapping = try db.prepare("""
            SELECT start_date, coalesce(end_date, 'open') AS end_date FROM service_periods
            WHERE user_id = ?1 AND start_date <= coalesce(?3, '9999-12-31') AND coalesce(end_date, '9999-12-31') >= ?2 LIMIT 1
            """)
        insertPeriod = try db.prepare("INSERT INTO service_periods(user_id, start_date, end_date, end_reason) VALUES (?, ?, ?, ?)")
        deviceExists = try db.prepare("SELECT count(*) FROM devices WHERE id = ?")
        insertDevice = try db.prepare("INSERT INTO devices(id, user_id, kind, heartbeat_seconds, created_at) VALUES (?, ?, ?, ?, ?)")
        responderExists = try db.prepare("SELECT count(*) FROM responders WHERE user_id = ? AND position = ?")
        insertResponder = try db.prepare("INSERT INTO responders(user_id, position, name, kind, phone) VALUES (?, ?, ?, ?, ?)")
        surveyExists = try db.prepare("SELECT count(*) FROM survey_responses WHERE user_id = ? AND responded_on = ? AND respondent = ?")
        insertSurvey = try db.prepare("""
            INSERT INTO survey_responses(user_id, responded_on, respondent, overall, feel_safe, recommend) VALUES (?, ?, ?, ?, ?, ?)
            """)
    }

    func write(_ kind: ImportKind, _ r: RowReader) throws {
        switch kind {
        case .users: try user(r)
        case .devices: try device(r)
        case .responders: try responder(r)
        case .surveys: try survey(r)
        }
    }

    private func count(_ s: Statement, _ values: [SQLValue]) throws -> Int64 {
        // `all` resets the statement, so no read is left open across a savepoint's rollback.
        try s.all(values) { $0.int64(0) }.first ?? 0
    }

    private func requireUser(_ id: String) throws {
        if try count(userExists, [.text(id)]) == 0 {
            throw RowReader.Problem(message: "user_id '\(id)' is not a registered person (import users first)")
        }
    }

    private func user(_ r: RowReader) throws {
        let p = FieldProblems()
        let id = try p.read { try r.required("id") }
        if let id, !(id.utf8.count <= 64 && id.allSatisfy({ $0.isLetter || $0.isNumber || "._:-".contains($0) })) {
            p.add("id '\(id)' must be 1–64 characters of letters, digits and . _ : -")
        }
        let name = try p.read { try r.required("name") }
        let area = try p.read { try r.int("area", in: 1...8, required: false) }
        var groups: [ReferralGroup] = []
        for g in (r.optional("groups") ?? "").split(separator: ";").map({ String($0).trimmingSpaces }) where !g.isEmpty {
            if let group = ReferralGroup(rawValue: g) { groups.append(group) } else {
                p.add("groups '\(g)' is not one of \(ReferralGroup.allCases.map(\.rawValue).joined(separator: ", ")) (separate several with ;)")
            }
        }
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
        guard let id, let name, let start else { return }  // unreachable: each would have been a problem

        if let careHome { try insertCareHome.run([.text(careHome)]) }
        let details: [SQLValue] = [
            area.map { .int(Int64($0)) } ?? .null, birth.map { .text($0.iso) } ?? .null, living.map { .text($0.rawValue) } ?? .null,
            funding.map { .text($0.rawValue) } ?? .null, careHome.map { .text($0) } ?? .null,
        ]
        if try count(userExists, [.text(id)]) == 0 {
            try insertUser.run([.text(id), .text(name), details[0], .int(now), details[1], details[2], details[3], details[4]])
        } else {
            try updateUser.run([.text(id), .text(name)] + details)
            let clash = try overlapping.rows([.text(id), .text(start.iso), end.map { .text($0.iso) } ?? .null], table: "service_periods") { "\(try $0.text("start_date")) to \(try $0.text("end_date"))" }
            if let other = clash.first {
                throw RowReader.Problem(message: "the service period from \(start) overlaps \(id)'s period \(other)")
            }
        }
        for g in groups { try insertGroup.run([.text(id), .text(g.rawValue)]) }
        try insertPeriod.run([.text(id), .text(start.iso), end.map { .text($0.iso) } ?? .null, reason.map { .text($0.rawValue) } ?? .null])
    }

    private func device(_ r: RowReader) throws {
        let id = try r.required("id")
        let user = try r.required("user_id")
        let kind = try r.choice("kind", DeviceKind.self, required: true)!
        let heartbeat = try r.int("heartbeat_seconds", in: 1...(7 * 86_400), required: false)
        guard id.utf8.count <= 64 else { throw RowReader.Problem(message: "id '\(id)' is longer than 64 characters") }
        try requireUser(user)
        if try count(deviceExists, [.text(id)]) > 0 { throw RowReader.Problem(message: "device id '\(id)' is already registered") }
        try insertDevice.run([.text(id), .text(user), .text(kind.rawValue), heartbeat.map { .int(Int64($0)) } ?? .null, .int(now)])
    }

    private func responder(_ r: RowReader) throws {
        let user = try r.required("user_id")
        let position = try r.int("position", in: 1...20, required: true)!
        let name = try r.required("name")
        let kind = try r.choice("kind", ResponderKind.self, required: true)!
        let phone = try r.required("phone")
        try requireUser(user)
        if try count(responderExists, [.text(user), .int(Int64(position))]) > 0 {
            throw RowReader.Problem(message: "\(user) already has a responder at position \(position)")
        }
        try insertResponder.run([.text(user), .int(Int64(position)), .text(name), .text(kind.rawValue), .text(phone)])
    }

    private func survey(_ r: RowReader) throws {
        let p = FieldProblems()
        let userID = try p.read { try r.required("user_id") }
        let responded = try p.read { try r.day("responded_on", required: true) }
        let who = try p.read { try r.choice("respondent", Respondent.self, required: true) }
        let answer = try p.read { try r.int("overall", in: SurveyScale.range, required: true) }
        let safe = try p.read { try r.int("feel_safe", in: SurveyScale.range, required: false) }
        let recommend = try p.read { try r.int("recommend", in: SurveyScale.range, required: false) }
        try p.check()
        guard let user = userID, let day = responded, let respondent = who, let overall = answer else { return }
        try requireUser(user)
        if try count(surveyExists, [.text(user), .text(day.iso), .text(respondent.rawValue)]) > 0 {
            throw RowReader.Problem(message: "a \(respondent.rawValue) response for \(user) on \(day) is already stored")
        }
        try insertSurvey.run([.text(user), .text(day.iso), .text(respondent.rawValue), .int(Int64(overall)),
                              safe.map { .int(Int64($0)) } ?? .null, recommend.map { .int(Int64($0)) } ?? .null])
    }
}
