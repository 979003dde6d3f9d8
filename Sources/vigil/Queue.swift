import ArgumentParser
import Foundation
import VigilCore
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
            print(Self.json(items))
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

    static func json(_ items: [QueueItem]) -> String {
        let objects = items.map { i in
            "{\"id\":\(JSONText.quote(i.code)),\"user\":\(JSONText.quote(i.userID)),\"device\":\(JSONText.quote(i.deviceID)),\"type\":\(JSONText.quote(i.type.rawValue)),\"priority\":\(i.priority.rawValue),\"state\":\(JSONText.quote(i.state)),\"raised_at\":\(JSONText.quote(RFC3339.format(millis: i.raisedAt))),\"events\":\(i.events),\"escalation\":\(i.escalation),\"claimed_by\":\(i.claimedBy.map(JSONText.quote) ?? "null")}"
        }
        return "[" + objects.joined(separator: ",\n ") + "]"
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
        let rows = [["events stored", "\(c.events)"], ["alarms", "\(c.alarms) (\(c.openAlarms) open)"], ["dead letters", "\(dead)"]]
            + c.deadLetters.map { ["  \($0.reason)", "\($0.count)"] }
        print(TextTable(header: ["", ""]).render(rows, header: false))
    }
}
