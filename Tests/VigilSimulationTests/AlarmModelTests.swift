import Testing
import VigilCore
import VigilSimulation
import VigilWire

@Suite("Device models: alarms, cancels and clears on virtual time")
struct AlarmModelTests {
    @Test func pendantPressesAtItsRateAndCancelsFollowWithinThirtySeconds() {
        var m = PendantModel(pressesPerDay: 1.0 / 30, cancelShare: 1.0 / 3)
        let events = run(&m, days: 10_000)
        let presses = events.filter { $0.type == .button }
        let cancels = events.filter { $0.type == .cancel }
        // 10,000 days at one a month: mean 333.3, four sigma ±73.
        #expect(withinPoisson(presses.count, mean: 10_000.0 / 30), "\(presses.count) presses")
        #expect(withinBinomial(cancels.count, of: presses.count, p: 1.0 / 3), "\(cancels.count) cancels of \(presses.count)")
        for c in cancels {
            let press = presses.last { $0.at < c.at }
            #expect(press != nil)
            if let press { #expect(c.at - press.at >= 3_000 && c.at - press.at <= 30_000) }
        }
    }

    @Test func theSameSeedRepeatsTheSameRun() {
        var a = FallDetectorModel(), b = FallDetectorModel()
        var c = FallDetectorModel()
        let first = run(&a, days: 2_000), second = run(&b, days: 2_000), other = run(&c, days: 2_000, seed: 7)
        #expect(first == second)
        #expect(first != other)
    }

    @Test func fallDetectorFalsePositivesOutnumberFallsAndOnlyTheyAreCancelled() {
        var m = FallDetectorModel(fallsPerDay: 1.0 / 120, falsePositivesPerDay: 1.0 / 60, cancelShare: 0.6)
        let events = run(&m, days: 20_000)
        let falls = events.filter { $0.type == .fall }
        let falsePositives = falls.filter { $0.detail["false_positive"] == .bool(true) }
        let real = falls.count - falsePositives.count
        #expect(withinPoisson(real, mean: 20_000.0 / 120), "\(real) falls")
        #expect(withinPoisson(falsePositives.count, mean: 20_000.0 / 60), "\(falsePositives.count) false positives")
        let cancels = events.filter { $0.type == .cancel }
        #expect(withinBinomial(cancels.count, of: falsePositives.count, p: 0.6))
        // Each cancel answers a false positive of the last 30 s; a real fall is never cancelled.
        for c in cancels {
            let last = falls.last { $0.at < c.at }
            #expect(last?.detail["false_positive"] == .bool(true))
            #expect(c.at - (last?.at ?? 0) <= 30_000)
        }
        for f in falls {
            guard case .number(let conf)? = f.detail["confidence"] else { Issue.record("no confidence"); continue }
            #expect(f.detail["false_positive"] == nil ? conf >= 0.85 : conf <= 0.8)
        }
    }

    @Test(arguments: [DeviceKind.smoke, .heat, .co, .gas, .flood])
    func hazardIsFollowedByClear(kind: DeviceKind) {
        var m = HazardModel(kind: kind)
        let events = run(&m, days: 36_500, window: VirtualTime.day)
        let alarms = events.filter { $0.type != .clear }
        let clears = events.filter { $0.type == .clear }
        #expect(!alarms.isEmpty)
        #expect(alarms.allSatisfy { $0.type.rawValue == (kind == .flood ? "flood" : kind.rawValue) })
        #expect(withinPoisson(alarms.count, mean: m.activations.perDay * 36_500))
        // Every activation is cleared within its clear-after range, and every clear follows one.
        #expect(clears.count == alarms.count)
        for a in alarms {
            #expect(clears.contains { $0.at - a.at >= m.clearAfter.lowerBound && $0.at - a.at <= m.clearAfter.upperBound })
        }
    }

    @Test func homeUnitRestoresPowerAfterEveryCut() {
        var m = HomeUnitModel(powerCutsPerDay: 0.05, tampersPerDay: 0.01)
        let events = run(&m, days: 10_000)
        let lost = events.filter { $0.type == .power && $0.detail["state"] == .string("lost") }
        let restored = events.filter { $0.type == .power && $0.detail["state"] == .string("restored") }
        #expect(withinPoisson(lost.count, mean: 500))
        #expect(withinPoisson(events.filter { $0.type == .tamper }.count, mean: 100))
        #expect(restored.count == lost.count)
        for l in lost { #expect(restored.contains { $0.at - l.at >= m.outage.lowerBound && $0.at - l.at <= m.outage.upperBound }) }
    }

    @Test func inactivityAlertsCarryMinutesWithoutMovement() {
        var m = SimpleAlarmModel(type: .inactivity, perDay: 0.1)
        let events = run(&m, days: 5_000)
        #expect(withinPoisson(events.count, mean: 500))
        for e in events {
            guard case .number(let minutes)? = e.detail["minutes"] else { Issue.record("no minutes"); continue }
            #expect(minutes >= 120 && minutes <= 480)
        }
    }
}
