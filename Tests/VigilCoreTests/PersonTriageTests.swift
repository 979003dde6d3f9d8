import Testing
@testable import VigilCore

@Suite("Per-person triage plans")
struct PersonTriageTests {
    let policy = TriagePolicy.default
    static let now: EpochMillis = 1_795_314_847_000
    static let day: EpochMillis = 86_400_000

    func exit() -> DeviceEvent {
        DeviceEvent(deviceID: "door-1", eventID: "e", type: .door, deviceTime: "2026-11-22T02:14:07Z", detail: EventDetail(state: "open", exit: true))
    }

    func vitals(_ v: VitalSigns) -> DeviceEvent {
        DeviceEvent(deviceID: "th-1", eventID: "e", type: .vitals, deviceTime: "2026-11-22T02:14:07Z", detail: EventDetail(vitals: v))
    }

    @Test func dementiaPlanMakesPropertyExitP1AtAnyHour() {
        let plan = PersonTriage(exitAlwaysEmergency: true)
        guard case .raise(let p, _) = policy.classify(exit(), minuteOfDay: 12 * 60, person: plan, now: Self.now) else { Issue.record("not raised"); return }
        #expect(p == .emergency)
        guard case .raise(let q, _) = policy.classify(exit(), minuteOfDay: 12 * 60, person: .none, now: Self.now) else { Issue.record("not raised"); return }
        #expect(q == .urgent)
    }

    @Test func personalNightWindow() {
        let early = PersonTriage(nightStartMinute: 20 * 60, nightEndMinute: 6 * 60)
        guard case .raise(let p, _) = policy.classify(exit(), minuteOfDay: 21 * 60, person: early, now: Self.now) else { Issue.record("not raised"); return }
        #expect(p == .emergency)
        guard case .raise(let q, _) = policy.classify(exit(), minuteOfDay: 6 * 60 + 30, person: early, now: Self.now) else { Issue.record("not raised"); return }
        #expect(q == .urgent)
    }

    @Test func copdPlanUsesSpO2Scale2() {
        // SpO2 88 % on air scores 3 on scale 1 (an urgent alarm) but 0 on scale 2 (a COPD target range).
        let reading = vitals(VitalSigns(spo2: 88))
        guard case .raise(.urgent, _) = policy.classify(reading, minuteOfDay: 600, person: .none, now: Self.now) else { Issue.record("scale 1 should raise"); return }
        guard case .record = policy.classify(reading, minuteOfDay: 600, person: PersonTriage(spo2Scale2: true), now: Self.now) else { Issue.record("scale 2 should record"); return }
    }

    @Test(arguments: [(80.0, 82.0, true), (80.0, 81.9, false), (80.5, 82.5, true)])
    func heartFailureWeightGainOverThreeDays(earlier: Double, today: Double, raises: Bool) {
        let plan = PersonTriage(heartFailure: true)
        let history = [(at: Self.now - 2 * Self.day, kg: earlier), (at: Self.now - Self.day, kg: earlier + 0.5)]
        let d = policy.classify(vitals(VitalSigns(weightKg: today)), minuteOfDay: 600, person: plan, now: Self.now, recentWeights: history)
        if case .raise(.urgent, _) = d { #expect(raises) } else { #expect(!raises) }
    }

    @Test func weightsOlderThanThreeDaysDoNotCount() {
        let plan = PersonTriage(heartFailure: true)
        let history = [(at: Self.now - 4 * Self.day, kg: 78.0)]
        guard case .record = policy.classify(vitals(VitalSigns(weightKg: 81)), minuteOfDay: 600, person: plan, now: Self.now, recentWeights: history) else {
            Issue.record("a gain measured against a 4-day-old weight raised"); return
        }
        // Without a heart-failure plan, weight alone never raises.
        guard case .record = policy.classify(vitals(VitalSigns(weightKg: 90)), minuteOfDay: 600, person: .none, now: Self.now, recentWeights: [(at: Self.now - Self.day, kg: 80)]) else {
            Issue.record("raised without a plan"); return
        }
    }
}
