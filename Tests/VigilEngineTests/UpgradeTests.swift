import Foundation
import Testing
import VigilCore
import VigilEngine
import VigilTesting
import VigilWire
@testable import VigilStore

/// A centre installed with the first release upgrades in place and then takes every event type
/// from every kind of device. A new `EventType` or `DeviceKind` without the migration that adds it
/// to the CHECK lists fails here (the INSERT would fail, and with it the batch's commit).
@Suite("Upgrade from the first release")
struct UpgradeTests {
    static let t0 = EngineFixture.t0
    static let sent = EventType.allCases.filter { $0 != .deviceFault }

    /// The device kind that sends each event type here. Exhaustive: a new type must be placed.
    static func kind(for type: EventType) -> DeviceKind {
        switch type {
        case .button, .cancel: .pendant
        case .fall: .fallDetector
        case .smoke: .smoke
        case .heat: .heat
        case .co: .co
        case .gas: .gas
        case .flood: .flood
        case .temperature: .temperature
        case .door: .door
        case .bed: .bed
        case .chair: .chair
        case .inactivity: .pir
        case .epilepsy: .epilepsy
        case .enuresis: .enuresis
        case .medication: .medication
        case .vitals: .telehealth
        case .lowBattery, .power, .tamper, .heartbeat, .clear, .deviceFault: .hub
        }
    }

    /// The smallest valid `detail` of each type.
    static func detail(for type: EventType) -> [String: JSONValue]? {
        switch type {
        case .temperature: ["celsius": .number(11.5)]
        case .door: ["state": .string("open")]
        case .bed, .chair: ["state": .string("vacated")]
        case .inactivity: ["minutes": .number(240)]
        case .medication: ["state": .string("missed")]
        case .power: ["state": .string("lost")]
        case .vitals: ["spo2": .number(97)]
        case .button, .fall, .smoke, .heat, .co, .gas, .flood, .epilepsy, .enuresis, .lowBattery, .tamper, .heartbeat, .cancel, .clear, .deviceFault: nil
        }
    }

    @Test func everyEventTypeIsStoredAfterUpgradingTheFirstRelease() throws {
        let dir = try TemporaryDirectory(prefix: "vigil-upgrade")
        defer { dir.remove() }
        let path = dir.file("vigil.db")
        do {
            let first = try Database(path: path)
            try first.migrate(Schema.migrations[..<Schema.firstReleaseCount], now: Self.t0)
        }
        // Upgraded as `vigil db migrate` and `vigil serve` do it: a backup of the old file first.
        let upgrade = try Upgrade.run(path: path, now: Self.t0)
        #expect(upgrade.applied == Schema.migrations[Schema.firstReleaseCount...].map(\.name))
        #expect(try Database(path: try #require(upgrade.backup), mode: .readOnly).schemaVersion()
                == .behind(version: Schema.firstReleaseCount, pending: upgrade.applied))
        let registry = Registry(try Database.openVigil(path: path, now: Self.t0))
        try registry.addUser(UserRecord(id: "u1", name: "Edith Clarke", area: 3), now: Self.t0)
        for kind in DeviceKind.allCases {
            try registry.addDevice(DeviceRecord(id: "dev-\(kind.rawValue)", userID: "u1", kind: kind), now: Self.t0)
        }
        let centre = try VirtualCentre(databasePath: path, clock: ManualClock(at: Self.t0))
        // `device_fault` is Vigil's own (no device may send it); the Zigbee tests raise it.
        for (i, type) in Self.sent.enumerated() {
            let payload = WireEncoder().encode(EventMessage(id: "up-\(i)", ts: RFC3339.format(millis: centre.now), type: type, detail: Self.detail(for: type)))
            let ack = try centre.send(device: "dev-\(Self.kind(for: type).rawValue)", payload)
            #expect(ack?.status == .accepted, "\(type.rawValue): \(ack?.error ?? "no ack")")
            try centre.advance(by: 1_000)
        }
        let stored = try Inspection(path: path)
        #expect(try stored.eventCount() == Self.sent.count)
        #expect(try stored.deadLetterCounts().isEmpty)
    }
}
