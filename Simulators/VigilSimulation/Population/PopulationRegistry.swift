import VigilCore
import VigilStore

/// Registers a synthetic caseload for load and demo runs: every person has a home unit (hourly
/// heartbeat) and a pendant, and then the sensors their referral group usually gets (dementia: a
/// front-door contact and a bed sensor; long-term conditions: a telehealth kit; and so on).
public enum PopulationRegistry {
    /// Adds people `pop-u-00001` … up to `count` (those already there are kept). Returns how many
    /// people and devices were added. One transaction: 13,000 people take a second, not minutes.
    @discardableResult
    /// `zigbeeShare` of the sensors Zigbee2MQTT can carry (smoke, CO, gas, flood, door, bed, chair,
    /// fall radar) are registered with a friendly name `pop-z-…`, so they speak through the bridge.
    public static func populate(databasePath: String, count: Int, seed: UInt64, now: EpochMillis, zigbeeShare: Double = 0) throws -> (people: Int, devices: Int) {
        let db = try Database.openVigil(path: databasePath, now: now)
        var rng = SplitMix64(seed: seed)
        var added = (people: 0, devices: 0)
        try db.transaction {
            let hasUser = try db.prepare("SELECT count(*) FROM users WHERE id = ?")
            let user = try db.prepare("INSERT INTO users(id, name, area, created_at) VALUES (?, ?, ?, ?)")
            let group = try db.prepare("INSERT INTO user_groups(user_id, referral_group) VALUES (?, ?)")
            let device = try db.prepare("INSERT INTO devices(id, user_id, kind, heartbeat_seconds, created_at, zigbee_name, property_exit) VALUES (?, ?, ?, ?, ?, ?, ?)")
            let zigbeeKinds: Set<DeviceKind> = [.smoke, .co, .gas, .flood, .door, .bed, .chair, .fallDetector]
            for i in 1...count {
                let id = "pop-u-" + pad(i)
                let exists = try hasUser.all([.text(id)]) { $0.int(0) }.first ?? 0
                // Draw the person either way, so that the mix does not depend on who was there.
                let (g, kinds) = household(&rng)
                guard exists == 0 else { continue }
                try user.run([.text(id), .text("Person \(i)"), .int(Int64(i % 8 + 1)), .int(now)])
                try group.run([.text(id), .text(g.rawValue)])
                added.people += 1
                for (n, kind) in kinds.enumerated() {
                    let heartbeat: SQLValue = kind == .hub ? .int(3_600) : .null
                    let zigbee: SQLValue = zigbeeKinds.contains(kind) && Double.random(in: 0..<1, using: &rng) < zigbeeShare ? .text("pop-z-\(pad(i))-\(n)") : .null
                    // The door sensors installed here watch the front door: a property exit.
                    try device.run([.text("pop-d-\(pad(i))-\(n)"), .text(id), .text(kind.rawValue), heartbeat, .int(now), zigbee, .int(kind == .door ? 1 : 0)])
                    added.devices += 1
                }
            }
        }
        return added
    }

    static func pad(_ i: Int) -> String {
        let s = String(i)
        return String(repeating: "0", count: max(0, 5 - s.count)) + s
    }

    /// A referral group and the devices installed for it. About three devices a person.
    static func household(_ rng: inout SplitMix64) -> (ReferralGroup, [DeviceKind]) {
        let g = ReferralGroup.allCases.randomElement(using: &rng)!
        var kinds: [DeviceKind] = [.hub, .pendant]
        switch g {
        case .dementia: kinds += [.door, .bed]
        case .hospital: kinds += [.fallDetector]
        case .longTermCondition: kinds += [.telehealth]
        case .residential: kinds += [[.smoke, .medication, .pir].randomElement(using: &rng)!]
        case .learningDisability: kinds += [[.epilepsy, .enuresis, .flood].randomElement(using: &rng)!]
        }
        if Int.random(in: 0..<4, using: &rng) == 0 { kinds.append([.smoke, .co, .temperature, .chair].randomElement(using: &rng)!) }
        return (g, kinds)
    }
}
