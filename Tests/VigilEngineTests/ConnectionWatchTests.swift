import Testing
import VigilCore
@testable import VigilEngine

/// The broker's answers over time, judged on given times.
@Suite("Broker login and client id: judged once")
struct ConnectionWatchTests {
    @Test func aLoginRefusedThreeTimesInARowIsFatal() {
        var w = ConnectionWatch()
        #expect(w.connack(5, now: 0) == .fine)
        #expect(w.connack(5, now: 100) == .fine)
        #expect(w.connack(5, now: 300) == .loginRefused(code: 5, times: 3))
        // A broker that is only busy (3: unavailable) is retried for ever; an accepted login resets.
        var busy = ConnectionWatch()
        for t in 0..<10 { #expect(busy.connack(3, now: EpochMillis(t)) == .fine) }
        var healed = ConnectionWatch()
        _ = healed.connack(4, now: 0)
        _ = healed.connack(4, now: 1)
        _ = healed.connack(0, now: 2)
        #expect(healed.connack(4, now: 3) == .fine)
    }

    @Test func connectionsDroppedWithinSecondsAreReportedOnceAsATakeover() {
        var w = ConnectionWatch()
        var verdicts: [ConnectionWatch.Verdict] = []
        for i in 0..<10 {
            let t = EpochMillis(i) * 1_000
            _ = w.connack(0, now: t)
            verdicts.append(w.disconnected(now: t + 120))
        }
        #expect(verdicts.filter { $0 != .fine } == [.clientIDTakenOver(times: 3)])
        #expect(w.quiet)
        // A connection that lasts ends the episode; a later fight is reported again.
        _ = w.connack(0, now: 20_000)
        #expect(w.disconnected(now: 60_000) == .fine)
        #expect(!w.quiet)
    }
}
