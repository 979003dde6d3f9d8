import Foundation
import Testing
import VigilCore
import VigilTesting
@testable import VigilStore

/// The responders' rota: who is on call across a hand-off and an override, and imports that refuse
/// an overlapping or gapped row by its line number and store nothing.
@Suite("Responder rota")
struct RotaStoreTests {
    let london = TimeZone(identifier: "Europe/London")!

    func t(_ text: String) throws -> EpochMillis { try RotaTime.parse(text, zone: london).get() }

    func rows(_ csv: [[String]]) -> (header: [String], rows: [ImportRow]) {
        let header = csv[0]
        return (header, csv.dropFirst().enumerated().map { i, cells in
            ImportRow(line: i + 2, fields: Dictionary(uniqueKeysWithValues: zip(header, cells)))
        })
    }

    func store(_ dir: TemporaryDirectory) throws -> RotaStore {
        let db = try Database.openVigil(path: dir.file("vigil.db"), now: 1)
        let rota = try RotaStore(db)
        try rota.addResponder(MobileResponder(id: "resp-ann", name: "Ann Shaw", phone: "07700 900123"), now: 1)
        try rota.addResponder(MobileResponder(id: "resp-bob", name: "Bob Hale", phone: "07700 900456"), now: 1)
        try rota.addResponder(MobileResponder(id: "resp-cat", name: "Cat Rowe", phone: "07700 900789"), now: 1)
        return rota
    }

    @Test func whoAnswersAcrossAHandOffAndAnOverride() throws {
        let dir = try TemporaryDirectory(prefix: "vigil-rota")
        defer { dir.remove() }
        let rota = try store(dir)
        let file = rows([
            ["area", "responder", "starts", "ends", "kind", "reason"],
            ["3", "resp-ann", "2026-12-07 08:00", "2026-12-07 20:00", "", ""],
            ["3", "resp-bob", "2026-12-07 20:00", "2026-12-08 08:00", "", ""],
            ["3", "resp-cat", "2026-12-07 23:00", "2026-12-08 02:00", "override", "Bob off sick until 2 a.m."],
        ])
        let result = try rota.importRota(header: file.header, rows: file.rows, zone: london, now: 2)
        #expect(result.added == 3)
        // The hand-off instant belongs to the next shift; a minute before it, the last one.
        #expect(try rota.onCall(area: 3, at: try t("2026-12-07 19:59")).map(\.id) == ["resp-ann"])
        #expect(try rota.onCall(area: 3, at: try t("2026-12-07 20:00")).map(\.id) == ["resp-bob"])
        #expect(try rota.onCall(area: 3, at: try t("2026-12-07 23:30")).map(\.id) == ["resp-cat"])
        #expect(try rota.onCall(area: 3, at: try t("2026-12-08 02:00")).map(\.id) == ["resp-bob"])
        #expect(try rota.onCall(area: 3, at: try t("2026-12-08 08:00")).isEmpty)
        #expect(try rota.onCall(area: 4, at: try t("2026-12-07 12:00")).isEmpty)
        // Cover ends at 08:00 on the 8th: from then on, a gap.
        #expect(try rota.gaps(area: 3, from: try t("2026-12-07 06:00"), until: try t("2026-12-08 12:00")) == [
            RotaGap(area: 3, from: try t("2026-12-07 06:00"), until: try t("2026-12-07 08:00")),
            RotaGap(area: 3, from: try t("2026-12-08 08:00"), until: try t("2026-12-08 12:00")),
        ])
        // The same file again changes nothing.
        let again = try rota.importRota(header: file.header, rows: file.rows, zone: london, now: 3)
        #expect(again.added == 0 && again.unchanged == 3)
        #expect(try rota.db.scalar("SELECT count(*) FROM rota_shifts") == 3)
        #expect(try rota.db.scalar("SELECT count(*) FROM audit WHERE action = 'rota-added'") == 3)
    }

    @Test func anOverlappingOrGappedRowIsRefusedByLineAndNothingIsStored() throws {
        let dir = try TemporaryDirectory(prefix: "vigil-rota")
        defer { dir.remove() }
        let rota = try store(dir)
        let file = rows([
            ["area", "responder", "starts", "ends"],
            ["3", "resp-ann", "2026-12-07 08:00", "2026-12-07 20:00"],
            ["3", "resp-bob", "2026-12-07 19:00", "2026-12-08 08:00"],
            ["5", "resp-cat", "2026-12-07 08:00", "2026-12-07 20:00"],
            ["5", "resp-ann", "2026-12-07 21:00", "2026-12-08 08:00"],
            ["6", "resp-nobody", "2026-12-07 08:00", "2026-12-07 20:00"],
            ["6", "resp-cat", "2026-12-07 20:00", "2026-12-07 08:00"],
        ])
        let e = #expect(throws: RotaImportRejected.self) { try rota.importRota(header: file.header, rows: file.rows, zone: london, now: 2) }
        #expect(e?.problems.map(\.line) == [3, 5, 6, 7])
        #expect(e?.problems[0].message.contains("overlaps line 2") == true)
        #expect(e?.problems[1].message.contains("nobody on call from 2026-12-07 20:00 (the end of line 4) until 2026-12-07 21:00") == true)
        #expect(e?.problems[2].message.contains("resp-nobody is not a registered responder") == true)
        #expect(e?.problems[3].message.contains("is not after starts") == true)
        #expect(try rota.db.scalar("SELECT count(*) FROM rota_shifts") == 0)
    }

    @Test func aShiftOverlappingAStoredOneIsRefusedNamingIt() throws {
        let dir = try TemporaryDirectory(prefix: "vigil-rota")
        defer { dir.remove() }
        let rota = try store(dir)
        let id = try rota.add(RotaShift(area: 2, responder: "resp-ann", startsAt: try t("2026-12-07 08:00"), endsAt: try t("2026-12-07 20:00")), now: 2, zone: london)
        let e = #expect(throws: RotaError.self) {
            try rota.add(RotaShift(area: 2, responder: "resp-bob", startsAt: try t("2026-12-07 18:00"), endsAt: try t("2026-12-08 08:00")), now: 3, zone: london)
        }
        #expect(e?.description.contains("overlaps stored rota shift \(id)") == true)
        #expect(e?.description.contains("vigil rota remove \(id)") == true)
        // An override may sit over the rota, and it needs a reason.
        #expect(throws: RotaError.self) {
            try rota.add(RotaShift(area: 2, responder: "resp-bob", startsAt: try t("2026-12-07 10:00"), endsAt: try t("2026-12-07 12:00"), kind: .override), now: 3, zone: london)
        }
        _ = try rota.add(RotaShift(area: 2, responder: "resp-bob", startsAt: try t("2026-12-07 10:00"), endsAt: try t("2026-12-07 12:00"), kind: .override, reason: "swap"), now: 3, zone: london)
        #expect(try rota.onCall(area: 2, at: try t("2026-12-07 11:00")).map(\.id) == ["resp-bob"])
        try rota.remove(id, now: 4, zone: london)
        #expect(try rota.onCall(area: 2, at: try t("2026-12-07 09:00")).isEmpty)
    }

    @Test func rotaTimesAreLocalAndTheSkippedSpringHourIsRefused() throws {
        // 08:00 in British Summer Time is 07:00 UTC; in winter 08:00 UTC.
        #expect(try t("2026-07-01 08:00") == (try RotaTime.parse("2026-07-01T07:00:00Z", zone: london).get()))
        #expect(try t("01/12/2026 08:00") == Day(year: 2026, month: 12, day: 1)!.startMillis + 8 * 3_600_000)
        #expect(RotaTime.format(try t("2026-07-01 08:00"), zone: london) == "2026-07-01 08:00")
        let skipped = RotaTime.parse("2026-03-29 01:30", zone: london)
        #expect(throws: RotaError.self) { try skipped.get() }
        #expect(throws: RotaError.self) { try RotaTime.parse("tomorrow 8am", zone: london).get() }
    }
}
