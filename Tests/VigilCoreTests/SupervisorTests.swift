import Testing
@testable import VigilCore

@Suite("Heartbeat supervision")
struct SupervisorTests {
    static let t0: EpochMillis = 1_795_314_847_000

    @Test func silentPastIntervalPlusGraceIsLost() {
        var s = Supervisor(graceSeconds: 60)
        s.supervise(device: "pend-1", user: "u1", intervalSeconds: 600, isHub: false, lastContact: Self.t0)
        #expect(s.nextDue == Self.t0 + 660_000)
        let early = s.due(now: Self.t0 + 659_999)
        #expect(early.isEmpty)
        let onTime = s.due(now: Self.t0 + 660_000)
        #expect(onTime == [.lost(device: "pend-1", user: "u1", silentSeconds: 660)])
        #expect(s.isLost("pend-1"))
        let later = s.due(now: Self.t0 + 900_000)
        #expect(later.isEmpty) // reported once
        let back = s.contact("pend-1", at: Self.t0 + 901_000)
        #expect(back)
        #expect(!s.isLost("pend-1"))
        let ordinary = s.contact("pend-1", at: Self.t0 + 902_000)
        #expect(!ordinary) // an ordinary heartbeat
    }

    @Test func aHeartbeatPushesTheDeadlineBack() {
        var s = Supervisor(graceSeconds: 60)
        s.supervise(device: "pend-1", user: "u1", intervalSeconds: 600, isHub: false, lastContact: Self.t0)
        _ = s.contact("pend-1", at: Self.t0 + 500_000)
        let stale = s.due(now: Self.t0 + 660_000)
        #expect(stale.isEmpty) // the stale deadline is skipped
        let due = s.due(now: Self.t0 + 1_160_000)
        #expect(due.count == 1)
    }

    @Test func devicesBehindALostHubAreMuted() {
        var s = Supervisor(graceSeconds: 0)
        s.supervise(device: "hub-1", user: "u1", intervalSeconds: 300, isHub: true, lastContact: Self.t0)
        s.supervise(device: "door-1", user: "u1", intervalSeconds: 300, isHub: false, lastContact: Self.t0)
        s.supervise(device: "door-2", user: "u2", intervalSeconds: 300, isHub: false, lastContact: Self.t0)
        let found = s.due(now: Self.t0 + 300_000)
        // The hub is judged first, so its own person's door is muted in the same instant; u2's is not.
        #expect(found == [
            .lost(device: "hub-1", user: "u1", silentSeconds: 300),
            .muted(device: "door-1", user: "u1", hub: "hub-1"),
            .lost(device: "door-2", user: "u2", silentSeconds: 300),
        ])
        // The hub comes back; the door stays silent: at its next check it is reported.
        _ = s.contact("hub-1", at: Self.t0 + 310_000)
        let next = s.due(now: Self.t0 + 600_000)
        #expect(next == [.lost(device: "door-1", user: "u1", silentSeconds: 600)])
    }

    @Test func fiftyThousandDevicesInOneHeap() {
        var s = Supervisor(graceSeconds: 120)
        for i in 0..<50_000 {
            s.supervise(device: "d\(i)", user: "u\(i)", intervalSeconds: 3_600, isHub: false, lastContact: Self.t0 + EpochMillis(i))
        }
        for i in 0..<50_000 where i % 2 == 0 { _ = s.contact("d\(i)", at: Self.t0 + 1_000_000) }
        #expect(s.count == 50_000)
        // Half checked in again; the other half are silent one interval + grace after their last contact.
        let lost = s.due(now: Self.t0 + 3_720_000 + 50_000)
        #expect(lost.count == 25_000)
        let rest = s.due(now: Self.t0 + 4_720_000)
        #expect(rest.count == 25_000)
    }
}

@Suite("Heartbeat supervision after a restart")
struct SupervisorRestartTests {
    @Test func aDeviceAlreadyReportedLostCountsItsNextMessageAsItsReturn() {
        var s = Supervisor(graceSeconds: 60)
        s.supervise(device: "hub-1", user: "u1", intervalSeconds: 600, isHub: true, lastContact: 0, lost: true)
        s.supervise(device: "pend-2", user: "u2", intervalSeconds: 600, isHub: false, lastContact: 0)
        let dueNow = s.due(now: 700_000)
        #expect(dueNow == [.lost(device: "pend-2", user: "u2", silentSeconds: 700)]) // hub-1 is not reported twice
        let back = s.contact("hub-1", at: 800_000)
        #expect(back)
    }
}
