import Testing
import VigilCore
import VigilSimulation

/// The simulated handset's journeys: inside their band, in order, and late ones past the target.
@Suite("Responder handset model")
struct HandsetModelTests {
    @Test func journeysStayInTheirBandAndEachStageFollowsTheLast() {
        var rng = SplitMix64(seed: 7)
        for band in TravelBand.allCases {
            let model = HandsetModel(band: band, lateShare: 0)
            for _ in 0..<200 {
                let plan = model.plan(rng: &rng)
                #expect(plan.map(\.stage) == [.enRoute, .onSite, .accessGained, .left])
                #expect(plan.map(\.afterMillis) == plan.map(\.afterMillis).sorted())
                let travel = Double(plan[1].afterMillis - plan[0].afterMillis) / 60_000
                #expect(band.minutes.contains(travel), "\(band) journey of \(travel) min")
                // On time: on site within the 45-minute mobile-response target.
                #expect(plan[1].afterMillis <= Visit.lateMillis)
                // In the home within the 5-minute access target.
                #expect(plan[2].afterMillis - plan[1].afterMillis <= Visit.accessMillis)
            }
        }
    }

    @Test func aHeldUpResponderFromTheFarBandIsAlwaysLate() {
        var rng = SplitMix64(seed: 11)
        let model = HandsetModel(band: .far, lateShare: 1)
        for _ in 0..<200 {
            #expect(model.plan(rng: &rng)[1].afterMillis > Visit.lateMillis)
        }
    }
}
