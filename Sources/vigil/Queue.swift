import ArgumentParser
import Foundation
import VigilCore
import VigilReports
import VigilStore
import VigilText
import VigilWire

struct Queue: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the open alarms: priority first, then oldest first.")

    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Print a JSON array (id, user, device, type, priority, state, raised_at, events, escalation, claimed_by).") var json = false

    func run() throws {
        let items = try QueueReader(try openDatabase(database, readOnly: true)).openAlarms()
        if json {
            print(try Self.json(items), terminator: "")
            return
        }
        let now = nowMillis()
        let rows = items.map { i in
            ["P\(i.priority.rawValue)", i.code, i.userName, i.type == .heartbeat ? "no-contact" : i.type.rawValue, i.state, Age.text(now - i.raisedAt),
             i.escalation > 0 ? "L\(i.escalation)" : "-", i.claimedBy ?? "-", "\(i.events)", i.reason]
        }
        print(TextTable.render(header: ["PRI", "ALARM", "PERSON", "TYPE", "STATE", "AGE", "ESC", "CLAIMED BY", "EVENTS", "WHY"], rows: rows))
        print(items.isEmpty ? "no open alarms" : "\(items.count) open alarm\(items.count == 1 ? "" : "s")")
    }

    static func json(_ items: [QueueItem]) throws -> String {
        try JSONRenderer.render(items.map(Row.init))
    }

    /// One alarm of `--json`; `claimed_by` is null while nobody holds it.
    struct Row: Encodable {
        var item: QueueItem

        enum CodingKeys: String, CodingKey {
            case id, user, device, type, priority, state, events, escalation
            case raisedAt = "raised_at"
            case claimedBy = "claimed_by"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(item.code, forKey: .id)
            try c.encode(item.userID, forKey: .user)
            try c.encode(item.deviceID, forKey: .device)
            try c.encode(item.type, forKey: .type)
            try c.encode(item.priority, forKey: .priority)
            try c.encode(item.state, forKey: .state)
            try c.encode(RFC3339.format(millis: item.raisedAt), forKey: .raisedAt)
            try c.encode(item.events, forKey: .events)
            try c.encode(item.escalation, forKey: .escalation)
            try c.encode(item.claimedBy, forKey: .claimedBy)
        }
    }
}

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show the audit trail: every operator action, escalation step and configuration change.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Only this alarm's trail.") var alarm: String?
    @Option(help: "The most recent N rows.") var limit: Int = 200

    func run() throws {
        let rows = try QueueReader(try openDatabase(database, readOnly: true)).audit(alarm: alarm, limit: limit)
        print(TextTable.render(header: ["AT", "ALARM", "WHO", "WHAT", "DETAIL"], rows: rows.map {
            [RFC3339.format(millis: $0.at), $0.alarm ?? "-", $0.actor, $0.action, $0.detail]
        }))
    }
}

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Count stored events, alarms and dead letters (rejected messages, by reason), and devices that misbehave.",
        discussion: """
            Events refused `rate_limited` are neither stored nor kept as dead letters (a flood would fill \
            the disk either way): each flood raised a P3 "device flooding", counted here, and the events \
            refused are the daemon's metric vigil_events_rejected_total{reason="rate_limited"}.
            """)

    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let c = try QueueReader(try openDatabase(database, readOnly: true)).counts()
        let dead = c.deadLetters.reduce(0) { $0 + $1.count }
        if json {
            let byReason = Dictionary(c.deadLetters.map { ($0.reason, $0.count) }, uniquingKeysWith: +)
            print(try JSONRenderer.render(Summary(events: c.events, alarms: c.alarms, openAlarms: c.openAlarms, deadLetters: dead, deadLettersByReason: byReason,
                                                  floodingAlarms: c.flooding, malformedDataAlarms: c.malformed, unrecognisedReportAlarms: c.unrecognised,
                                                  zigbeeUnregisteredTopics: c.zigbeeTopics, zigbeeUnregisteredMessages: c.zigbeeMessages)), terminator: "")
            return
        }
        let rows = [["events stored", "\(c.events)"], ["alarms", "\(c.alarms) (\(c.openAlarms) open)"], ["dead letters", "\(dead)"]]
            + c.deadLetters.map { ["  \($0.reason)", "\($0.count)"] }
            + [["device flooding P3s", "\(c.flooding) (events past the budget refused rate_limited, not stored)"],
               ["malformed data P3s", "\(c.malformed)"], ["not understood P3s", "\(c.unrecognised)"],
               ["unregistered Zigbee", "\(c.zigbeeMessages) messages on \(c.zigbeeTopics) topic\(c.zigbeeTopics == 1 ? "" : "s")"]]
        print(TextTable(header: ["", ""]).render(rows, header: false))
    }

    /// `--json`, keys in snake_case.
    struct Summary: Encodable {
        var events: Int
        var alarms: Int
        var openAlarms: Int
        var deadLetters: Int
        var deadLettersByReason: [String: Int]
        var floodingAlarms: Int
        var malformedDataAlarms: Int
        var unrecognisedReportAlarms: Int
        var zigbeeUnregisteredTopics: Int
        var zigbeeUnregisteredMessages: Int
    }
}
