import ArgumentParser
import Foundation
import VigilCore
import VigilStore
import VigilWire

struct Queue: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the open alarms: priority first, then oldest first.")

    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Print a JSON array (id, user, device, type, priority, state, raised_at, events, escalation, claimed_by).") var json = false

    func run() throws {
        let items = try QueueReader(try openDatabase(database, readOnly: true)).openAlarms()
        if json {
            print(Self.json(items))
            return
        }
        let now = nowMillis()
        let rows = items.map { i in
            ["P\(i.priority.rawValue)", i.code, i.userName, i.type == .heartbeat ? "no-contact" : i.type.rawValue, i.state, Self.age(now - i.raisedAt),
             i.escalation > 0 ? "L\(i.escalation)" : "-", i.claimedBy ?? "-", "\(i.events)", i.reason]
        }
        print(TextTable.render(header: ["PRI", "ALARM", "PERSON", "TYPE", "STATE", "AGE", "ESC", "CLAIMED BY", "EVENTS", "WHY"], rows: rows))
        print(items.isEmpty ? "no open alarms" : "\(items.count) open alarm\(items.count == 1 ? "" : "s")")
    }

    static func json(_ items: [QueueItem]) -> String {
        let objects = items.map { i in
            "{\"id\":\(JSONText.quote(i.code)),\"user\":\(JSONText.quote(i.userID)),\"device\":\(JSONText.quote(i.deviceID)),\"type\":\(JSONText.quote(i.type.rawValue)),\"priority\":\(i.priority.rawValue),\"state\":\(JSONText.quote(i.state)),\"raised_at\":\(JSONText.quote(RFC3339.format(millis: i.raisedAt))),\"events\":\(i.events),\"escalation\":\(i.escalation),\"claimed_by\":\(i.claimedBy.map(JSONText.quote) ?? "null")}"
        }
        return "[" + objects.joined(separator: ",\n ") + "]"
    }

    static func age(_ ms: Int64) -> String {
        let s = max(0, ms / 1000)
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s / 3600)h\(String(format: "%02d", s / 60 % 60))m"
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
        abstract: "Count stored events, alarms and dead letters (rejected messages, by reason).")

    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let c = try QueueReader(try openDatabase(database, readOnly: true)).counts()
        let dead = c.deadLetters.reduce(0) { $0 + $1.count }
        if json {
            let reasons = c.deadLetters.map { "\(JSONText.quote($0.reason)):\($0.count)" }.joined(separator: ",")
            print("{\"events\":\(c.events),\"alarms\":\(c.alarms),\"open_alarms\":\(c.openAlarms),\"dead_letters\":\(dead),\"dead_letters_by_reason\":{\(reasons)}}")
            return
        }
        print("events stored   \(c.events)")
        print("alarms          \(c.alarms) (\(c.openAlarms) open)")
        print("dead letters    \(dead)")
        for (reason, n) in c.deadLetters { print("  \(reason.padding(toLength: 20, withPad: " ", startingAt: 0)) \(n)") }
    }
}
