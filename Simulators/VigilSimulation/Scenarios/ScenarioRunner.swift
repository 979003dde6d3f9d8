import Foundation
import Mosquitto
import VigilCore
import VigilEngine
import VigilStore
import VigilWire

/// Runs a `Scenario`: sends its events as devices do, sends operator commands on the console
/// protocol, and checks acks, replies and the stored alarms (read from the database through a
/// read-only connection, as a report reads). Live against a broker and `vigil serve`, or in-process
/// on virtual time (`inProcess`): the same steps, the same checks.
public final class ScenarioRunner {
    public struct Report: Sendable {
        public var name: String
        public var lines: [String] = []
        public var failures: [String] = []
        public var passed: Bool { failures.isEmpty }
    }

    let scenario: Scenario
    let driver: any ScenarioDriver
    let db: Inspection
    /// Put in front of every event id and request id, so that a run never collides with an earlier one.
    let tag: String
    var labels: [String: String] = [:]
    var report: Report
    /// When the first step ran, on the driver's clock (`alarms` counts what was raised since).
    var runStart: EpochMillis = 0
    let wire = WireEncoder()
    let reader = WireDecoder()

    init(_ scenario: Scenario, driver: any ScenarioDriver, databasePath: String, tag: String?) throws {
        self.scenario = scenario
        self.driver = driver
        self.tag = tag ?? "s" + String(UInt64(Date().timeIntervalSince1970 * 1000), radix: 36)
        db = try Inspection(path: databasePath)
        report = Report(name: scenario.name)
    }

    /// Live: against a broker and the `vigil serve` behind it (which uses `databasePath`).
    /// `zigbeeBase` is the bridge's base topic the daemon reads; by default the scenario config's
    /// `zigbee_base`, else `zigbee2mqtt`.
    public convenience init(_ scenario: Scenario, broker host: String, port: Int32, databasePath: String, prefix: String = "telecare",
                            zigbeeBase: String? = nil, tag: String? = nil) throws {
        let base = try zigbeeBase ?? scenario.renderedConfig().flatMap { try VigilConfig.parse($0, source: "scenario \(scenario.name)").zigbeeBase }
        let driver = try LiveDriver(broker: host, port: port, prefix: prefix, zigbee: ZigbeeTopics(base: base ?? "zigbee2mqtt"))
        try self.init(scenario, driver: driver, databasePath: databasePath, tag: tag)
    }

    /// In-process: the engine on a manual clock that starts at `start`, over `databasePath`, with the
    /// scenario's config (its `{{now±N}}` night windows read from the virtual start, in `timeZone`).
    public static func inProcess(_ scenario: Scenario, databasePath: String, start: EpochMillis, timeZone: TimeZone = TimeZone(identifier: "UTC")!) throws -> ScenarioRunner {
        let config = try scenario.renderedConfig(now: Date(timeIntervalSince1970: Double(start) / 1000), timeZone: timeZone)
            .map { try VigilConfig.parse($0, source: "scenario \(scenario.name)") } ?? VigilConfig()
        let centre = try VirtualCentre(databasePath: databasePath, settings: try config.engineSettings(), clock: ManualClock(at: start, timeZone: timeZone))
        return try ScenarioRunner(scenario, driver: InProcessDriver(centre), databasePath: databasePath, tag: "v")
    }

    /// The run's day where it runs (an absence starts today).
    static func today() -> Day {
        let local = Calendar(identifier: .gregorian).dateComponents(in: .current, from: Date())
        return Day(year: local.year!, month: local.month!, day: local.day!)!
    }

    /// Registers the scenario's people, devices, operators and responders that are not in the
    /// database yet, and its rota, whose minutes count from `start` (by default now: a live run starts
    /// a few seconds later; an in-process run passes its virtual start).
    public static func register(_ s: Scenario, databasePath: String, start: EpochMillis? = nil) throws {
        let now = EpochMillis(Date().timeIntervalSince1970 * 1000)
        let db = try Database.openVigil(path: databasePath, now: now)
        let registry = Registry(db)
        let users = Set(try registry.users().map(\.id)), devices = Set(try registry.devices().map(\.id))
        let operators = Set(try registry.operators().map(\.id))
        for p in s.people where !users.contains(p.id) {
            try registry.addUser(UserRecord(id: p.id, name: p.name, area: p.area, groups: (p.groups ?? []).compactMap(ReferralGroup.init(rawValue:))), now: now)
            if let a = p.absence {
                guard let absence = PersonAbsence(rawValue: a) else { throw SimulationError("Person \(p.id): absence must be away or hospital, not \(a).") }
                try registry.setAbsence(user: p.id, absence, since: Self.today(), note: "scenario \(s.name)", now: now)
            }
        }
        for d in s.devices where !devices.contains(d.id) {
            guard let kind = DeviceKind(rawValue: d.type) else { throw SimulationError("Device \(d.id): unknown type \(d.type).") }
            try registry.addDevice(DeviceRecord(id: d.id, userID: d.user, kind: kind, heartbeatSeconds: d.heartbeat, zigbeeName: d.zigbee), now: now)
            if let reason = d.suspended { try registry.suspendDevice(d.id, reason: reason, now: now) }
        }
        for o in s.operators where !operators.contains(o.id) {
            try registry.addOperator(OperatorRecord(id: o.id, name: o.name, role: OperatorRole(rawValue: o.role ?? "operator") ?? .operator), now: now)
        }
        let rota = try RotaStore(db)
        let responders = Set(try rota.responders().map(\.id))
        for r in s.responders ?? [] where !responders.contains(r.id) {
            try rota.addResponder(MobileResponder(id: r.id, name: r.name, phone: r.phone), now: now)
        }
        let origin = start ?? now
        for shift in s.rota ?? [] {
            guard let kind = RotaShift.Kind(rawValue: shift.kind ?? "rota") else { throw SimulationError("Rota shift of \(shift.responder): kind must be rota or override.") }
            let at = { (minutes: Double) in origin + EpochMillis(minutes * 60_000) }
            let row = RotaShift(area: shift.area, responder: shift.responder, startsAt: at(shift.from), endsAt: at(shift.until), kind: kind, reason: shift.reason)
            // A scenario run again on the same database finds its rota already there.
            if try rota.shifts(area: row.area, from: row.startsAt, until: row.endsAt).contains(where: { $0.responder == row.responder && $0.kind == row.kind }) { continue }
            _ = try rota.add(row, now: now, zone: .current)
        }
    }

    /// Runs every step in order; `log` receives one line per step as it completes.
    public func run(log: (String) -> Void = { _ in }) throws -> Report {
        guard driver.start() else {
            throw SimulationError("Could not reach the broker within 10 s.")
        }
        runStart = driver.now
        for (i, step) in scenario.steps.enumerated() {
            driver.wait(until: step.at)
            let before = report.failures.count
            let line = perform(step, index: i)
            let ok = report.failures.count == before
            let text = String(format: "%7.2f s  %@  %@", driver.elapsed, ok ? "ok  " : "FAIL", line)
            report.lines.append(text)
            log(text)
            if !ok { for f in report.failures[before...] { log("           \(f)") } }
        }
        driver.finish()
        return report
    }

    func fail(_ step: Int, _ message: String) {
        report.failures.append("step \(step + 1): \(message)")
    }

    func perform(_ step: Scenario.Step, index i: Int) -> String {
        var parts: [String] = []
        if step.device != nil && step.zigbee != nil { fail(i, "a step is sent by a device or by the Zigbee bridge, not both") }
        else if step.device != nil { parts.append(sendEvent(step, index: i)) }
        else if step.zigbee != nil { parts.append(sendZigbee(step, index: i)) }
        if step.command != nil { parts.append(sendCommand(step, index: i)) }
        if step.responder != nil { parts.append(sendReport(step, index: i)) }
        if let e = step.expect { parts.append(check(e, within: step.within ?? 5, index: i)) }
        if parts.isEmpty { fail(i, "the step does nothing: give it a device, a zigbee name, a command, a responder's report or an expectation") }
        return ([step.note].compactMap { $0 } + parts).joined(separator: " — ")
    }
}
