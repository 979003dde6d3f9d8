import VigilCore

/// Reads the referrals a report needs.
public struct ReferralQueries {
    let db: Database

    public init(_ db: Database) {
        self.db = db
    }

    /// Referrals received within `range`, with their groups. A file from before referrals were kept
    /// (read-only reports do not migrate) has none.
    public func load(range: DayRange) throws -> [Referral] {
        guard try db.scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'referrals'") == 1 else { return [] }
        var groups: [String: [ReferralGroup]] = [:]
        let g = try db.prepare("""
            SELECT g.referral_id, g.referral_group FROM referral_groups g JOIN referrals r ON r.id = g.referral_id
            WHERE r.received_on BETWEEN ?1 AND ?2 ORDER BY 1, 2
            """)
        for (id, group) in try g.rows([.text(range.first.iso), .text(range.last.iso)], table: "referral_groups", {
            (try $0.text("referral_id"), try $0.decode("referral_group", as: ReferralGroup.self))
        }) { groups[id, default: []].append(group) }
        let s = try db.prepare("""
            SELECT id, received_on, source, urgent, outcome, installed_on FROM referrals WHERE received_on BETWEEN ?1 AND ?2 ORDER BY received_on, id
            """)
        return try s.rows([.text(range.first.iso), .text(range.last.iso)], table: "referrals") { row in
            // The schema's CHECKs guarantee well-formed dates.
            let id = try row.text("id")
            return Referral(id: id, received: Day(iso: try row.text("received_on"))!, source: try row.decode("source", as: ReferralSource.self),
                            urgent: try row.int("urgent") == 1, groups: groups[id] ?? [],
                            outcome: try row.decodeOptional("outcome"), installed: try row.optionalText("installed_on").flatMap(Day.init(iso:)))
        }
    }
}
