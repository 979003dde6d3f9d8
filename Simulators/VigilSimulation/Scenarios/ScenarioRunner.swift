import Foundation
import Mosquitto
import VigilCore
import VigilStore
import VigilWire

/// Runs a `Scenario` against a live broker and `vigil serve`: sends its events as devices do (resent
/// until acked), sends operator commands on the console protocol, and checks acks, replies and the
/// stored alarms (read from the database through a read-only connection, as a report reads).
public final class ScenarioRunner {
    public struct Report: Sendable {
        public var name: String
        public var lines: [String] = []
        public var failures: [String] = []
        public var passed: Bool { failures.isEmpty }
    }

    let scenario: Scenario
    let publisher: AckingPublisher
    let console: MosquittoClient
    let topics: Topics
    let consoleTopics: ConsoleTopics
    let db: Database
    /// Put in front of every event id and request id, so that a run never collides with an earlier one.
    let tag: String
    var acks: [String: Ack] = [:]
    var replies: [String: ConsoleReply] = [:]
    var labels: [String: String] = [:]
    var report: Report

    public init(_ scenario: Scenario, broker host: String, port: Int32, databasePath: String, prefix: String = "telecare", tag: String? = nil) throws {
        self.scenario = scenario
        topics = Topics(prefix: prefix)
        consoleTopics = ConsoleTopics(prefix: prefix)
        self.tag = tag ?? "s" + String(UInt64(Date().timeIntervalSince1970 * 1000), radix: 36)
        // Resend after 2 s, doubling: the alarm-unit behaviour; acks come in milliseconds normally.
        publisher = try AckingPublisher(broker: host, port: port, topics: topics, resendAfterMilliseconds: 2_000)
        console = try MosquittoClient(.init(host: host, port: port))
        try console.subscribe("\(prefix)/v1/console/+/replies", qos: 1)
        db = try Database(path: databasePath, mode: .readOnly)
        report = Report(name: scenario.name)
        publisher.onAck = { [unowned self] device, ack in self.acks["\(device)/\(ack.eventID)"] = ack }
    }

    /// Registers the scenario's people, devices and operators that are not in the database yet.
    public static func register(_ s: Scenario, databasePath: String) throws {
        let now = EpochMillis(Date().timeIntervalSince1970 * 1000)
        let db = try Database.openVigil(path: databasePath, now: now)
        let registry = Registry(db)
        let users = Set(try registry.users().map(\.id)), devices = Set(try registry.devices().map(\.id))
        let operators = Set(try registry.operators().map(\.id))
        for p in s.people where !users.contains(p.id) {
            try registry.addUser(UserRecord(id: p.id, name: p.name, groups: (p.groups ?? []).compactMap(ReferralGroup.init(rawValue:))), now: now)
        }
        for d in s.devices where !devices.contains(d.id) {
            guard let kind = DeviceKind(rawValue: d.type) else { throw SimulationError("Device \(d.id): unknown type \(d.type).") }
            try registry.addDevice(DeviceRecord(id: d.id, userID: d.user, kind: kind, heartbeatSeconds: d.heartbeat), now: now)
        }
        for o in s.operators where !operators.contains(o.id) {
            try registry.addOperator(OperatorRecord(id: o.id, name: o.name, role: OperatorRole(rawValue: o.role ?? "operator") ?? .operator), now: now)
        }
    }

    /// Runs every step in order; `log` receives one line per step as it completes.
    public func run(log: (String) -> Void = { _ in }) throws -> Report {
        guard publisher.waitUntilReady(seconds: 10), waitForConsole(seconds: 10) else {
            throw SimulationError("Could not reach the broker within 10 s.")
        }
        let start = monotonicNanos()
        for (i, step) in scenario.steps.enumerated() {
            let due = start + UInt64(max(0, step.at) * 1e9)
            while monotonicNanos() < due { pump(10) }
            let before = report.failures.count
            let line = perform(step, index: i)
            let ok = report.failures.count == before
            let text = String(format: "%7.2f s  %@  %@", Double(monotonicNanos() - start) / 1e9, ok ? "ok  " : "FAIL", line)
            report.lines.append(text)
            log(text)
            if !ok { for f in report.failures[before...] { log("           \(f)") } }
        }
        publisher.client.disconnect()
        console.disconnect()
        return report
    }

    func pump(_ ms: Int32) {
        publisher.service(timeoutMilliseconds: ms)
        for case .message(let m) in console.pump(timeoutMilliseconds: 0) {
            if let r = ConsoleReply.decode(m.payload) { replies[r.request] = r }
        }
    }

    func waitForConsole(seconds: Double) -> Bool {
        let deadline = monotonicNanos() + UInt64(seconds * 1e9)
        while monotonicNanos() < deadline {
            for e in console.pump(timeoutMilliseconds: 20) { if case .subscribed = e { return true } }
        }
        return false
    }

    func fail(_ step: Int, _ message: String) {
        report.failures.append("step \(step + 1): \(message)")
    }

    func perform(_ step: Scenario.Step, index i: Int) -> String {
        var parts: [String] = []
        if step.device != nil { parts.append(sendEvent(step, index: i)) }
        if step.command != nil { parts.append(sendCommand(step, index: i)) }
        if let e = step.expect { parts.append(check(e, within: step.within ?? 5, index: i)) }
        if parts.isEmpty { fail(i, "the step does nothing: give it a device, a command or an expectation") }
        return ([step.note].compactMap { $0 } + parts).joined(separator: " — ")
    }
}
