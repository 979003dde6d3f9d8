import Foundation
import Testing
import VigilCore
@testable import VigilEngine
import VigilStore
import VigilTesting
import VigilText
import VigilWire

/// An event held at the broker during an outage, or buffered by the device, arrives looking fresh:
/// its alarm carries the device's own time, so the queue entry and the detail pane can say how late it
/// is, and a restart (which reads the alarm back from the database) keeps it.
@Suite("Engine: alarms delivered late")
struct LateDeliveryTests {
    @Test func aFallSentTwelveMinutesBeforeItArrivesIsShownLateAndStaysSoAfterARestart() throws {
        let f = try EngineFixture()
        defer { f.dir.remove() }
        let sent = f.centre.now - 12 * 60_000
        let fall = WireEncoder().encode(EventMessage(id: "f1", ts: RFC3339.format(millis: sent), type: .fall))
        let code = try #require(try f.centre.send(device: "pend-1", fall)?.alarm)

        let entry = try #require(f.queueEntry(code))
        #expect(entry.sentAt == sent)
        #expect(entry.deliveredLateBy == EpochMillis(12 * 60_000))
        #expect(try f.stored(code)?.sentAt == sent)

        try f.centre.restart()
        try f.centre.advance(by: 1_000)
        #expect(f.queueEntry(code)?.deliveredLateBy == EpochMillis(12 * 60_000))

        let detail = try DetailReader(try Database(path: f.centre.databasePath, mode: .readOnly), timeZone: try #require(TimeZone(identifier: "UTC"))).detail(alarm: try #require(try f.stored(code)))
        let line = try #require(detail.events.first)
        #expect(line.right.hasSuffix("delivered \(Age.text(12 * 60_000)) late"))
        #expect(line.left.contains("(sent \(RFC3339.format(millis: sent).prefix(16).split(separator: "T").joined(separator: " ")))"))
    }

    @Test(arguments: [0, -59_000, 300_000] as [EpochMillis])
    func anEventOnTimeOrWithinAMinuteOrFromAClockAheadIsNotLate(offset: EpochMillis) throws {
        let f = try EngineFixture()
        defer { f.dir.remove() }
        let message = EventMessage(id: "b1", ts: RFC3339.format(millis: f.centre.now + offset), type: .button)
        let code = try #require(try f.centre.send(device: "pend-1", WireEncoder().encode(message))?.alarm)
        #expect(f.queueEntry(code)?.sentAt == f.centre.now + offset)
        #expect(f.queueEntry(code)?.deliveredLateBy == nil)
    }

    /// A time that is not RFC 3339 is replaced by the receive time and named in a warning: not late.
    @Test func anUnreadableDeviceTimeIsNotLate() throws {
        let f = try EngineFixture()
        defer { f.dir.remove() }
        let bad = try #require(try f.centre.send(device: "pend-1", WireEncoder().encode(EventMessage(id: "x", ts: "yesterday", type: .button))))
        #expect(bad.warnings?.isEmpty == false)
        #expect(f.queueEntry(try #require(bad.alarm))?.deliveredLateBy == nil)
    }
}

@Suite("The detail pane's times")
struct DetailTimesTests {
    /// 2026-07-01 02:14:07 UTC is 03:14 in London (BST): the detail pane says 03:14, as the operator's
    /// own clock does.
    @Test func theDetailPaneShowsTheCentresWallClockTime() throws {
        let london = try #require(TimeZone(identifier: "Europe/London"))
        let summer: EpochMillis = 1_782_872_047_000
        let f = try EngineFixture(start: summer, timeZone: london)
        defer { f.dir.remove() }
        let code = try #require(try f.centre.send(device: "pend-1", f.event(.button, id: "b1"))?.alarm)
        let reply = try #require(try f.centre.send(operator: "op1", ConsoleCommand(request: "d1", action: .detail, alarm: code)))
        let detail = try #require(reply.detail)
        #expect(detail.events.first?.left.hasPrefix("2026-07-01 03:14") == true, "\(detail.events)")
        #expect(!detail.audit.isEmpty)
        #expect(detail.audit.allSatisfy { $0.left.hasPrefix("2026-07-01 03:14") }, "\(detail.audit)")
    }

    /// A refused repeat request says when it was carried out by the same clock.
    @Test func aRefusedRepeatSaysWhenInTheCentresTime() throws {
        let f = try EngineFixture(start: 1_782_872_047_000, timeZone: try #require(TimeZone(identifier: "Europe/London")))
        defer { f.dir.remove() }
        let code = try #require(try f.centre.send(device: "pend-1", f.event(.button, id: "b1"))?.alarm)
        let claim = ConsoleCommand(request: "same", action: .claim, alarm: code)
        #expect(try f.centre.send(operator: "op1", claim)?.ok == true)
        let again = try #require(try f.centre.send(operator: "op1", claim))
        #expect(again.ok == false)
        #expect(again.error?.contains("already carried out at 2026-07-01 03:14;") == true, "\(again.error ?? "")")
    }

    /// In winter London is on UTC, and so is the pane.
    @Test func inWinterLondonsPaneReadsAsUTC() throws {
        let f = try EngineFixture(timeZone: try #require(TimeZone(identifier: "Europe/London")))
        defer { f.dir.remove() }
        let code = try #require(try f.centre.send(device: "pend-1", f.event(.button, id: "b1"))?.alarm)
        let reply = try #require(try f.centre.send(operator: "op1", ConsoleCommand(request: "d1", action: .detail, alarm: code)))
        let detail = try #require(reply.detail)
        #expect(detail.events.first?.left.hasPrefix("2026-11-22 02:34") == true, "\(detail.events)")
    }
}
