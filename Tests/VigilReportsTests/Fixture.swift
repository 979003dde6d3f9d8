import Foundation
import VigilCore
import VigilTesting
@testable import VigilStore

/// A real SQLite file in a temporary directory, migrated, with helpers to write fixture rows.
struct Fixture {
    let dir: TemporaryDirectory
    let db: Database
    static let t0: EpochMillis = 1_795_314_847_000

    init() throws {
        dir = try TemporaryDirectory(prefix: "vigil-reports")
        db = try Database.openVigil(path: dir.file("vigil.db"), now: Self.t0)
    }

    func person(_ id: String, area: Int? = nil, groups: [ReferralGroup] = [], born: String? = nil, careHome: String? = nil,
                periods: [(String, String?, EndReason?)]) throws {
        if let careHome { try db.prepare("INSERT OR IGNORE INTO care_homes(name) VALUES (?)").run([.text(careHome)]) }
        try db.prepare("INSERT INTO users(id, name, area, created_at, date_of_birth, care_home) VALUES (?, ?, ?, ?, ?, ?)")
            .run([.text(id), .text("Person \(id)"), area.map { .int(Int64($0)) } ?? .null, .int(Self.t0), born.map { .text($0) } ?? .null,
                  careHome.map { .text($0) } ?? .null])
        for g in groups { try db.prepare("INSERT INTO user_groups(user_id, referral_group) VALUES (?, ?)").run([.text(id), .text(g.rawValue)]) }
        for (start, end, reason) in periods {
            try db.prepare("INSERT INTO service_periods(user_id, start_date, end_date, end_reason) VALUES (?, ?, ?, ?)")
                .run([.text(id), .text(start), end.map { .text($0) } ?? .null, reason.map { .text($0.rawValue) } ?? .null])
        }
    }

    func survey(_ user: String, _ day: String, _ who: Respondent, _ overall: Int) throws {
        try db.prepare("INSERT INTO survey_responses(user_id, responded_on, respondent, overall) VALUES (?, ?, ?, ?)")
            .run([.text(user), .text(day), .text(who.rawValue), .int(Int64(overall))])
    }

    /// An alarm-history row: times in seconds after `at`'s midnight.
    func alarm(_ user: String, _ type: EventType, priority: Int, on day: String, claimAfter: Double?, resolveAfter: Double,
               outcome: AlarmOutcome, operator op: String? = "op-01", escalations: Int = 0, careHome: String? = nil) throws {
        let raised = Day(iso: day)!.startMillis + 10 * 3_600_000
        try db.prepare("""
            INSERT INTO alarm_history(user_id, type, priority, raised_at, claimed_at, resolved_at, outcome, operator, escalations, care_home)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).run([.text(user), .text(type.rawValue), .int(Int64(priority)), .int(raised),
                      claimAfter.map { .int(raised + EpochMillis($0 * 1000)) } ?? .null, .int(raised + EpochMillis(resolveAfter * 1000)),
                      .text(outcome.rawValue), op.map { .text($0) } ?? (claimAfter == nil ? .null : .text("op-01")), .int(Int64(escalations)),
                      careHome.map { .text($0) } ?? .null])
    }

    func csv(_ name: String, _ text: String) throws -> String {
        let path = dir.file(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
