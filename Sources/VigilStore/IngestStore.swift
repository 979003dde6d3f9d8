import VigilCore

/// The device an event arrived from, as registered.
public struct RegisteredDevice: Sendable, Equatable {
    public var userID: String
    public var kind: DeviceKind
    public var heartbeatSeconds: Int?

    public init(userID: String, kind: DeviceKind, heartbeatSeconds: Int?) {
        self.userID = userID
        self.kind = kind
        self.heartbeatSeconds = heartbeatSeconds
    }
}

public enum InsertResult: Sendable, Equatable {
    case inserted(seq: Int64)
    /// Already stored (same device and event id); carries the alarm it belongs to, if any.
    case duplicate(alarmCode: String?)
}

/// The daemon's write path: one connection, prepared statements reused for every event. The caller
/// groups many events into one transaction (`begin` … `commit`) so one fsync covers the batch.
public final class IngestStore {
    public let db: Database
    private let findDevice: Statement
    private let insertEvent: Statement
    private let findDuplicate: Statement
    private let insertDeadLetter: Statement

    /// Dead letters keep at most this much of a payload (an oversized one is cut, its size recorded).
    public static let deadLetterPayloadLimit = 16 * 1024

    public init(path: String, now: EpochMillis) throws(StoreError) {
        db = try Database.openVigil(path: path, now: now)
        // A checkpoint inside a commit put 11–14 ms into the ack p99 (docs/design.md, "Ingest"): the ingest
        // connection never checkpoints; `Checkpointer` does it from its own connection.
        try db.execute("PRAGMA wal_autocheckpoint = 0")
        findDevice = try db.prepare("SELECT user_id, kind, heartbeat_seconds FROM devices WHERE id = ?")
        insertEvent = try db.prepare("""
            INSERT INTO events(device_id, event_id, type, device_ts, received_at, battery, payload, triage)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(device_id, event_id) DO NOTHING
            """)
        findDuplicate = try db.prepare("""
            SELECT a.code FROM events e LEFT JOIN alarms a ON a.id = e.alarm_id WHERE e.device_id = ? AND e.event_id = ?
            """)
        insertDeadLetter = try db.prepare("""
            INSERT INTO dead_letters(received_at, topic, device_id, event_id, reason, detail, payload_size, payload)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    public func begin() throws(StoreError) { try db.execute("BEGIN IMMEDIATE") }
    public func commit() throws(StoreError) { try db.execute("COMMIT") }
    public func rollback() { try? db.execute("ROLLBACK") }

    public func device(_ id: String) throws(StoreError) -> RegisteredDevice? {
        try findDevice.bind([.text(id)])
        defer { try? findDevice.bind([]) }
        guard try findDevice.step() else { return nil }
        return RegisteredDevice(userID: findDevice.text(0), kind: DeviceKind(rawValue: findDevice.text(1)) ?? .hub, heartbeatSeconds: findDevice.optionalInt(2))
    }

    /// Stores the event unless the same device already sent the same id.
    public func insert(_ e: DeviceEvent, receivedAt: EpochMillis, payload: [UInt8], triage: String) throws(StoreError) -> InsertResult {
        try insertEvent.run([
            .text(e.deviceID), .text(e.eventID), .text(e.type.rawValue), .text(e.deviceTime), .int(receivedAt),
            e.battery.map { .int(Int64($0)) } ?? .null, .blob(payload), .text(triage),
        ])
        if db.changes == 1 { return .inserted(seq: db.lastInsertRowID) }
        try findDuplicate.bind([.text(e.deviceID), .text(e.eventID)])
        defer { try? findDuplicate.bind([]) }
        _ = try findDuplicate.step()
        return .duplicate(alarmCode: findDuplicate.optionalText(0))
    }

    public func deadLetter(topic: String, deviceID: String?, eventID: String?, reason: String, detail: String, payload: [UInt8], at: EpochMillis) throws(StoreError) {
        let kept = payload.count > Self.deadLetterPayloadLimit ? Array(payload.prefix(Self.deadLetterPayloadLimit)) : payload
        try insertDeadLetter.run([
            .int(at), .text(topic), deviceID.map { .text($0) } ?? .null, eventID.map { .text($0) } ?? .null,
            .text(reason), .text(detail), .int(Int64(payload.count)), .blob(kept),
        ])
    }
}
