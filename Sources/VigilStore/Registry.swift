import VigilCore

/// A person registered with the service (the parts the foundation needs; the caseload adds more).
public struct UserRecord: Sendable, Equatable {
    public var id: String
    public var name: String
    public var area: Int?
    public var groups: [ReferralGroup]
    public var address: String?
    /// How responders get in: key safe code location, door entry, pets.
    public var accessNotes: String?
    public var conditions: String?

    public init(id: String, name: String, area: Int? = nil, groups: [ReferralGroup] = [], address: String? = nil, accessNotes: String? = nil, conditions: String? = nil) {
        self.id = id
        self.name = name
        self.area = area
        self.groups = groups
        self.address = address
        self.accessNotes = accessNotes
        self.conditions = conditions
    }
}

public struct DeviceRecord: Sendable, Equatable {
    public var id: String
    public var userID: String
    public var kind: DeviceKind
    public var heartbeatSeconds: Int?
    /// The device's friendly name on a Zigbee2MQTT bridge, when it speaks through one.
    public var zigbeeName: String?
    /// A door sensor on a way out of the home (property exit), not an internal door.
    public var propertyExit: Bool
    /// Why its supervision is suspended (`vigil devices suspend`); nil while supervised. Read only.
    public var suspendedReason: String?

    public init(id: String, userID: String, kind: DeviceKind, heartbeatSeconds: Int? = nil, zigbeeName: String? = nil, propertyExit: Bool = false, suspendedReason: String? = nil) {
        self.suspendedReason = suspendedReason
        self.id = id
        self.userID = userID
        self.kind = kind
        self.heartbeatSeconds = heartbeatSeconds
        self.zigbeeName = zigbeeName
        self.propertyExit = propertyExit
    }
}

/// Why a registration was refused, in words an installer can act on.
public struct RegistryError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// Users and devices: what the installer registers and the daemon looks up.
public struct Registry {
    let db: Database

    public init(_ db: Database) {
        self.db = db
    }

    /// Registers a person and opens their service period from `start` (the day service began; the
    /// UTC day of `now` when not given), so that everyone registered is counted in the caseload.
    public func addUser(_ u: UserRecord, start: Day? = nil, now: EpochMillis) throws {
        let start = start ?? Day(millis: now)
        try Self.check(u)
        try db.transaction {
            if try db.scalar("SELECT count(*) FROM users WHERE id = ?", [.text(u.id)]) > 0 {
                throw RegistryError(description: "A person with id \(u.id) is already registered.")
            }
            func opt(_ s: String?) -> SQLValue { s.map { .text($0) } ?? .null }
            try db.prepare("INSERT INTO users(id, name, area, created_at, address, access_notes, conditions) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .run([.text(u.id), .text(u.name), u.area.map { .int(Int64($0)) } ?? .null, .int(now), opt(u.address), opt(u.accessNotes), opt(u.conditions)])
            let g = try db.prepare("INSERT OR IGNORE INTO user_groups(user_id, referral_group) VALUES (?, ?)")
            for group in u.groups { try g.run([.text(u.id), .text(group.rawValue)]) }
            try db.prepare("INSERT INTO service_periods(user_id, start_date) VALUES (?, ?)").run([.text(u.id), .text(start.iso)])
            // Ids only: the audit trail is read by more people than the person's record is.
            try auditAdmin("user-added", u.id, now: now)
            try auditAdmin("service-started", "\(u.id) from \(start)", now: now)
        }
    }

    /// Registers a device. `issuing`, if given, runs inside the same transaction once the device row
    /// is in (for its broker credentials): if it throws, the device is not registered either. It returns
    /// the audit detail to record ("credentials-issued"), which must never contain the secret.
    public func addDevice(_ d: DeviceRecord, now: EpochMillis, issuing: (() throws -> String)? = nil) throws {
        try Self.check(d)
        try db.transaction {
            if try db.scalar("SELECT count(*) FROM users WHERE id = ?", [.text(d.userID)]) == 0 {
                throw RegistryError(description: "No person with id \(d.userID) is registered. Add them first with `vigil users add`.")
            }
            if try db.scalar("SELECT count(*) FROM devices WHERE id = ?", [.text(d.id)]) > 0 {
                throw RegistryError(description: "A device with id \(d.id) is already registered.")
            }
            if let z = d.zigbeeName, try db.scalar("SELECT count(*) FROM devices WHERE zigbee_name = ?", [.text(z)]) > 0 {
                throw RegistryError(description: "The Zigbee2MQTT name \(z) already belongs to another device.")
            }
            try db.prepare("INSERT INTO devices(id, user_id, kind, heartbeat_seconds, created_at, zigbee_name, property_exit) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .run([.text(d.id), .text(d.userID), .text(d.kind.rawValue), d.heartbeatSeconds.map { .int(Int64($0)) } ?? .null, .int(now),
                      d.zigbeeName.map { .text($0) } ?? .null, .int(d.propertyExit ? 1 : 0)])
            try auditAdmin("device-added", "\(d.id) for \(d.userID) (\(d.kind.rawValue))", now: now)
            if let issuing { try auditAdmin("credentials-issued", "device \(d.id): \(try issuing())", now: now) }
        }
    }

    static func check(_ u: UserRecord) throws(RegistryError) {
        guard !u.name.allSatisfy(\.isWhitespace) else {
            throw RegistryError(description: "A person needs a name (--name).")
        }
        if let a = u.area, !(1...8).contains(a) {
            throw RegistryError(description: "Area \(a) does not exist: the service has areas 1 to 8.")
        }
    }

    static func check(_ d: DeviceRecord) throws(RegistryError) {
        if let h = d.heartbeatSeconds, h <= 0 {
            throw RegistryError(description: "The heartbeat interval must be a positive number of seconds.")
        }
    }

    /// Registers many people and devices in one transaction with statements prepared once: a
    /// synthetic population of 13,000 people takes about a second, where one transaction each would
    /// take minutes (an fsync per commit). All or nothing: a duplicate id or a device whose person is
    /// neither registered nor in `users` refuses the whole batch (SQLite's UNIQUE and foreign keys).
    /// The caller leaves out what is already registered (`userIDs()`, `devices()`). One audit row
    /// counts the batch; ids are not listed.
    public func add(users: [UserRecord], devices: [DeviceRecord], now: EpochMillis) throws {
        for u in users { try Self.check(u) }
        for d in devices { try Self.check(d) }
        guard !users.isEmpty || !devices.isEmpty else { return }
        try db.transaction {
            let user = try db.prepare("INSERT INTO users(id, name, area, created_at, address, access_notes, conditions) VALUES (?, ?, ?, ?, ?, ?, ?)")
            let group = try db.prepare("INSERT OR IGNORE INTO user_groups(user_id, referral_group) VALUES (?, ?)")
            let device = try db.prepare("INSERT INTO devices(id, user_id, kind, heartbeat_seconds, created_at, zigbee_name, property_exit) VALUES (?, ?, ?, ?, ?, ?, ?)")
            func opt(_ s: String?) -> SQLValue { s.map { .text($0) } ?? .null }
            for u in users {
                try user.run([.text(u.id), .text(u.name), u.area.map { .int(Int64($0)) } ?? .null, .int(now), opt(u.address), opt(u.accessNotes), opt(u.conditions)])
                for g in u.groups { try group.run([.text(u.id), .text(g.rawValue)]) }
            }
            for d in devices {
                try device.run([.text(d.id), .text(d.userID), .text(d.kind.rawValue), d.heartbeatSeconds.map { .int(Int64($0)) } ?? .null, .int(now),
                                opt(d.zigbeeName), .int(d.propertyExit ? 1 : 0)])
            }
            try auditAdmin("batch-added", "\(users.count) people, \(devices.count) devices", now: now)
        }
    }

    /// The ids of everyone registered.
    public func userIDs() throws -> Set<String> {
        Set(try db.prepare("SELECT id FROM users").rows(table: "users") { try $0.text("id") })
    }

    /// One audit row for an administrator's change. `detail` carries ids, never names or secrets.
    func auditAdmin(_ action: String, _ detail: String, now: EpochMillis) throws {
        try db.prepare("INSERT INTO audit(at, actor, action, detail) VALUES (?, 'admin', ?, ?)").run([.int(now), .text(action), .text(detail)])
    }

    public func users() throws -> [UserRecord] {
        var groups: [String: [ReferralGroup]] = [:]
        for (user, group) in try groupsByUser(db) { groups[user, default: []].append(group) }
        return try db.prepare("SELECT id, name, area, address, access_notes, conditions FROM users WHERE id <> ? ORDER BY id").rows([.text(UnidentifiedCaller.userID)], table: "users") {
            let id = try $0.text("id")
            return UserRecord(id: id, name: try $0.text("name"), area: try $0.optionalInt("area"), groups: groups[id] ?? [],
                              address: try $0.optionalText("address"), accessNotes: try $0.optionalText("access_notes"), conditions: try $0.optionalText("conditions"))
        }
    }

    public func devices() throws -> [DeviceRecord] {
        try db.prepare("SELECT id, user_id, kind, heartbeat_seconds, zigbee_name, property_exit, suspended_reason FROM devices ORDER BY id").rows(table: "devices") {
            DeviceRecord(id: try $0.text("id"), userID: try $0.text("user_id"), kind: try $0.decode("kind"), heartbeatSeconds: try $0.optionalInt("heartbeat_seconds"),
                         zigbeeName: try $0.optionalText("zigbee_name"), propertyExit: try $0.bool("property_exit"),
                         suspendedReason: try $0.optionalText("suspended_reason"))
        }
    }
}

/// Every (person, referral group) pair, ordered by person then group; an unknown group is an error.
func groupsByUser(_ db: Database) throws -> [(user: String, group: ReferralGroup)] {
    try db.prepare("SELECT user_id, referral_group FROM user_groups ORDER BY user_id, referral_group").rows(table: "user_groups") {
        (try $0.text("user_id"), try $0.decode("referral_group", as: ReferralGroup.self))
    }
}
