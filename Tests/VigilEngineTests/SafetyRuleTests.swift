import Testing
import VigilCore
@testable import VigilEngine
import VigilStore
import VigilWire

/// Rules of the alarm path a centre never breaks, on virtual time.
@Suite("Engine: alarm-path safety rules")
struct SafetyRuleTests {
    /// The fixture's clock starts at 02:14 UTC (night): a registered exit door opening is an emergency
    /// even when the event leaves `detail.exit` out.
    @Test func aRegisteredExitDoorCountsWhenTheEventOmitsTheFlag() throws {
        let f = try EngineFixture(devices: EngineFixture.household + [
            DeviceRecord(id: "door-front", userID: "u1", kind: .door, propertyExit: true),
            DeviceRecord(id: "door-kitchen", userID: "u1", kind: .door),
        ])
        defer { f.dir.remove() }
        let front = try #require(try f.centre.send(device: "door-front", f.event(.door, id: "d1", detail: ["state": .string("open")])))
        let code = try #require(front.alarm)
        #expect(try f.stored(code)?.priority == .emergency)
        #expect(try f.stored(code)?.reason == "property exit at night")
        // An internal door, same event: recorded only.
        let kitchen = try #require(try f.centre.send(device: "door-kitchen", f.event(.door, id: "d2", detail: ["state": .string("open")])))
        #expect(kitchen.status == .accepted)
        #expect(kitchen.alarm == nil)
        // The event's own word still counts: an exit door that reports `exit: false` is not one this time.
        let said = try #require(try f.centre.send(device: "door-front", f.event(.door, id: "d3", detail: ["state": .string("open"), "exit": .bool(false)])))
        #expect(said.status == .accepted)
        #expect(said.alarm == nil)
    }
}
