import Testing
@testable import VigilCore

/// Every band edge of the RCP NEWS2 chart (2017).
@Suite("NEWS2 scoring")
struct NEWS2Tests {
    @Test(arguments: [(8.0, 3), (9, 1), (11, 1), (12, 0), (20, 0), (21, 2), (24, 2), (25, 3)])
    func respiration(rate: Double, score: Int) { #expect(NEWS2.respiration(rate) == score) }

    @Test(arguments: [(91.0, 3), (92, 2), (93, 2), (94, 1), (95, 1), (96, 0), (100, 0)])
    func spo2Scale1(spo2: Double, score: Int) { #expect(NEWS2.spo2Scale1(spo2) == score) }

    @Test(arguments: [(83.0, false, 3), (84, false, 2), (85, false, 2), (86, false, 1), (87, false, 1), (88, false, 0),
                      (92, false, 0), (97, false, 0), (93, true, 1), (94, true, 1), (95, true, 2), (96, true, 2), (97, true, 3)])
    func spo2Scale2(spo2: Double, oxygen: Bool, score: Int) { #expect(NEWS2.spo2Scale2(spo2, onOxygen: oxygen) == score) }

    @Test(arguments: [(90.0, 3), (91, 2), (100, 2), (101, 1), (110, 1), (111, 0), (219, 0), (220, 3)])
    func systolic(sbp: Double, score: Int) { #expect(NEWS2.systolic(sbp) == score) }

    @Test(arguments: [(40.0, 3), (41, 1), (50, 1), (51, 0), (90, 0), (91, 1), (110, 1), (111, 2), (130, 2), (131, 3)])
    func pulse(hr: Double, score: Int) { #expect(NEWS2.pulse(hr) == score) }

    @Test(arguments: [(35.0, 3), (35.1, 1), (36.0, 1), (36.1, 0), (38.0, 0), (38.1, 1), (39.0, 1), (39.1, 2)])
    func temperature(t: Double, score: Int) { #expect(NEWS2.temperature(t) == score) }

    @Test func consciousnessAndOxygenAddToTheAggregate() {
        let s = NEWS2().score(VitalSigns(spo2: 96, consciousness: .confusion, onOxygen: true))
        #expect(s.aggregate == 5)   // SpO2 0 + oxygen 2 + new confusion 3
        #expect(s.highestSingle == 3)
        #expect(s.parameters == 3)
    }

    @Test func missingParametersScoreNothing() {
        #expect(NEWS2().score(VitalSigns()) == .init(aggregate: 0, highestSingle: 0, parameters: 0))
    }
}
