import VigilCore

/// A device (or a Zigbee2MQTT topic) heard from but not registered, from its dead letters.
public struct UnregisteredSource: Sendable, Equatable {
    /// The device id of its topic, or the whole topic when the message named no device id (a
    /// Zigbee2MQTT friendly name nobody registered).
    public var source: String
    public var isTopic: Bool
    public var messages: Int
    public var firstHeard: EpochMillis
    public var lastHeard: EpochMillis
    /// The start of the last message as received (at most `UnregisteredDevices.excerptBytes`).
    public var lastPayload: [UInt8]
    public var lastPayloadSize: Int
    /// Alarms raised against the unidentified caller for it (emergencies are raised, not only kept).
    public var alarms: Int
}

/// `vigil devices unregistered`: who is talking to the centre without being on its register, newest
/// first. A device registered since drops off the list.
public struct UnregisteredDevices {
    let db: Database
    public static let excerptBytes = 120

    public init(_ db: Database) { self.db = db }

    public func list() throws -> [UnregisteredSource] {
        try db.prepare("""
            SELECT g.source, g.by_topic, g.n, g.first_heard, g.last_heard, substr(d.payload, 1, ?1) AS excerpt, d.payload_size,
                   (SELECT count(*) FROM alarms a WHERE a.user_id = ?2 AND a.device_id = g.source) AS alarms
            FROM (SELECT coalesce(device_id, topic) AS source, device_id IS NULL AS by_topic, count(*) AS n,
                         min(received_at) AS first_heard, max(received_at) AS last_heard, max(id) AS last_id
                  FROM dead_letters WHERE reason = 'unknown_device' GROUP BY 1, 2) g
            JOIN dead_letters d ON d.id = g.last_id
            WHERE g.source NOT IN (SELECT id FROM devices)
            ORDER BY g.last_heard DESC, g.source
            """).rows([.int(Int64(Self.excerptBytes)), .text(UnidentifiedCaller.userID)], table: "dead_letters") {
            UnregisteredSource(source: try $0.text("source"), isTopic: try $0.bool("by_topic"), messages: try $0.int("n"),
                               firstHeard: try $0.int64("first_heard"), lastHeard: try $0.int64("last_heard"),
                               lastPayload: try $0.blob("excerpt"), lastPayloadSize: try $0.int("payload_size"), alarms: try $0.int("alarms"))
        }
    }
}
