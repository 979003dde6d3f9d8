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

    public init(id: String, userID: String, kind: DeviceKind, heartbeatSeconds: Int? = nil, zigbeeName: String? = nil, propertyExit: Bool = false) {
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

    public func addUser(_ u: UserRecord, now: EpochMillis) throws {
        guard !u.name.allSatisfy(\.isWhitespace) else {
            throw RegistryError(description: "A person needs a name (--name).")
        }
        if let a = u.area, !(1...8).contains(a) {
            throw RegistryError(description: "Area \(a) does not exist: the service has areas 1 to 8.")
        }
        try db.transaction {
            if try db.scalar("SELECT count(*) FROM users WHERE id = ?", [.text(u.id)]) > 0 {
                throw RegistryError(description: "A person with id \(u.id) is already registered.")
            }
            func opt(_ s: String?) -> SQLValue { s.map { .text($0) } ?? .null }
            try db.prepare("INSERT INTO users(id, name, area, created_at, address, access_notes, conditions) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .run([.text(u.id), .text(u.name), u.area.map { .int(Int64($0)) } ?? .null, .int(now), opt(u.address), opt(u.accessNotes), opt(u.conditions)])
            let g = try db.prepare("INSERT OR IGNORE INTO user_groups(user_id, referral_group) VALUES (?, ?)")
            for group in u.groups { try g.run([.text(u.id), .text(group.rawValue)]) }
            // Ids only: the audit trail is read by more people than the person's record is.
            try auditAdmin("user-added", u.id, now: now)
        }
    }

    /// Registers a device. `issuing`, if given, runs inside the same transaction once the device row
    /// is in (for its broker credentials): if it throws, the device is not registered either. It returns
    /// the audit detail to record ("credentials-issued"), which must never contain the secret.
    public func addDevice(_ d: DeviceRecord, now: EpochMillis, issuing: (() throws -> String)? = nil) throws {
        if let h = d.heartbeatSeconds, h <= 0 {
            throw RegistryError(description: "The heartbeat interval must be a positive number of seconds.")
        }
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

    /// One audit row for an administrator's change. `detail` carries ids, never names or secrets.
    func auditAdmin(_ action: String, _ detail: String, now: EpochMillis) throws {
        try db.prepare("INSERT INTO audit(at, actor, action, detail) VALUES (?, 'admin', ?, ?)").run([.int(now), .text(action), .text(detail)])
    }

    public func users() throws -> [UserRecord] {
        var groups: [String: [ReferralGroup]] = [:]
        let pairs = try db.prepare("SELECT user_id, referral_group FROM user_groups ORDER BY user_id, referral_group").all { ($0.text(0), $0.text(1)) }
        for (user, g) in pairs {
            if let group = ReferralGroup(rawValue: g) { groups[user, default: []].append(group) }
        }
        return try db.prepare("SELECT id, name, area, address, access_notes, conditions FROM users ORDER BY id").all {
            UserRecord(id: $0.text(0), name: $0.text(1), area: $0.optionalInt(2), groups: groups[$0.text(0)] ?? [],
                       address: $0.optionalText(3), accessNotes: $0.optionalText(4), conditions: $0.optionalText(5))
        }
    }

    public func devices() throws -> [DeviceRecord] {
        try db.prepare("SELECT id, user_id, kind, heartbeat_seconds, zigbee_name, property_exit FROM devices ORDER BY id").all {
            DeviceRecord(id: $0.text(0), userID: $0.text(1), kind: DeviceKind(rawValue: $0.text(2)) ?? .hub, heartbeatSeconds: $0.optionalInt(3),
                         zigbeeName: $0.optionalText(4), propertyExit: $0.int(5) != 0)
        }
    }
}
