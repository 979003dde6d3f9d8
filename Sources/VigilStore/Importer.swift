import Foundation
import VigilCore

/// Imports a CSV's rows into the caseload, all or nothing: every row is checked and tried inside one
/// transaction; if any fails the whole transaction is rolled back (unless `skipBad`), so a file with
/// one bad row changes nothing. Each row runs in its own savepoint, so with `skipBad` a bad row
/// leaves no half-written trace while the good rows are kept.
///
/// Imports are upserts keyed on the record's own key (a person's id and a period's start date, a
/// device's id, …): the same file imported twice changes nothing; a monthly export that gives an
/// open period an end date closes it; a changed area or group updates the person. A dry run does
/// all of it and rolls back, so what it reports is exactly what a real run would do.
public struct Importer {
    let db: Database

    public init(_ db: Database) {
        self.db = db
    }

    /// Thrown inside the transaction to roll a dry run back with its result.
    private struct DryRun: Error { var result: ImportResult }

    public func run(_ kind: ImportKind, header: [String], rows: [ImportRow], skipBad: Bool, dryRun: Bool = false, now: EpochMillis,
                    timeZone: TimeZone = TimeZone(identifier: "Europe/London")!,
                    progress: (Int, Int) -> Void = { _, _ in }) throws -> ImportResult {
        try kind.check(header: header)
        let writer = try RowWriter(db: db, now: now, zone: timeZone)
        var result = ImportResult(imported: 0, skipped: [])
        var seen: [String: Int] = [:]
        do {
            try db.transaction {
                for (i, row) in rows.enumerated() {
                    try db.execute("SAVEPOINT import_row")
                    do {
                        if let problem = row.problem { throw RowReader.Problem(message: problem) }
                        let r = RowReader(row: row)
                        if let key = kind.key(r) {
                            if let first = seen[key.value] {
                                throw RowReader.Problem(message: "the same \(key.name) as line \(first): this row appears twice in the file (keep one)")
                            }
                            seen[key.value] = row.line
                        }
                        result.count(try writer.write(kind, r))
                        result.imported += 1
                        try db.execute("RELEASE import_row")
                    } catch let p as RowReader.Problem {
                        result.skipped.append(ImportProblem(line: row.line, message: p.message))
                        try db.execute("ROLLBACK TO import_row; RELEASE import_row")
                    } catch let e as StoreError where e.isConstraint {
                        result.skipped.append(ImportProblem(line: row.line, message: "refused by the database: \(e.message)"))
                        try db.execute("ROLLBACK TO import_row; RELEASE import_row")
                    }
                    if i % 500 == 499 || i == rows.count - 1 { progress(i + 1, rows.count) }
                }
                if !result.skipped.isEmpty && !skipBad && !dryRun { throw ImportRejected(problems: result.skipped) }
                if dryRun { throw DryRun(result: result) }
            }
        } catch let d as DryRun {
            return d.result
        }
        return result
    }
}

extension ImportKind {
    /// What identifies a row's record, for finding the same record twice in one file.
    func key(_ r: RowReader) -> (name: String, value: String)? {
        func v(_ c: String) -> String { r.optional(c) ?? "" }
        func day(_ c: String) -> String { r.optional(c).flatMap(RowReader.parseDay)?.iso ?? v(c) }
        switch self {
        case .users: return r.optional("id") == nil ? nil : ("id and start_date", v("id") + "\u{0}" + day("start_date"))
        case .devices: return r.optional("id") == nil ? nil : ("device id", v("id"))
        case .responders: return ("user_id and position", v("user_id") + "\u{0}" + v("position"))
        case .referrals: return r.optional("id") == nil ? nil : ("referral id", v("id"))
        case .carehomes: return r.optional("name") == nil ? nil : ("care home name", v("name"))
        case .alarms: return r.optional("id") == nil ? nil : ("alarm id", v("id"))
        case .surveys: return ("user_id, responded_on and respondent", v("user_id") + "\u{0}" + day("responded_on") + "\u{0}" + v("respondent").lowercased())
        }
    }
}
