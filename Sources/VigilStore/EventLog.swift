import VigilCore
import VigilWire

/// The events table as the ingest pipeline writes it: first "have we stored this already?", then,
/// once triage and the desk have decided, one row with its triage and its alarm. One INSERT per
/// event, in the loop's open transaction.
public final class EventLog {
    let db: Database
    private let findEvent: Statement
    private let insertEvent: Statement
    private let insertSystemEvent: Statement
    private let findNotice: Statement
    /// Makes system event ids unique even when two fall in the same millisecond.
    private var systemEvents = 0

    public init(_ db: Database) throws(StoreError) {
        self.db = db
        findEvent = try db.prepare("""
            SELECT a.code FROM events e LEFT JOIN alarms a ON a.id = e.alarm_id WHERE e.device_id = ? AND e.event_id = ?
            """)
        insertEvent = try db.prepare("""
            INSERT INTO events(device_id, event_id, type, device_ts, received_at, battery, payload, triage, alarm_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(device_id, event_id) DO NOTHING
            """)
        insertSystemEvent = try db.prepare("""
            INSERT INTO events(device_id, event_id, type, device_ts, received_at, payload, triage, alarm_id)
            VALUES (?, ?, 'heartbeat', ?, ?, x'7b7d', ?, ?)
            """)
        findNotice = try db.prepare("""
            SELECT max(received_at) FROM events WHERE device_id = ? AND type = 'device_fault' AND substr(event_id, 1, length(?)) = ?
            """)
    }

    /// What became of an event already stored (same device, same id), or nil for a new one.
    public enum Stored: Sendable, Equatable {
        case stored(alarmCode: String?)
    }

    public func existing(device: String, eventID: String) throws(StoreError) -> Stored? {
        try findEvent.bind([.text(device), .text(eventID)])
        defer { try? findEvent.bind([]) }
        guard try findEvent.step() else { return nil }
        return .stored(alarmCode: try Row(statement: findEvent, table: "alarms").optionalText("code"))
    }

    /// Stores a new event with what triage made of it and the alarm it belongs to.
    public func record(_ e: DeviceEvent, receivedAt: EpochMillis, payload: [UInt8], triage: String, alarm: Int64?) throws(StoreError) {
        try insertEvent.run([
            .text(e.deviceID), .text(e.eventID), .text(e.type.rawValue), .text(e.deviceTime), .int(receivedAt),
            e.battery.map { .int(Int64($0)) } ?? .null, .blob(payload), .text(triage), alarm.map { .int($0) } ?? .null,
        ])
    }

    /// A row for something Vigil observed about a device rather than received from it (a missed
    /// heartbeat, its return). Its id starts with "!", which device ids cannot, so it never collides.
    public func systemEvent(device: String, note: String, at: EpochMillis, alarm: Int64?) throws(StoreError) {
        systemEvents += 1
        try insertSystemEvent.run([
            .text(device), .text("!\(note.prefix(16)):\(at):\(systemEvents)"), .text(RFC3339.format(millis: at)), .int(at), .text(note),
            alarm.map { .int($0) } ?? .null,
        ])
    }

    /// When Vigil last recorded one of its own `device_fault` notices for a device whose event id
    /// starts with `prefix` (e.g. "!malformed:"), or nil if it never has.
    public func lastNotice(device: String, prefix: String) throws(StoreError) -> EpochMillis? {
        try findNotice.bind([.text(device), .text(prefix), .text(prefix)])
        defer { try? findNotice.bind([]) }
        guard try findNotice.step(), !findNotice.isNull(0) else { return nil }
        return findNotice.int64(0)
    }
}
