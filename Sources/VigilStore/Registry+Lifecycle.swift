import VigilCore

/// A person's service over time: ending it, starting it again, changing their details. Each change
/// is one audit row naming the person's id and what changed, never their details.
extension Registry {
    /// Ends the person's open service period: `on` is their last day of service.
    public func endService(user id: String, on day: Day, reason: EndReason, now: EpochMillis) throws {
        try db.transaction {
            try requirePerson(id)
            let open = try db.prepare("SELECT start_date FROM service_periods WHERE user_id = ? AND end_date IS NULL")
                .rows([.text(id)], table: "service_periods") { try $0.text("start_date") }
            guard let start = open.first.flatMap(Day.init(iso:)) else {
                throw RegistryError(description: "\(id) has no open service period to end (see their periods with `vigil users show --id \(id)`).")
            }
            guard day >= start else {
                throw RegistryError(description: "\(id)'s service began on \(start); it cannot end on \(day), before it began.")
            }
            try db.prepare("UPDATE service_periods SET end_date = ?, end_reason = ? WHERE user_id = ? AND start_date = ?")
                .run([.text(day.iso), .text(reason.rawValue), .text(id), .text(start.iso)])
            try auditAdmin("service-ended", "\(id) on \(day) (\(reason.rawValue))", now: now)
        }
    }

    /// Opens a new service period for someone who came back after an earlier one ended.
    public func startService(user id: String, on day: Day, now: EpochMillis) throws {
        try db.transaction {
            try requirePerson(id)
            let clash = try db.prepare("""
                SELECT start_date, coalesce(end_date, 'open') AS end_date FROM service_periods
                WHERE user_id = ?1 AND coalesce(end_date, '9999-12-31') >= ?2 ORDER BY start_date LIMIT 1
                """).rows([.text(id), .text(day.iso)], table: "service_periods") { "\(try $0.text("start_date")) to \(try $0.text("end_date"))" }
            if let other = clash.first {
                throw RegistryError(description: "\(id) is already supported on \(day) (period \(other)): end that period first, or pick a later day.")
            }
            try db.prepare("INSERT INTO service_periods(user_id, start_date) VALUES (?, ?)").run([.text(id), .text(day.iso)])
            try auditAdmin("service-started", "\(id) from \(day)", now: now)
        }
    }

    /// What `updateUser` may change; nil leaves a field as it is.
    public struct UserChanges: Sendable, Equatable {
        public var name: String?
        public var area: Int?
        /// The person's whole set of referral groups (replaces the stored set).
        public var groups: [ReferralGroup]?
        public var address: String?
        public var accessNotes: String?
        public var conditions: String?

        public init(name: String? = nil, area: Int? = nil, groups: [ReferralGroup]? = nil, address: String? = nil,
                    accessNotes: String? = nil, conditions: String? = nil) {
            self.name = name
            self.area = area
            self.groups = groups
            self.address = address
            self.accessNotes = accessNotes
            self.conditions = conditions
        }

        var fields: [String] {
            [("name", name != nil), ("area", area != nil), ("groups", groups != nil), ("address", address != nil),
             ("access", accessNotes != nil), ("conditions", conditions != nil)].filter(\.1).map(\.0)
        }
    }

    /// Changes a person's details; the audit row names the fields changed, not their values.
    public func updateUser(_ id: String, _ c: UserChanges, now: EpochMillis) throws {
        guard !c.fields.isEmpty else { throw RegistryError(description: "Nothing to change: give at least one of --name, --area, --group, --address, --access, --conditions.") }
        if let name = c.name, name.allSatisfy(\.isWhitespace) { throw RegistryError(description: "A person needs a name (--name).") }
        if let a = c.area, !(1...8).contains(a) { throw RegistryError(description: "Area \(a) does not exist: the service has areas 1 to 8.") }
        try db.transaction {
            try requirePerson(id)
            func opt(_ s: String?) -> SQLValue { s.map { .text($0) } ?? .null }
            try db.prepare("""
                UPDATE users SET name = coalesce(?2, name), area = coalesce(?3, area), address = coalesce(?4, address),
                    access_notes = coalesce(?5, access_notes), conditions = coalesce(?6, conditions) WHERE id = ?1
                """).run([.text(id), opt(c.name), c.area.map { .int(Int64($0)) } ?? .null, opt(c.address), opt(c.accessNotes), opt(c.conditions)])
            if let groups = c.groups {
                try db.prepare("DELETE FROM user_groups WHERE user_id = ?").run([.text(id)])
                let g = try db.prepare("INSERT OR IGNORE INTO user_groups(user_id, referral_group) VALUES (?, ?)")
                for group in groups { try g.run([.text(id), .text(group.rawValue)]) }
            }
            try auditAdmin("user-updated", "\(id): \(c.fields.joined(separator: ", "))", now: now)
        }
    }

    /// A person's spells of service, oldest first.
    public func servicePeriods(_ id: String) throws -> [(start: Day, end: Day?, reason: EndReason?)] {
        try db.prepare("SELECT start_date, end_date, end_reason FROM service_periods WHERE user_id = ? ORDER BY start_date")
            .rows([.text(id)], table: "service_periods") { row in
                let start = try row.text("start_date")
                guard let day = Day(iso: start) else { throw row.unknown("start_date", "'\(start)'") }
                return (day, try row.optionalText("end_date").flatMap(Day.init(iso:)), try row.decodeOptional("end_reason", as: EndReason.self))
            }
    }

    func requirePerson(_ id: String) throws {
        if try db.scalar("SELECT count(*) FROM users WHERE id = ?", [.text(id)]) == 0 {
            throw RegistryError(description: "No person with id \(id) is registered (see `vigil users list`).")
        }
    }
}
