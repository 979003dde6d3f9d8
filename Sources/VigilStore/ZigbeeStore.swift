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
    private let loadUnregistered: Statement
    private let heardUnregistered: Statement

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
        loadUnregistered = try db.prepare("SELECT state FROM zigbee_unregistered WHERE topic = ?")
        heardUnregistered = try db.prepare("""
            INSERT INTO zigbee_unregistered(topic, messages, first_heard, last_heard, last_payload, last_payload_size, state)
            VALUES (?1, 1, ?2, ?2, ?3, ?4, ?5)
            ON CONFLICT(topic) DO UPDATE SET messages = messages + 1, last_heard = excluded.last_heard, last_payload = excluded.last_payload,
                last_payload_size = excluded.last_payload_size, state = coalesce(excluded.state, state)
            """)
    }

    /// The last state read from a topic nobody registered, or nil if it has none.
    public func unregisteredState(topic: String) throws(StoreError) -> ZigbeeState? {
        try loadUnregistered.bind([.text(topic)])
        defer { try? loadUnregistered.bind([]) }
        guard try loadUnregistered.step(), !loadUnregistered.isNull(0) else { return nil }
        return try Self.decode(try Row(statement: loadUnregistered, table: "zigbee_unregistered").text("state"), table: "zigbee_unregistered")
    }

    /// Counts one message on a topic nobody registered, keeping the start of its payload (at most
    /// `UnregisteredDevices.excerptBytes` × 4) and, when it could be read, its state.
    public func heardUnregistered(topic: String, payload: [UInt8], state: ZigbeeState?, at: EpochMillis) throws(StoreError) {
        let kept = Array(payload.prefix(UnregisteredDevices.excerptBytes * 4))
        try heardUnregistered.run([.text(topic), .int(at), .blob(kept), .int(Int64(payload.count)), state.map { .text(Self.encode($0)) } ?? .null])
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
        return try Self.decode(try Row(statement: loadState, table: "zigbee_state").text("state"), table: "zigbee_state")
    }

    public func save(_ state: ZigbeeState, device: String, at: EpochMillis) throws(StoreError) {
        try saveState.run([.text(device), .text(Self.encode(state)), .int(at)])
    }

    static func encode(_ state: ZigbeeState) -> String {
        (try? JSONEncoder().encode(state)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    static func decode(_ json: String, table: String) throws(StoreError) -> ZigbeeState {
        do { return try JSONDecoder().decode(ZigbeeState.self, from: Data(json.utf8)) } catch {
            throw StoreError.unknownValue(table: table, column: "state", value: "'\(json.prefix(80))'")
        }
    }
}
