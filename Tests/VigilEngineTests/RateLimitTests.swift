import Foundation
import Testing
import VigilCore
@testable import VigilEngine
import VigilStore
import VigilWire

/// Issue 12, section 9, on virtual time: one device cannot drown the others. Each device has a
/// token bucket (a burst, then a steady rate); past it an event is refused `rate_limited` and not
/// stored, unless it is an emergency; the first of a flood raises one P3 "device flooding".
@Suite("Engine: one device cannot drown the others")
struct RateLimitTests {
    /// A pendant may send 3 at once, then one every 10 s; a flood is over after 5 minutes within it.
    static let tight = RateLimits(byKind: RateLimits.defaultBudgets.merging([.pendant: EventBudget(burst: 3, perMinute: 6)]) { $1 },
                                  quietMillis: 5 * 60_000)

    func fixture() throws -> EngineFixture { try EngineFixture(rateLimits: Self.tight) }

    func stored(_ f: EngineFixture, _ device: String, _ id: String) throws -> Bool {
        try Inspection(path: f.centre.databasePath).storedPayload(device: device, eventID: id) != nil
    }

    func floodAlarms(_ f: EngineFixture, device: String = "pend-1") throws -> [Alarm] {
        try AlarmStore(try Database(path: f.centre.databasePath, mode: .readOnly)).openAlarms()
            .filter { $0.device == device && $0.type == .deviceFault && $0.reason.hasPrefix("device flooding") }
    }

    @Test func theBurstIsTakenThenTheRestIsRefusedAndNotStoredUntilTheBucketRefills() throws {
        let f = try fixture()
        defer { f.dir.remove() }
        for i in 1...3 { #expect(try f.centre.send(device: "pend-1", f.event(.heartbeat, id: "h-\(i)"))?.status == .accepted) }
        let refused = try #require(try f.centre.send(device: "pend-1", f.event(.heartbeat, id: "h-4")))
        #expect(refused.status == .rejected)
        #expect(refused.reason == "rate_limited")
        #expect(refused.error?.contains("3 at once, then 6 a minute") == true, "\(refused.error ?? "")")
        #expect(String(decoding: WireEncoder().encode(refused), as: UTF8.self).contains(#""reason":"rate_limited""#))
        #expect(try !stored(f, "pend-1", "h-4"))
        // Neither kept as a dead letter (a flood would fill the disk that way too): counted.
        #expect(try Inspection(path: f.centre.databasePath).deadLetters(reason: "rate_limited") == 0)
        #expect(f.centre.engine.counters.byReason["rate_limited"] == 1)
        // 6 a minute: one token back after 10 s, not before.
        try f.centre.advance(by: 9_999)
        #expect(try f.centre.send(device: "pend-1", f.event(.heartbeat, id: "h-5"))?.status == .rejected)
        try f.centre.advance(by: 10_000)
        #expect(try f.centre.send(device: "pend-1", f.event(.heartbeat, id: "h-6"))?.status == .accepted)
        #expect(try f.centre.send(device: "pend-1", f.event(.heartbeat, id: "h-7"))?.status == .rejected)
        // A minute's quiet refills the whole burst, and no more than it.
        try f.centre.advance(by: 60_000)
        for i in 8...10 { #expect(try f.centre.send(device: "pend-1", f.event(.heartbeat, id: "h-\(i)"))?.status == .accepted) }
        #expect(try f.centre.send(device: "pend-1", f.event(.heartbeat, id: "h-11"))?.status == .rejected)
        #expect(f.centre.engine.counters.byReason["rate_limited"] == 4)
        #expect(f.centre.engine.counters.accepted == 7)
    }

    @Test func aResendOfAStoredEventIsStillAnsweredDuplicateNotRefused() throws {
        let f = try fixture()
        defer { f.dir.remove() }
        for i in 1...3 { _ = try f.centre.send(device: "pend-1", f.event(.heartbeat, id: "h-\(i)")) }
        #expect(try f.centre.send(device: "pend-1", f.event(.heartbeat, id: "h-2"))?.status == .duplicate)
    }

    @Test(arguments: [EventType.button, .fall, .smoke, .heat, .co, .gas])
    func anEmergencyPastTheBudgetIsStillRaisedAndStored(type: EventType) throws {
        let f = try fixture()
        defer { f.dir.remove() }
        for i in 1...10 { _ = try f.centre.send(device: "pend-1", f.event(.heartbeat, id: "h-\(i)")) }
        let ack = try #require(try f.centre.send(device: "pend-1", f.event(type, id: "e-1")))
        #expect(ack.status == .accepted)
        #expect(try f.stored(try #require(ack.alarm))?.priority == .emergency)
        #expect(try stored(f, "pend-1", "e-1"))
        // And still refused the rest.
        #expect(try f.centre.send(device: "pend-1", f.event(.lowBattery, id: "b-1"))?.status == .rejected)
    }

    @Test func anotherDeviceKeepsItsOwnBudgetWhileOneFloods() throws {
        let f = try fixture()
        defer { f.dir.remove() }
        for i in 1...50 { _ = try f.centre.send(device: "pend-1", f.event(.heartbeat, id: "h-\(i)")) }
        #expect(try f.centre.send(device: "smoke-1", f.event(.heartbeat, id: "s-1"))?.status == .accepted)
        #expect(try f.centre.send(device: "hub-1", f.event(.power, id: "p-1"))?.status == .accepted)
    }

    @Test func aFloodRaisesOneP3AndANewFloodAfterQuietRaisesAnother() throws {
        let f = try fixture()
        defer { f.dir.remove() }
        for i in 1...3 { _ = try f.centre.send(device: "pend-1", f.event(.heartbeat, id: "h-\(i)")) }
        #expect(try floodAlarms(f).isEmpty)
        // The first event past the budget raises it; the next hundred do not again.
        for i in 4...103 { _ = try f.centre.send(device: "pend-1", f.event(.heartbeat, id: "h-\(i)")) }
        let alarms = try floodAlarms(f)
        #expect(alarms.count == 1)
        let first = try #require(alarms.first)
        #expect(first.priority == .technical)
        #expect(first.reason.contains("from a pendant"), "\(first.reason)")
        #expect(f.centre.engine.counters.floods == 1)
        // The installer resolves it, but the device keeps going over within the quiet period: the
        // same flood, so no new alarm, even across a restart.
        #expect(try f.claim(first.code, by: "op1")?.ok == true)
        #expect(try f.centre.send(operator: "op1", ConsoleCommand(request: "r-resolve", action: .resolve, alarm: first.code, outcome: "false-alarm-device-fault"))?.ok == true)
        for minute in 1...4 {
            try f.centre.advance(by: 60_000)
            for i in 0..<10 { _ = try f.centre.send(device: "pend-1", f.event(.heartbeat, id: "m\(minute)-\(i)")) }
        }
        try f.centre.restart()
        for i in 0..<10 { _ = try f.centre.send(device: "pend-1", f.event(.heartbeat, id: "r-\(i)")) }
        #expect(try floodAlarms(f).isEmpty)
        // Five minutes within budget: the next time over is a new flood, and a new P3.
        try f.centre.advance(by: 5 * 60_000)
        for i in 0..<4 { _ = try f.centre.send(device: "pend-1", f.event(.heartbeat, id: "n-\(i)")) }
        let again = try floodAlarms(f)
        #expect(again.count == 1)
        #expect(again.first?.code != first.code)
    }

    @Test func budgetsAreReadFromTheConfigPerKindOverAGlobalOne() throws {
        let config = try VigilConfig.parse("""
            rate_limit:
              all: { burst: 100, per_minute: 600 }
              kinds:
                pendant: { burst: 5, per_minute: 2 }
              quiet_seconds: 60
            """, source: "test")
        let limits = try config.rateLimits()
        #expect(limits.budget(.pendant) == EventBudget(burst: 5, perMinute: 2))
        #expect(limits.budget(.pir) == EventBudget(burst: 100, perMinute: 600))
        #expect(limits.quietMillis == 60_000)
        #expect(try config.engineSettings().rateLimits == limits)
        // Unset: sensible defaults by kind, every kind covered.
        let defaults = try VigilConfig().rateLimits()
        #expect(defaults == .default)
        #expect(DeviceKind.allCases.allSatisfy { RateLimits.defaultBudgets[$0] != nil })
        #expect(defaults.budget(.pendant).perMinute < defaults.budget(.pir).perMinute)
    }

    @Test(arguments: [
        ("rate_limit:\n  kinds:\n    toaster: { burst: 5, per_minute: 2 }\n", "\"toaster\" is not a device kind"),
        ("rate_limit:\n  all: { burst: 0, per_minute: 2 }\n", "rate_limit.all.burst"),
        ("rate_limit:\n  kinds:\n    pendant: { burst: 5, per_minute: 0 }\n", "rate_limit.kinds.pendant.per_minute"),
    ])
    func aBadBudgetIsRefusedNamingTheKey(yaml: String, message: String) throws {
        let error = #expect(throws: ConfigError.self) { try VigilConfig.parse(yaml, source: "test") }
        #expect(error?.description.contains(message) == true, "\(error?.description ?? "")")
    }
}
