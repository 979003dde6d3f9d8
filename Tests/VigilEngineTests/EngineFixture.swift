import Foundation
import VigilCore
@testable import VigilEngine
import VigilStore
import VigilTesting
import VigilWire

/// A registered household and three operators over a fresh database, and the engine on a manual clock.
struct EngineFixture {
    /// 2026-11-22 02:34:07 UTC: the middle of the night.
    static let t0: EpochMillis = 1_795_314_847_000
    let dir: TemporaryDirectory
    let centre: VirtualCentre
    let topics = Topics()

    init(escalation: EscalationPolicy = .default, graceSeconds: Int = 120, devices: [DeviceRecord] = EngineFixture.household,
         start: EpochMillis = EngineFixture.t0, timeZone: TimeZone = TimeZone(identifier: "UTC")!,
         webhooks: [String: WebhookSettings] = [:], claimLeaseSeconds: Int = 90, supervisorRole: OperatorRole = .supervisor,
         rateLimits: RateLimits = .default) throws {
        dir = try TemporaryDirectory(prefix: "vigil-engine")
        let path = dir.file("vigil.db")
        let registry = Registry(try Database.openVigil(path: path, now: start))
        try registry.addUser(UserRecord(id: "u1", name: "Edith Clarke", area: 3), now: start)
        for d in devices { try registry.addDevice(d, now: start) }
        try registry.addOperator(OperatorRecord(id: "op1", name: "Sam Okoro", role: .operator), now: start)
        try registry.addOperator(OperatorRecord(id: "op2", name: "Kim Reyes", role: .operator), now: start)
        try registry.addOperator(OperatorRecord(id: "sup1", name: "Pat Lowe", role: supervisorRole), now: start)
        var settings = EngineSettings(escalation: escalation, graceSeconds: graceSeconds, webhooks: webhooks, claimLeaseSeconds: claimLeaseSeconds)
        settings.rateLimits = rateLimits
        centre = try VirtualCentre(databasePath: path, settings: settings, clock: ManualClock(at: start, timeZone: timeZone))
    }

    static let household = [
        DeviceRecord(id: "pend-1", userID: "u1", kind: .pendant),
        DeviceRecord(id: "smoke-1", userID: "u1", kind: .smoke),
        DeviceRecord(id: "hub-1", userID: "u1", kind: .hub, heartbeatSeconds: 600),
    ]

    /// A wire v1 event as a device sends it.
    func event(_ type: EventType, id: String, detail: [String: JSONValue]? = nil) -> [UInt8] {
        WireEncoder().encode(EventMessage(id: id, ts: RFC3339.format(millis: centre.now), type: type, detail: detail))
    }

    func claim(_ code: String, by op: String) throws -> ConsoleReply? {
        try centre.send(operator: op, ConsoleCommand(request: "r-\(op)-\(centre.now)", action: .claim, alarm: code))
    }

    /// The alarm as stored (the engine's write, read back by another connection).
    func stored(_ code: String) throws -> Alarm? {
        try AlarmStore(try Database(path: centre.databasePath, mode: .readOnly)).alarm(code: code)
    }

    /// Audit actions of an alarm, oldest first.
    func audit(_ code: String) throws -> [String] {
        try QueueReader(try Database(path: centre.databasePath, mode: .readOnly)).audit(alarm: code).map(\.action)
    }

    /// The notice retained on `op`'s console about `code`, decoded as the console decodes it.
    func notice(_ op: String, _ code: String) -> ConsoleNotice? {
        centre.retained[ConsoleTopics().notice(op, alarm: code)].flatMap { WireDecoder().decode(ConsoleNotice.self, from: $0) }
    }

    /// The retained queue entry consoles see for `code`, decoded as a console decodes it.
    func queueEntry(_ code: String) -> QueueEntry? {
        centre.retained[ConsoleTopics().alarm(code)].flatMap { WireDecoder().decode(QueueEntry.self, from: $0) }
    }
}
