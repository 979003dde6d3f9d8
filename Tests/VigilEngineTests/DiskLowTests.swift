import Foundation
import Testing
import VigilCore
@testable import VigilEngine
import VigilStore
import VigilWire

/// Issue 15, section 8, in process: the floor's state machine, and what the engine takes while the
/// disk is short of space.
@Suite("Engine: a nearly full disk")
struct DiskLowTests {
    @Test func theFloorIsCrossedOnceEachWayWithAMarginOnTheWayBack() {
        var w = DiskWatch(floorBytes: 100 << 20)
        #expect(w.marginBytes == 10 << 20)
        #expect(w.observe(freeBytes: 150 << 20) == .none)
        #expect(w.observe(freeBytes: nil) == .none, "a failed reading changes nothing")
        #expect(w.observe(freeBytes: (100 << 20) - 1) == .becameLow)
        #expect(w.observe(freeBytes: 50 << 20) == .none)
        #expect(w.warning(node: "arc-1")?.contains("arc-1 is nearly full (50 MB free, floor 100 MB)") == true)
        #expect(w.observe(freeBytes: 105 << 20) == .none, "above the floor but inside the margin: still short")
        #expect(w.observe(freeBytes: 110 << 20) == .recovered)
        #expect(w.warning(node: "arc-1") == nil)
        var off = DiskWatch(floorBytes: 0)
        #expect(off.observe(freeBytes: 0) == .none, "a floor of 0 is no floor")
        // A small floor still wants 4 MB back before it trusts the disk again.
        #expect(DiskWatch(floorBytes: 8 << 20).marginBytes == 4 << 20)
    }

    @Test func shortOfDiskOnlyEmergenciesAreStoredAndAckedAndOperatorsCanStillAnswerThem() throws {
        let f = try EngineFixture()
        defer { f.dir.remove() }
        f.centre.engine.diskLow = true
        #expect(try f.centre.send(device: "pend-1", f.event(.lowBattery, id: "lb-1")) == nil, "left unacknowledged: the device resends it")
        #expect(try f.centre.send(device: "pend-1", Array("not json".utf8)) == nil, "not even a dead letter is written")
        let fall = try #require(try f.centre.send(device: "pend-1", f.event(.fall, id: "f-1")))
        #expect(fall.status == .accepted)
        let code = try #require(fall.alarm)
        #expect(try f.claim(code, by: "op1")?.ok == true, "a claim still goes through")
        #expect(f.centre.engine.counters.heldForDisk == 2)
        let inspect = try Inspection(path: f.centre.databasePath)
        #expect(try inspect.storedPayload(device: "pend-1", eventID: "lb-1") == nil)
        #expect(try inspect.deadLetterCounts().isEmpty)

        f.centre.engine.diskLow = false
        #expect(try f.centre.send(device: "pend-1", f.event(.lowBattery, id: "lb-1"))?.status == .accepted, "the resend is taken once space returns")
        #expect(try inspect.storedPayload(device: "pend-1", eventID: "lb-1") != nil)
    }
}
