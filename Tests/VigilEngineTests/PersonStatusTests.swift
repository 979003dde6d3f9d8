import Testing
import VigilCore
@testable import VigilEngine
import VigilStore
import VigilWire

/// A person away or in hospital, and a device out of use, as the running engine sees them (issue 12,
/// rule 7): the alarm still raises with the status on it; a suspended device's silence raises nothing.
@Suite("Engine: person status and suspended devices")
struct PersonStatusTests {
    /// An administrator's change, made as `vigil` does it: another connection to the same file.
    func registry(_ f: EngineFixture) throws -> Registry {
        Registry(try Database(path: f.centre.databasePath))
    }

    func openCodes(_ f: EngineFixture) -> [String] {
        f.centre.retained.keys.filter { $0.contains("/queue/alarms/") }.map { String($0.split(separator: "/").last!) }.sorted()
    }

    @Test func anAlarmFromSomeoneInHospitalRaisesAndCarriesTheStatus() throws {
        let f = try EngineFixture()
        defer { f.dir.remove() }
        try registry(f).setAbsence(user: "u1", .hospital, since: Day(year: 2026, month: 11, day: 20)!, note: "Ward 7, RVI", now: f.centre.now)
        let ack = try #require(try f.centre.send(device: "pend-1", f.event(.button, id: "b-1")))
        let code = try #require(ack.alarm)
        let entry = try #require(f.queueEntry(code))
        #expect(entry.priority == .emergency)
        #expect(entry.personStatus == "in hospital since 2026-11-20: Ward 7, RVI")
        #expect(entry.person == "Edith Clarke")
    }

    @Test func someoneAtHomeAgainHasNoStatusOnTheirNextAlarm() throws {
        let f = try EngineFixture()
        defer { f.dir.remove() }
        let admin = try registry(f)
        try admin.setAbsence(user: "u1", .away, since: Day(year: 2026, month: 11, day: 21)!, note: nil, now: f.centre.now)
        let first = try #require(try f.centre.send(device: "pend-1", f.event(.button, id: "b-1"))?.alarm)
        #expect(f.queueEntry(first)?.personStatus == "away since 2026-11-21")
        #expect(try admin.clearAbsence(user: "u1", now: f.centre.now))
        #expect(try admin.clearAbsence(user: "u1", now: f.centre.now) == false)
        let second = try #require(try f.centre.send(device: "smoke-1", f.event(.smoke, id: "s-1"))?.alarm)
        #expect(f.queueEntry(second)?.personStatus == nil)
    }

    @Test func anAlarmAfterTheServiceEndedSaysSo() throws {
        // Registered on 2026-11-20 and ended the same day; two days on the pendant is still on the wall.
        let f = try EngineFixture(start: EngineFixture.t0 - 2 * 86_400_000)
        defer { f.dir.remove() }
        try registry(f).endService(user: "u1", on: Day(year: 2026, month: 11, day: 20)!, reason: .residentialCare, now: f.centre.now)
        try f.centre.advance(to: EngineFixture.t0)
        let code = try #require(try f.centre.send(device: "pend-1", f.event(.button, id: "b-1"))?.alarm)
        #expect(f.queueEntry(code)?.priority == .emergency)
        #expect(f.queueEntry(code)?.personStatus == "service ended 2026-11-20")
    }

    @Test func aSuspendedHubRaisesNoNoContactAndResumingWatchesItFromThen() throws {
        let f = try EngineFixture()
        defer { f.dir.remove() }
        let admin = try registry(f)
        try f.centre.advance(by: 60_000)
        try admin.suspendDevice("hub-1", reason: "sent for repair", now: f.centre.now)
        #expect(throws: RegistryError.self) { try admin.suspendDevice("hub-1", reason: "again", now: f.centre.now) }
        // Long past the hub's 600 s + 120 s: nothing, once a registry scan has seen the change.
        try f.centre.advance(by: 3_600_000)
        #expect(openCodes(f).isEmpty)
        // Still an alarm source: a press through a suspended device is raised.
        let press = try #require(try f.centre.send(device: "hub-1", f.event(.button, id: "b-1"))?.alarm)
        #expect(f.queueEntry(press)?.priority == .emergency)
        _ = try f.claim(press, by: "op1")
        #expect(try f.centre.send(operator: "op1", ConsoleCommand(request: "r-done", action: .resolve, alarm: press, outcome: "false-alarm-accidental", text: "Pressed by mistake"))?.ok == true)
        // Resumed: watched from the scan that sees it, a whole interval and grace before silence counts.
        try admin.resumeDevice("hub-1", now: f.centre.now)
        #expect(throws: RegistryError.self) { try admin.resumeDevice("hub-1", now: f.centre.now) }
        try f.centre.advance(by: Supervision.scanMillis)
        let resumedAt = f.centre.now
        try f.centre.advance(to: resumedAt + 720_000 - 1)
        #expect(openCodes(f).isEmpty)
        try f.centre.advance(to: resumedAt + 720_000)
        let lost = try #require(openCodes(f).first)
        #expect(try f.stored(lost)?.isNoContact == true)
        #expect(try f.stored(lost)?.device == "hub-1")
    }

    @Test func changesAreAuditedAndBadInputIsRefusedInWords() throws {
        let f = try EngineFixture()
        defer { f.dir.remove() }
        let admin = try registry(f)
        let day = Day(year: 2026, month: 11, day: 22)!
        #expect(throws: RegistryError.self) { try admin.setAbsence(user: "nobody", .away, since: day, note: nil, now: f.centre.now) }
        #expect(throws: RegistryError.self) { try admin.setAbsence(user: "u1", .away, since: day, note: "", now: f.centre.now) }
        #expect(throws: RegistryError.self) { try admin.suspendDevice("no-such", reason: "gone", now: f.centre.now) }
        #expect(throws: RegistryError.self) { try admin.suspendDevice("pend-1", reason: "", now: f.centre.now) }
        try admin.setAbsence(user: "u1", .hospital, since: day, note: "private ward detail", now: f.centre.now)
        try admin.suspendDevice("pend-1", reason: "in a drawer", now: f.centre.now)
        try admin.resumeDevice("pend-1", now: f.centre.now)
        let db = try Database(path: f.centre.databasePath, mode: .readOnly)
        let rows = try QueueReader(db).audit().filter { ["status-set", "device-suspended", "device-resumed"].contains($0.action) }
            .sorted { $0.at < $1.at }.map { "\($0.action) \($0.detail)" }
        #expect(Set(rows) == ["status-set u1: hospital from 2026-11-22", "device-suspended pend-1: in a drawer", "device-resumed pend-1"])
        #expect(rows.allSatisfy { !$0.contains("private ward detail") })
        #expect(try Registry(db).devices().first { $0.id == "pend-1" }?.suspendedReason == nil)
    }
}
