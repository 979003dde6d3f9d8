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
        let registry = Registry(try Database.openVigil(path: databasePath, now: now))
        let known = try registry.userIDs()
        var rng = SplitMix64(seed: seed)
        var users: [UserRecord] = [], devices: [DeviceRecord] = []
        let zigbeeKinds: Set<DeviceKind> = [.smoke, .co, .gas, .flood, .door, .bed, .chair, .fallDetector]
        for i in 1...count {
            let id = "pop-u-" + pad(i)
            // Draw the person either way, so that the mix does not depend on who was there.
            let (g, kinds) = household(&rng)
            guard !known.contains(id) else { continue }
            users.append(UserRecord(id: id, name: "Person \(i)", area: i % 8 + 1, groups: [g]))
            for (n, kind) in kinds.enumerated() {
                let zigbee = zigbeeKinds.contains(kind) && Double.random(in: 0..<1, using: &rng) < zigbeeShare ? "pop-z-\(pad(i))-\(n)" : nil
                // The door sensors installed here watch the front door: a property exit.
                devices.append(DeviceRecord(id: "pop-d-\(pad(i))-\(n)", userID: id, kind: kind, heartbeatSeconds: kind == .hub ? 3_600 : nil,
                                            zigbeeName: zigbee, propertyExit: kind == .door))
            }
        }
        try registry.add(users: users, devices: devices, now: now)
        let added = (people: users.count, devices: devices.count)
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
