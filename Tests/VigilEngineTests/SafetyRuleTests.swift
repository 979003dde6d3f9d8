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

    /// The night window is read on the centre's clock (Europe/London), across both clock changes of
    /// 2026: Sunday 29 March 01:00 UTC (GMT → BST) and Sunday 25 October 01:00 UTC (BST → GMT). Each
    /// case states the UTC instant and the local time a person at the door would read.
    @Test(arguments: [
        // Saturday 28 March, 21:30 UTC = 21:30 GMT: day (the night starts at 22:00).
        ("2026-03-28T21:30:00Z", Priority.urgent),
        // Saturday 28 March, 22:30 UTC = 22:30 GMT: night.
        ("2026-03-28T22:30:00Z", .emergency),
        // Sunday 29 March, 05:30 UTC = 06:30 BST, the first morning of summer time: still night (ends 07:00).
        ("2026-03-29T05:30:00Z", .emergency),
        // Sunday 29 March, 06:30 UTC = 07:30 BST: day, though a UTC clock would read 06:30, night.
        ("2026-03-29T06:30:00Z", .urgent),
        // Sunday 29 March, 21:30 UTC = 22:30 BST: night, though a UTC clock would read 21:30, day.
        ("2026-03-29T21:30:00Z", .emergency),
        // Saturday 24 October, 21:30 UTC = 22:30 BST: night.
        ("2026-10-24T21:30:00Z", .emergency),
        // Sunday 25 October, 00:30 UTC = 01:30 BST, the first of the two 01:30s that night: night.
        ("2026-10-25T00:30:00Z", .emergency),
        // Sunday 25 October, 06:30 UTC = 06:30 GMT, the first morning of winter time: still night
        // (a clock left on summer time would read 07:30, day).
        ("2026-10-25T06:30:00Z", .emergency),
        // Sunday 25 October, 07:30 UTC = 07:30 GMT: day.
        ("2026-10-25T07:30:00Z", .urgent),
        // Sunday 25 October, 21:30 UTC = 21:30 GMT: day.
        ("2026-10-25T21:30:00Z", .urgent),
    ])
    func theNightIsTheCentresNightAcrossClockChanges(utc: String, expected: Priority) throws {
        let at = try #require(RFC3339.millis(utc))
        let f = try EngineFixture(devices: EngineFixture.household + [DeviceRecord(id: "door-front", userID: "u1", kind: .door, propertyExit: true)],
                                  start: at, timeZone: try VigilConfig().timeZone())
        defer { f.dir.remove() }
        let ack = try #require(try f.centre.send(device: "door-front", f.event(.door, id: "d1", detail: ["state": .string("open")])))
        let code = try #require(ack.alarm)
        #expect(try f.stored(code)?.priority == expected)
    }

    @Test func theTimeZoneSettingIsCheckedAndDefaultsToLondon() throws {
        #expect(try VigilConfig().timeZone().identifier == "Europe/London")
        #expect(throws: (any Error).self) { try VigilConfig.parse("timezone: Mars/Olympus", source: "test").timeZone() }
        #expect(try VigilConfig.parse("timezone: Europe/Dublin", source: "test").timeZone().identifier == "Europe/Dublin")
    }
}

/// An emergency from a device nobody registered, on virtual time.
@Suite("Engine: an alarm from someone we do not know is still an alarm")
struct UnregisteredCallerTests {
    @Test(arguments: Array(EventType.emergencies).sorted { $0.rawValue < $1.rawValue })
    func anEmergencyFromAnUnregisteredDeviceIsRaisedP1ForIdentification(type: EventType) throws {
        let f = try EngineFixture()
        defer { f.dir.remove() }
        let ack = try #require(try f.centre.send(device: "pend-restored", f.event(type, id: "e1")))
        #expect(ack.status == .accepted)
        let code = try #require(ack.alarm)
        let alarm = try #require(try f.stored(code))
        #expect(alarm.priority == .emergency)
        #expect(alarm.user == UnidentifiedCaller.userID)
        #expect(alarm.device == "pend-restored")
        #expect(alarm.reason.contains("unregistered device pend-restored"))
        #expect(alarm.reason.contains("identify the caller"))
        // Consoles see it, under a name that says what it is.
        #expect(f.queueEntry(code)?.person == "Unidentified caller")
        #expect(f.queueEntry(code)?.priority == .emergency)
        // It escalates as any P1 does.
        try f.centre.advance(by: 61_000)
        #expect(try f.stored(code)?.escalation == 1)
        // The message itself is kept as received, as every unknown device's is, and counted as
        // accepted, not as a rejection.
        #expect(try Inspection(path: f.centre.databasePath).deadLetters(reason: "unknown_device") == 1)
        #expect(f.centre.engine.counters.accepted == 1)
        #expect(f.centre.engine.counters.rejected == 0)
    }

    @Test func resendsAreDuplicatesAndRepeatsJoinTheOpenAlarm() throws {
        let f = try EngineFixture()
        defer { f.dir.remove() }
        let first = try #require(try f.centre.send(device: "pend-restored", f.event(.button, id: "e1")))
        let again = try #require(try f.centre.send(device: "pend-restored", f.event(.button, id: "e1")))
        #expect(again.status == .duplicate)
        #expect(again.alarm == first.alarm)
        let repeatPress = try #require(try f.centre.send(device: "pend-restored", f.event(.button, id: "e2")))
        #expect(repeatPress.status == .accepted)
        #expect(repeatPress.alarm == first.alarm)
        #expect(try f.stored(try #require(first.alarm))?.events == 2)
        // An operator can claim and resolve it like any other.
        let code = try #require(first.alarm)
        #expect(try f.claim(code, by: "op1")?.ok == true)
    }

    @Test func somethingThatIsNotAnEmergencyFromAnUnregisteredDeviceIsOnlyKept() throws {
        let f = try EngineFixture()
        defer { f.dir.remove() }
        for (i, type) in [EventType.heartbeat, .lowBattery, .door, .cancel].enumerated() {
            let ack = try #require(try f.centre.send(device: "ghost-2", f.event(type, id: "g\(i)")))
            #expect(ack.status == .rejected)
            #expect(ack.alarm == nil)
        }
        #expect(f.centre.retained.keys.filter { $0.contains("/queue/alarms/") }.isEmpty)
    }
}
