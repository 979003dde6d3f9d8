import Foundation
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

    /// Devices from their dead letters, and Zigbee2MQTT topics from their counts (older databases
    /// kept those as dead letters too: what came before the count began is added to it).
    public func list(zigbeeBase: String = "zigbee2mqtt") throws -> [UnregisteredSource] {
        let alarms = "(SELECT count(*) FROM alarms a WHERE a.user_id = ?2 AND a.device_id = g.source) AS alarms"
        let letters = try db.prepare("""
            SELECT g.source, g.by_topic, g.n, g.first_heard, g.last_heard, substr(d.payload, 1, ?1) AS excerpt, d.payload_size, \(alarms)
            FROM (SELECT coalesce(device_id, topic) AS source, device_id IS NULL AS by_topic, count(*) AS n,
                         min(received_at) AS first_heard, max(received_at) AS last_heard, max(id) AS last_id
                  FROM dead_letters dl WHERE reason = 'unknown_device'
                      -- A topic's messages since it has a count are in the count (an emergency's payload is also kept here).
                      AND NOT (device_id IS NULL AND EXISTS (SELECT 1 FROM zigbee_unregistered z WHERE z.topic = dl.topic AND dl.received_at >= z.first_heard))
                  GROUP BY 1, 2) g
            JOIN dead_letters d ON d.id = g.last_id
            WHERE g.source NOT IN (SELECT id FROM devices)
            """).rows([.int(Int64(Self.excerptBytes)), .text(UnidentifiedCaller.userID)], table: "dead_letters", Self.source)
        let zigbee = try db.prepare("""
            SELECT g.topic AS source, 1 AS by_topic, g.messages AS n, g.first_heard, g.last_heard, substr(g.last_payload, 1, ?1) AS excerpt,
                   g.last_payload_size AS payload_size, \(alarms)
            FROM (SELECT topic, topic AS source, messages, first_heard, last_heard, last_payload, last_payload_size FROM zigbee_unregistered) g
            """).rows([.int(Int64(Self.excerptBytes)), .text(UnidentifiedCaller.userID)], table: "zigbee_unregistered", Self.source)
        var merged: [String: UnregisteredSource] = [:]
        for s in letters + zigbee {
            guard var m = merged[s.source] else { merged[s.source] = s; continue }
            m.messages += s.messages
            m.firstHeard = min(m.firstHeard, s.firstHeard)
            if s.lastHeard >= m.lastHeard { (m.lastHeard, m.lastPayload, m.lastPayloadSize) = (s.lastHeard, s.lastPayload, s.lastPayloadSize) }
            merged[s.source] = m
        }
        // A friendly name registered since drops off, as a device id does.
        let paired = Set(try db.prepare("SELECT zigbee_name FROM devices WHERE zigbee_name IS NOT NULL").rows(table: "devices") { "\(zigbeeBase)/\(try $0.text("zigbee_name"))" })
        return merged.values.filter { !($0.isTopic && paired.contains($0.source)) }.sorted { ($0.lastHeard, $1.source) > ($1.lastHeard, $0.source) }
    }

    static func source(_ row: Row) throws -> UnregisteredSource {
        UnregisteredSource(source: try row.text("source"), isTopic: try row.bool("by_topic"), messages: try row.int("n"),
                           firstHeard: try row.int64("first_heard"), lastHeard: try row.int64("last_heard"),
                           lastPayload: try row.blob("excerpt"), lastPayloadSize: try row.int("payload_size"), alarms: try row.int("alarms"))
    }
}

/// A registered device that said something looking like an alarm in words Vigil does not read.
public struct UnrecognisedReport: Sendable, Equatable {
    public var device: String
    public var user: String
    public var reports: Int
    public var firstHeard: EpochMillis
    public var lastHeard: EpochMillis
    /// What was not understood the last time ("fire_alarm: true"), from the notice's triage text.
    public var lastKeys: String
    public var lastPayload: [UInt8]
    public var lastPayloadSize: Int
}

/// `vigil devices unrecognised`: devices whose reports held an alarm-looking key Vigil does not
/// read, newest first. Each activation is a `device_fault` notice row with id "!unrecognised:…"; the
/// first of a day also raised a P3, which is how the devices are found without reading every event.
public struct UnrecognisedReports {
    let db: Database
    /// The id prefix of the notices (device ids cannot start with "!").
    public static let prefix = "!unrecognised:"
    static let reason = DeviceFault.unrecognised.reason("")

    /// How the triage of a notice after the day's P3 ends.
    public static let laterToday = " (reported to the installer earlier today)"

    public init(_ db: Database) { self.db = db }

    public func list() throws -> [UnrecognisedReport] {
        let devices = try db.prepare("""
            SELECT DISTINCT device_id FROM alarms WHERE type = 'device_fault' AND substr(reason, 1, ?1) = ?2
            """).rows([.int(Int64(Self.reason.utf8.count)), .text(Self.reason)], table: "alarms") { try $0.text("device_id") }
        // The notices of one device, through the (device_id, event_id) key: ids from the prefix up to
        // the character after its last one. Counted, then the newest read once.
        let range = "e.device_id = ?1 AND e.event_id >= ?2 AND e.event_id < ?3"
        let counted = try db.prepare("SELECT count(*) AS n, min(e.received_at) AS first_heard, max(e.received_at) AS last_heard FROM events e WHERE \(range)")
        let newest = try db.prepare("""
            SELECT e.triage, substr(e.payload, 1, ?4) AS excerpt, length(e.payload) AS size, (SELECT user_id FROM devices WHERE id = ?1) AS user_id
            FROM events e WHERE \(range) ORDER BY e.received_at DESC, e.seq DESC LIMIT 1
            """)
        let upper = String(Self.prefix.dropLast()) + ";"
        var out: [UnrecognisedReport] = []
        for device in devices {
            let key: [SQLValue] = [.text(device), .text(Self.prefix), .text(upper)]
            guard let (n, first, last) = try counted.rows(key, table: "events", { (try $0.int("n"), try $0.optionalInt64("first_heard"), try $0.optionalInt64("last_heard")) }).first,
                  n > 0, let first, let last else { continue }
            let rows = try newest.rows(key + [.int(Int64(UnregisteredDevices.excerptBytes))], table: "events") { r in
                let triage = try r.text("triage")
                let keys = triage.range(of: Self.reason).map { String(triage[$0.upperBound...]) } ?? triage
                return UnrecognisedReport(device: device, user: try r.optionalText("user_id") ?? "-", reports: n, firstHeard: first, lastHeard: last,
                                          lastKeys: keys.replacingOccurrences(of: Self.laterToday, with: ""),
                                          lastPayload: try r.blob("excerpt"), lastPayloadSize: try r.int("size"))
            }
            out += rows
        }
        return out.sorted { ($0.lastHeard, $1.device) > ($1.lastHeard, $0.device) }
    }
}
