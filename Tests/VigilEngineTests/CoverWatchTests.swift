import Foundation
import Testing
import VigilCore
@testable import VigilEngine
@testable import VigilStore
import VigilWire

/// A gap in the responder rota reaches the supervisors' consoles, retained while it lasts, and the
/// gauge counts it; filling it takes it off.
@Suite("Engine: gaps in the responder rota")
struct CoverWatchTests {
    let utc = TimeZone(identifier: "UTC")!

    func cover(_ f: EngineFixture, _ op: String, area: Int) -> CoverNotice? {
        f.centre.retained[ConsoleTopics().cover(op, area: area)].flatMap { WireDecoder().decode(CoverNotice.self, from: $0) }
    }

    @Test func anAreaWithNobodyOnCallInTheNextDayIsToldToSupervisorsUntilItIsFilled() throws {
        let f = try EngineFixture()
        let t0 = f.centre.now
        let db = try Database(path: f.centre.databasePath)
        let rota = try RotaStore(db)
        try rota.addResponder(MobileResponder(id: "resp-ann", name: "Ann Shaw", phone: "07700 900123"), now: t0)
        // Area 3 (where Edith lives) is covered for the next 10 hours, then nobody.
        _ = try rota.add(RotaShift(area: 3, responder: "resp-ann", startsAt: t0 - 3_600_000, endsAt: t0 + 10 * 3_600_000), now: t0, zone: utc)
        try f.centre.advance(by: 61_000)

        let gap = try #require(cover(f, "sup1", area: 3))
        #expect(gap.from == t0 + 10 * 3_600_000)
        // The gap runs to the end of the 24 hours looked at.
        #expect(gap.until > gap.from && gap.until <= f.centre.now + CoverWatch.horizonMillis && gap.until >= t0 + CoverWatch.horizonMillis)
        #expect(cover(f, "op1", area: 3) == nil, "operators are not told while a supervisor is registered")
        #expect(f.centre.engine.areasWithoutCover == 1)
        let audits = try db.scalar("SELECT count(*) FROM audit WHERE action = 'rota-gap' AND detail LIKE 'area 3:%'")
        #expect(audits == 1)

        // A minute later nothing has changed: not told again, not audited again.
        let before = f.centre.published.count
        try f.centre.advance(by: 60_000)
        #expect(f.centre.published.dropFirst(before).filter { $0.topic.contains("/cover/") }.isEmpty)
        #expect(try db.scalar("SELECT count(*) FROM audit WHERE action = 'rota-gap'") == 1)

        // The rota is filled for the next two days: the notice leaves the console.
        _ = try rota.add(RotaShift(area: 3, responder: "resp-ann", startsAt: t0 + 10 * 3_600_000, endsAt: t0 + 48 * 3_600_000), now: t0, zone: utc)
        try f.centre.advance(by: 60_000)
        #expect(f.centre.retained[ConsoleTopics().cover("sup1", area: 3)] == nil)
        #expect(f.centre.engine.areasWithoutCover == 0)
    }

    @Test func withoutAnyResponderRegisteredTheRotaIsNotWatched() throws {
        let f = try EngineFixture()
        try f.centre.advance(by: 61_000)
        #expect(f.centre.published.filter { $0.topic.contains("/cover/") }.isEmpty)
        #expect(f.centre.engine.areasWithoutCover == 0)
    }
}
