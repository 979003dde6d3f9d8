import Testing
import VigilCore
import VigilSimulation
import VigilWire

@Suite("Device models: nights, doses, vitals, heartbeats and batteries on virtual time")
struct DailyLifeModelTests {
    @Test func bedVacatedOnlyInTheNightWindowAfterTheReturnPeriod() {
        var m = OccupancyModel(type: .bed, windowStart: 23 * 60, windowEnd: 6 * 60, getUpChance: 0.5, returnChance: 0.9, lateReturnChance: 0.7)
        let events = run(&m, days: 10_000)
        let vacated = events.filter { $0.detail["state"] == .string("vacated") }
        let occupied = events.filter { $0.detail["state"] == .string("occupied") }
        // A vacated report per night with probability 0.5 × 0.1.
        #expect(withinBinomial(vacated.count, of: 10_000, p: 0.05), "\(vacated.count) nights")
        #expect(withinBinomial(occupied.count, of: vacated.count, p: 0.7))
        for v in vacated {
            // Up no earlier than 23:00, so vacated no earlier than 23:30 and within the window.
            let minute = VirtualTime.minuteOfDay(v.at)
            #expect(minute >= 23 * 60 + 30 || minute <= 6 * 60, "vacated at minute \(minute)")
        }
        for o in occupied { #expect(vacated.contains { o.at > $0.at && o.at - $0.at <= 90 * VirtualTime.minute }) }
    }

    @Test func propertyExitsHappenAtTheirRatesByNightAndByDayAndTheDoorCloses() {
        var m = PropertyExitModel(nightExitsPerNight: 0.2, dayExitsPerDay: 1)
        let events = run(&m, days: 5_000)
        let opens = events.filter { $0.detail["state"] == .string("open") }
        let night = opens.filter { m.isNight($0.at) }
        #expect(withinPoisson(night.count, mean: 1_000), "\(night.count) night exits")
        #expect(withinPoisson(opens.count - night.count, mean: 5_000), "\(opens.count - night.count) day exits")
        #expect(opens.allSatisfy { $0.detail["exit"] == .bool(true) })
        #expect(events.filter { $0.detail["state"] == .string("closed") }.count == opens.count)
    }

    @Test func medicationFollowsTheScheduleAndMissesAtItsShare() {
        var m = MedicationModel(doses: [8 * 60, 20 * 60], missedShare: 0.05, lateShare: 0.1)
        let events = run(&m, days: 3_000)
        #expect(events.count == 6_000)
        let missed = events.filter { $0.detail["state"] == .string("missed") }
        #expect(withinBinomial(missed.count, of: 6_000, p: 0.05), "\(missed.count) missed")
        // A missed dose is reported an hour after it was due.
        #expect(missed.allSatisfy { [9 * 60, 21 * 60].contains(VirtualTime.minuteOfDay($0.at)) })
        let policy = TriagePolicy.default
        for e in missed.prefix(3) {
            let decision = policy.classify(DeviceEvent(deviceID: "d", eventID: "e", type: .medication, deviceTime: "", detail: EventDetail(state: "missed")), minuteOfDay: 0)
            _ = e
            #expect(decision == .raise(.technical, reason: "medication missed"))
        }
    }

    @Test func telehealthIsDailyWellIsNEWS2ZeroAndDeteriorationCrossesFiveAndSeven() {
        var m = TelehealthModel(readingMinute: 9 * 60, deteriorationsPerDay: 1.0 / 90)
        let events = run(&m, days: 3_650)
        #expect(events.count == 3_650)
        #expect(events.allSatisfy { VirtualTime.minuteOfDay($0.at) == 9 * 60 })
        let news2 = NEWS2()
        let scores = events.map { news2.score($0.vitals!).aggregate }
        // About forty episodes in ten years; most days well.
        #expect(scores.filter { $0 == 0 }.count > 3_000)
        #expect(scores.contains { $0 >= 5 && $0 < 7 })
        #expect(scores.contains { $0 >= 7 })
        // Triage of the same readings raises urgent and emergency alarms.
        let policy = TriagePolicy.default
        let raised = events.map { e in
            policy.classify(DeviceEvent(deviceID: "d", eventID: "e", type: .vitals, deviceTime: "", detail: EventDetail(vitals: e.vitals!)), minuteOfDay: 0)
        }
        #expect(raised.contains { if case .raise(.emergency, _) = $0 { true } else { false } })
        #expect(raised.contains { if case .raise(.urgent, _) = $0 { true } else { false } })
    }

    @Test(arguments: [0.0, 0.5, 0.75, 1.0])
    func vitalsScoreRisesWithSeverity(severity: Double) {
        var rng = SplitMix64(seed: 3)
        let scores = (0..<500).map { _ in NEWS2().score(TelehealthModel.vitals(severity: severity, rng: &rng)).aggregate }
        switch severity {
        case 0: #expect(scores.allSatisfy { $0 == 0 })
        case 0.5: #expect(scores.allSatisfy { $0 >= 1 })
        case 0.75: #expect(scores.allSatisfy { $0 >= 5 })
        default: #expect(scores.allSatisfy { $0 >= 7 })
        }
    }

    @Test(arguments: [(60, 1), (3_600, 7), (90_000, 13)])
    func heartbeatsLandExactlyEveryIntervalWhateverTheWindows(intervalSeconds: Int, windowSeconds: Int) {
        let interval = EpochMillis(intervalSeconds) * 1_000
        var m = HeartbeatModel(interval: interval, phase: 12_345)
        let events = run(&m, days: 20, window: EpochMillis(windowSeconds) * 1_000)
        #expect(events.allSatisfy { $0.type == .heartbeat })
        #expect(events.count == Int(20 * VirtualTime.day / interval) || events.count == Int(20 * VirtualTime.day / interval) + 1)
        for (a, b) in zip(events, events.dropFirst()) { #expect(b.at - a.at == interval) }
        #expect(events.allSatisfy { ($0.at - 12_345) % interval == 0 })
    }

    @Test func batteryDriftsDownOneLowReportPerCrossingThenIsReplaced() {
        var rng = SplitMix64(seed: 9)
        var device = SimulatedDevice(id: "p", kind: .pendant, models: [], heartbeat: HeartbeatModel(interval: VirtualTime.hour), battery: BatteryDrain(startLevel: 40, perDay: 1, lowMark: 15))
        var events: [ScheduledEvent] = []
        var t: EpochMillis = 0
        while t < 200 * VirtualTime.day {
            events += device.events(from: t, to: t + VirtualTime.day, rng: &rng)
            t += VirtualTime.day
        }
        let lows = events.filter { $0.type == .lowBattery }
        // 40 % at 1 %/day: low after 25 days; then replaced to 100 %, low again 85 days later.
        #expect(lows.count == 2)
        #expect(lows.allSatisfy { $0.battery == 15 || $0.battery == 14 })
        let levels = events.compactMap(\.battery)
        #expect(levels.count == events.count)
        var rises = 0
        for (a, b) in zip(levels, levels.dropFirst()) where b > a {
            rises += 1
            // Replaced with a new one, drained for at most an hour since: 99 % or 100 %.
            #expect(b >= 99, "a battery only goes up when it is replaced")
        }
        #expect(rises == 2)
        #expect(levels.first == 40)
    }

    @Test func roomTemperatureColdSpellsReachTheWelfareLimit() {
        var m = RoomTemperatureModel(every: 4 * VirtualTime.hour, coldSpellsPerDay: 1.0 / 30, heatSpellsPerDay: 1.0 / 60)
        let events = run(&m, days: 1_000)
        #expect(events.count == 6_000)
        let c = events.compactMap { if case .number(let x)? = $0.detail["celsius"] { x } else { nil } }
        #expect(c.count == events.count)
        #expect(c.contains { $0 <= 12 } && c.contains { $0 >= 30 })
        #expect(c.filter { $0 > 12 && $0 < 30 }.count > 5_000)
    }

    @Test(arguments: DeviceKind.allCases)
    func everyKindSendsEventsVigilAccepts(kind: DeviceKind) {
        var rng = SplitMix64(seed: UInt64(kind.rawValue.utf8.count))
        var device = SimulatedDevice.standard(id: "d-\(kind.rawValue)", kind: kind, dementia: true, rng: &rng)
        var events: [ScheduledEvent] = []
        var t: EpochMillis = 1_790_000_000_000
        // Ten years: CO and gas detectors go off about once in two years.
        for _ in 0..<3_650 {
            events += device.events(from: t, to: t + VirtualTime.day, rng: &rng)
            t += VirtualTime.day
        }
        #expect(events.contains { $0.type != .heartbeat }, "ten years of a \(kind.rawValue) report something besides heartbeats")
        let wire = WireEncoder()
        for (i, e) in events.enumerated() where e.type != .heartbeat || i < 50 {
            switch EventDecoder.decode(wire.encode(e.wireMessage(id: "e\(i)")), deviceID: device.id, receivedAt: 0) {
            case .success(let decoded): #expect(decoded.type == e.type)
            case .failure(let r): Issue.record("\(kind.rawValue) \(e.type.rawValue) rejected: \(r)")
            }
        }
    }
}
