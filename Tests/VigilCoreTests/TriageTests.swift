import Testing
@testable import VigilCore

@Suite("Default triage table")
struct TriageTests {
    let policy = TriagePolicy.default
    static let noon = 12 * 60
    static let threeAM = 3 * 60

    func event(_ type: EventType, _ detail: EventDetail = EventDetail()) -> DeviceEvent {
        DeviceEvent(deviceID: "d1", eventID: "e1", type: type, deviceTime: "2026-11-22T02:14:07Z", detail: detail)
    }

    /// The priority an imported alarm without one takes is the table's own: the one triage raises
    /// a bare event of the type at (where it raises one), and P1 exactly for the emergencies.
    @Test(arguments: EventType.allCases)
    func theUsualPriorityOfATypeIsWhatTriageRaisesItAt(type: EventType) {
        #expect((type.usualPriority == .emergency) == type.isEmergency)
        if case .raise(let p, _) = policy.classify(event(type), minuteOfDay: Self.noon) { #expect(p == type.usualPriority, "\(type)") }
    }

    func priority(_ d: TriageDecision) -> Priority? {
        if case .raise(let p, _) = d { return p }
        return nil
    }

    /// `EventType.emergencies` (raised even from an unregistered device) is exactly the set triage
    /// raises P1 by type alone, at any hour and with no detail.
    @Test("P1 emergencies", arguments: EventType.allCases)
    func emergencies(type: EventType) {
        for minute in [Self.noon, Self.threeAM] {
            #expect((priority(policy.classify(event(type), minuteOfDay: minute)) == .emergency) == type.isEmergency, "\(type.rawValue) at minute \(minute)")
        }
    }

    @Test("P3 technical and care events", arguments: [EventType.lowBattery, .tamper, .enuresis])
    func technical(type: EventType) {
        #expect(priority(policy.classify(event(type), minuteOfDay: Self.noon)) == .technical)
    }

    @Test("recorded only, no queue item", arguments: [EventType.heartbeat])
    func recorded(type: EventType) {
        if case .record = policy.classify(event(type), minuteOfDay: Self.noon) {} else { Issue.record("\(type) should only be recorded") }
    }

    @Test func propertyExitIsP1AtNightAndP2ByDay() {
        let exit = event(.door, EventDetail(state: "open", exit: true))
        #expect(priority(policy.classify(exit, minuteOfDay: Self.threeAM)) == .emergency)
        #expect(priority(policy.classify(exit, minuteOfDay: Self.noon)) == .urgent)
        // The window's edges: 22:00 is night, 07:00 is day.
        #expect(priority(policy.classify(exit, minuteOfDay: 22 * 60)) == .emergency)
        #expect(priority(policy.classify(exit, minuteOfDay: 22 * 60 - 1)) == .urgent)
        #expect(priority(policy.classify(exit, minuteOfDay: 7 * 60 - 1)) == .emergency)
        #expect(priority(policy.classify(exit, minuteOfDay: 7 * 60)) == .urgent)
    }

    @Test func internalDoorsAndClosingAreRecorded() {
        #expect(priority(policy.classify(event(.door, EventDetail(state: "open", exit: false)), minuteOfDay: Self.threeAM)) == nil)
        #expect(priority(policy.classify(event(.door, EventDetail(state: "closed", exit: true)), minuteOfDay: Self.threeAM)) == nil)
    }

    @Test func nightWindowThatDoesNotWrapMidnight() {
        var p = policy
        p.nightStartMinute = 1 * 60
        p.nightEndMinute = 5 * 60
        #expect(p.isNight(minuteOfDay: 3 * 60))
        #expect(!p.isNight(minuteOfDay: 23 * 60))
    }

    @Test(arguments: [(EventType.bed, "vacated", Priority?.some(.urgent)), (.bed, "occupied", nil), (.chair, "vacated", .urgent),
                      (.medication, "missed", .technical), (.medication, "taken", nil), (.medication, "late", nil),
                      (.power, "lost", .technical), (.power, "restored", nil)])
    func stateDependentTypes(type: EventType, state: String, expected: Priority?) {
        #expect(priority(policy.classify(event(type, EventDetail(state: state)), minuteOfDay: Self.noon)) == expected)
    }

    @Test func welfareRisks() {
        #expect(priority(policy.classify(event(.inactivity, EventDetail(minutes: 240)), minuteOfDay: Self.noon)) == .urgent)
        #expect(priority(policy.classify(event(.flood), minuteOfDay: Self.noon)) == .urgent)
    }

    @Test(arguments: [(12.0, Priority?.some(.urgent)), (12.1, nil), (21.0, nil), (29.9, nil), (30.0, .urgent), (-5.0, .urgent)])
    func extremeTemperature(celsius: Double, expected: Priority?) {
        #expect(priority(policy.classify(event(.temperature, EventDetail(celsius: celsius)), minuteOfDay: Self.noon)) == expected)
    }

    @Test func cancelAndClearAreTheirOwnDecisions() {
        #expect(policy.classify(event(.cancel), minuteOfDay: Self.noon) == .cancel)
        #expect(policy.classify(event(.clear), minuteOfDay: Self.noon) == .clear)
    }

    @Test func vitalsByNEWS2Band() {
        // Aggregate 7 (SpO2 91 → 3, pulse 131 → 3, respiration 21 → 2 = 8): emergency.
        let bad = VitalSigns(spo2: 91, pulse: 131, respiration: 21)
        #expect(priority(policy.classify(event(.vitals, EventDetail(vitals: bad)), minuteOfDay: Self.noon)) == .emergency)
        // Aggregate 5 (SpO2 93 → 2, pulse 111 → 2, temperature 38.5 → 1): urgent.
        let five = VitalSigns(spo2: 93, pulse: 111, temperature: 38.5)
        #expect(priority(policy.classify(event(.vitals, EventDetail(vitals: five)), minuteOfDay: Self.noon)) == .urgent)
        // A single 3 on its own (systolic 90): urgent.
        #expect(priority(policy.classify(event(.vitals, EventDetail(vitals: VitalSigns(systolic: 90))), minuteOfDay: Self.noon)) == .urgent)
        // Aggregate 4, nothing at 3: recorded.
        let four = VitalSigns(spo2: 93, pulse: 111)
        #expect(priority(policy.classify(event(.vitals, EventDetail(vitals: four)), minuteOfDay: Self.noon)) == nil)
    }

    /// NEWS2 does not score glucose: the hypoglycaemia levels do, at their edges.
    @Test(arguments: [
        (2.0, Priority.emergency), (2.99, .emergency), (3.0, .urgent), (3.89, .urgent), (3.9, nil), (7.5, nil), (22.0, nil),
    ] as [(Double, Priority?)])
    func glucoseByHypoglycaemiaLevel(mmol: Double, expected: Priority?) {
        let decision = policy.classify(event(.vitals, EventDetail(vitals: VitalSigns(glucoseMmol: mmol))), minuteOfDay: Self.noon)
        #expect(priority(decision) == expected)
        if expected != nil, case .raise(_, let reason) = decision { #expect(reason.contains("glucose")) }
    }

    @Test func theWorseOfNEWS2AndGlucoseDecides() {
        // NEWS2 5 (urgent) with glucose 2.4 (emergency): an emergency, and the reason says both.
        let both = VitalSigns(spo2: 93, pulse: 111, temperature: 38.5, glucoseMmol: 2.4)
        let decision = policy.classify(event(.vitals, EventDetail(vitals: both)), minuteOfDay: Self.noon)
        #expect(decision == .raise(.emergency, reason: "NEWS2 5, glucose 2.4 mmol/L"))
        // NEWS2 8 with a normal glucose: the score alone.
        let bad = VitalSigns(spo2: 91, pulse: 131, respiration: 21, glucoseMmol: 6.1)
        #expect(policy.classify(event(.vitals, EventDetail(vitals: bad)), minuteOfDay: Self.noon) == .raise(.emergency, reason: "NEWS2 8"))
    }
}
