import VigilCore

/// The service's targets as the database keeps them (migration 2026-12-04-targets): the caseload
/// trajectory, the satisfaction targets and the commitment of extra users. Reports read them here;
/// `vigil targets` sets them. Every change is an audit row.
public struct Targets {
    let db: Database

    public init(_ db: Database) {
        self.db = db
    }

    /// True once the targets migration has run (a report opens the file read-only and cannot run it).
    public func exist() throws -> Bool {
        try db.scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'caseload_targets'") == 1
    }

    /// The stored targets, with the report settings given (amber band, minimum sample).
    public func load(amberBand: Double = 0.05, minimumSample: Int = ServiceTargets.defaultMinimumSample) throws -> ServiceTargets {
        var caseload: [FinancialYear: Int] = [:], satisfaction: [FinancialYear: Double] = [:]
        for (year, people) in try db.prepare("SELECT year, people FROM caseload_targets").rows(table: "caseload_targets", { (try $0.int("year"), try $0.int("people")) }) {
            caseload[FinancialYear(startYear: year)] = people
        }
        for (year, share) in try db.prepare("SELECT year, share FROM satisfaction_targets").rows(table: "satisfaction_targets", { (try $0.int("year"), try $0.double("share")) }) {
            satisfaction[FinancialYear(startYear: year)] = share
        }
        let commitment = try db.prepare("SELECT baseline, extra_users FROM caseload_commitment WHERE id = 1").rows(table: "caseload_commitment") { row in
            let text = try row.text("baseline")
            guard let day = Day(iso: text) else { throw StoreError.unknownValue(table: "caseload_commitment", column: "baseline", value: "'\(text)'") }
            return ServiceTargets.Commitment(baseline: day, extraUsers: try row.int("extra_users"))
        }.first
        return ServiceTargets(caseload: caseload, satisfaction: satisfaction, commitment: commitment, amberBand: amberBand, minimumSample: minimumSample)
    }

    /// One change a manager makes.
    public enum Change: Sendable, Equatable {
        case caseload(FinancialYear, people: Int)
        case satisfaction(FinancialYear, share: Double)
        case commitment(ServiceTargets.Commitment)
        case removeCaseload(FinancialYear)
        case removeSatisfaction(FinancialYear)
    }

    /// Applies every change in one transaction (all or nothing), one audit row each.
    public func apply(_ changes: [Change], now: EpochMillis) throws {
        for c in changes { try Self.check(c) }
        try db.transaction {
            let audit = try db.prepare("INSERT INTO audit(at, actor, action, detail) VALUES (?, 'admin', 'target-set', ?)")
            for c in changes {
                switch c {
                case let .caseload(fy, people):
                    try db.prepare("INSERT INTO caseload_targets(year, people) VALUES (?1, ?2) ON CONFLICT(year) DO UPDATE SET people = ?2")
                        .run([.int(Int64(fy.startYear)), .int(Int64(people))])
                case let .satisfaction(fy, share):
                    try db.prepare("INSERT INTO satisfaction_targets(year, share) VALUES (?1, ?2) ON CONFLICT(year) DO UPDATE SET share = ?2")
                        .run([.int(Int64(fy.startYear)), .double(share)])
                case let .commitment(c):
                    try db.prepare("INSERT INTO caseload_commitment(id, baseline, extra_users) VALUES (1, ?1, ?2) ON CONFLICT(id) DO UPDATE SET baseline = ?1, extra_users = ?2")
                        .run([.text(c.baseline.iso), .int(Int64(c.extraUsers))])
                case let .removeCaseload(fy):
                    try db.prepare("DELETE FROM caseload_targets WHERE year = ?").run([.int(Int64(fy.startYear))])
                case let .removeSatisfaction(fy):
                    try db.prepare("DELETE FROM satisfaction_targets WHERE year = ?").run([.int(Int64(fy.startYear))])
                }
                try audit.run([.int(now), .text(Self.describe(c))])
            }
        }
    }

    static func check(_ c: Change) throws(RegistryError) {
        switch c {
        case let .caseload(fy, people) where people < 0:
            throw RegistryError(description: "The caseload target for \(fy) must be a number of people, not \(people).")
        case let .satisfaction(fy, share) where !(0...1).contains(share):
            throw RegistryError(description: "The satisfaction target for \(fy) must be a percentage from 0 to 100.")
        case let .commitment(c) where c.extraUsers <= 0:
            throw RegistryError(description: "A commitment must be a positive number of extra people.")
        default: break
        }
    }

    /// The audit detail: figures only.
    static func describe(_ c: Change) -> String {
        switch c {
        case let .caseload(fy, people): "caseload \(fy.label) = \(people)"
        case let .satisfaction(fy, share): "satisfaction \(fy.label) = \(share)"
        case let .commitment(c): "commitment +\(c.extraUsers) since \(c.baseline)"
        case let .removeCaseload(fy): "caseload \(fy.label) removed"
        case let .removeSatisfaction(fy): "satisfaction \(fy.label) removed"
        }
    }
}
