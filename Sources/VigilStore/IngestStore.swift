import VigilCore

/// The device an event arrived from, as registered.
public struct RegisteredDevice: Sendable, Equatable {
    public var userID: String
    public var kind: DeviceKind
}

/// An open alarm as the ingest path sees it.
public struct OpenAlarmRef: Sendable, Equatable {
    public var id: Int64
    public var code: String
    public var claimed: Bool
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
    private let findOpenByCondition: Statement
    private let findOpenByDevice: Statement
    private let nextAlarmID: Statement
    private let insertAlarm: Statement
    private let attachEvent: Statement
    private let bumpAlarm: Statement
    private let closeAlarm: Statement
    private let insertDeadLetter: Statement

    /// Dead letters keep at most this much of a payload (an oversized one is cut, its size recorded).
    public static let deadLetterPayloadLimit = 16 * 1024

    public init(path: String, now: EpochMillis) throws(StoreError) {
        db = try Database.openVigil(path: path, now: now)
        // A checkpoint inside a commit put 11–14 ms into the ack p99 (DESIGN.md): the ingest
        // connection never checkpoints; `Checkpointer` does it from its own connection.
        try db.execute("PRAGMA wal_autocheckpoint = 0")
        findDevice = try db.prepare("SELECT user_id, kind FROM devices WHERE id = ?")
        insertEvent = try db.prepare("""
            INSERT INTO events(device_id, event_id, type, device_ts, received_at, battery, payload, triage)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(device_id, event_id) DO NOTHING
            """)
        findDuplicate = try db.prepare("""
            SELECT a.code FROM events e LEFT JOIN alarms a ON a.id = e.alarm_id WHERE e.device_id = ? AND e.event_id = ?
            """)
        findOpenByCondition = try db.prepare("""
            SELECT id, code, state FROM alarms WHERE user_id = ? AND type = ? AND state <> 'resolved' ORDER BY id LIMIT 1
            """)
        findOpenByDevice = try db.prepare("SELECT id, code, state FROM alarms WHERE device_id = ? AND state <> 'resolved' ORDER BY id")
        nextAlarmID = try db.prepare("SELECT coalesce(max(id), 0) + 1 FROM alarms")
        insertAlarm = try db.prepare("""
            INSERT INTO alarms(id, code, user_id, device_id, type, priority, reason, raised_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        attachEvent = try db.prepare("UPDATE events SET alarm_id = ? WHERE seq = ?")
        bumpAlarm = try db.prepare("UPDATE alarms SET event_count = event_count + 1 WHERE id = ?")
        closeAlarm = try db.prepare("UPDATE alarms SET state = 'resolved', closed_at = ?, outcome = ? WHERE id = ? AND state = 'raised'")
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
        return RegisteredDevice(userID: findDevice.text(0), kind: DeviceKind(rawValue: findDevice.text(1)) ?? .hub)
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

    /// The open alarm for the same condition (person and event type), if any.
    public func openAlarm(user: String, type: EventType) throws(StoreError) -> OpenAlarmRef? {
        try findOpenByCondition.bind([.text(user), .text(type.rawValue)])
        defer { try? findOpenByCondition.bind([]) }
        guard try findOpenByCondition.step() else { return nil }
        return OpenAlarmRef(id: findOpenByCondition.int64(0), code: findOpenByCondition.text(1), claimed: findOpenByCondition.text(2) == "claimed")
    }

    public func openAlarms(device: String) throws(StoreError) -> [OpenAlarmRef] {
        try findOpenByDevice.bind([.text(device)])
        defer { try? findOpenByDevice.bind([]) }
        var alarms: [OpenAlarmRef] = []
        while try findOpenByDevice.step() {
            alarms.append(OpenAlarmRef(id: findOpenByDevice.int64(0), code: findOpenByDevice.text(1), claimed: findOpenByDevice.text(2) == "claimed"))
        }
        return alarms
    }

    /// Opens an alarm for the event stored as `seq`. Alarm codes read `A-{year}-{number}`.
    public func raise(seq: Int64, event: DeviceEvent, user: String, priority: Priority, reason: String, at: EpochMillis, year: Int) throws(StoreError) -> OpenAlarmRef {
        try nextAlarmID.bind([])
        _ = try nextAlarmID.step()
        let id = nextAlarmID.int64(0)
        try nextAlarmID.bind([])
        let number = String(id)
        let code = "A-\(year)-" + String(repeating: "0", count: max(0, 6 - number.count)) + number
        try insertAlarm.run([.int(id), .text(code), .text(user), .text(event.deviceID), .text(event.type.rawValue), .int(Int64(priority.rawValue)), .text(reason), .int(at)])
        try attachEvent.run([.int(id), .int(seq)])
        return OpenAlarmRef(id: id, code: code, claimed: false)
    }

    /// Attaches a repeat (or a cancel on a claimed alarm) to an open alarm.
    public func attach(seq: Int64, to alarm: OpenAlarmRef) throws(StoreError) {
        try attachEvent.run([.int(alarm.id), .int(seq)])
        try bumpAlarm.run([.int(alarm.id)])
    }

    /// Closes an alarm nobody has claimed, with the outcome. Returns false if it was claimed meanwhile.
    public func closeUnclaimed(_ alarm: OpenAlarmRef, outcome: String, at: EpochMillis) throws(StoreError) -> Bool {
        try closeAlarm.run([.int(at), .text(outcome), .int(alarm.id)])
        return db.changes == 1
    }

    public func deadLetter(topic: String, deviceID: String?, eventID: String?, reason: String, detail: String, payload: [UInt8], at: EpochMillis) throws(StoreError) {
        let kept = payload.count > Self.deadLetterPayloadLimit ? Array(payload.prefix(Self.deadLetterPayloadLimit)) : payload
        try insertDeadLetter.run([
            .int(at), .text(topic), deviceID.map { .text($0) } ?? .null, eventID.map { .text($0) } ?? .null,
            .text(reason), .text(detail), .int(Int64(payload.count)), .blob(kept),
        ])
    }
}
