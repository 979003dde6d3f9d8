import Foundation
import VigilCore
import VigilWire

/// The Zigbee2MQTT side of the registry and the last state each device reported, on the daemon's
/// connection. The state is saved in the same transaction as the events it produced, so a payload
/// the broker redelivers after a crash finds no new transition and raises nothing twice.
public final class ZigbeeStore {
    let db: Database
    private let findByName: Statement
    private let loadState: Statement
    private let saveState: Statement

    public struct Device: Sendable, Equatable {
        public var id: String
        public var userID: String
        public var role: ZigbeeRole
        public var heartbeatSeconds: Int?
    }

    public init(_ db: Database) throws(StoreError) {
        self.db = db
        findByName = try db.prepare("SELECT id, user_id, kind, property_exit, heartbeat_seconds FROM devices WHERE zigbee_name = ?")
        loadState = try db.prepare("SELECT state FROM zigbee_state WHERE device_id = ?")
        saveState = try db.prepare("INSERT OR REPLACE INTO zigbee_state(device_id, state, updated_at) VALUES (?, ?, ?)")
    }

    public func device(friendlyName: String) throws(StoreError) -> Device? {
        try findByName.bind([.text(friendlyName)])
        defer { try? findByName.bind([]) }
        guard try findByName.step() else { return nil }
        let row = Row(statement: findByName, table: "devices")
        return Device(id: try row.text("id"), userID: try row.text("user_id"),
                      role: ZigbeeRole(try row.decode("kind"), propertyExit: try row.bool("property_exit")),
                      heartbeatSeconds: try row.optionalInt("heartbeat_seconds"))
    }

    public func state(device: String) throws(StoreError) -> ZigbeeState? {
        try loadState.bind([.text(device)])
        defer { try? loadState.bind([]) }
        guard try loadState.step() else { return nil }
        let json = try Row(statement: loadState, table: "zigbee_state").text("state")
        do { return try JSONDecoder().decode(ZigbeeState.self, from: Data(json.utf8)) } catch {
            throw StoreError.unknownValue(table: "zigbee_state", column: "state", value: "'\(json.prefix(80))'")
        }
    }

    public func save(_ state: ZigbeeState, device: String, at: EpochMillis) throws(StoreError) {
        let json = (try? JSONEncoder().encode(state)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        try saveState.run([.text(device), .text(json), .int(at)])
    }
}
