import Foundation
import Testing
import VigilCore
@testable import VigilStore

/// A caseload a manager keeps up to date: monthly exports imported as they are, leavers, starters
/// and moves, each checked against SQL on the stored rows.
@Suite("Caseload lifecycle")
struct CaseloadLifecycleTests {
    /// One person of the hand-made export.
    struct Person {
        var id: String, area: Int, start: String, end: String? = nil, reason: String? = nil, groups = "dementia"
        var csv: String { "\(id),Person \(id),\(area),\(groups),\(start),\(end ?? ""),\(reason ?? "")" }
    }

    static let header = "id,name,area,groups,start_date,end_date,end_reason"

    /// January's export: 300 people who started in 2017, areas 1–8 in turn.
    static func january() -> [Person] {
        (0..<300).map { i in Person(id: String(format: "p%03d", i), area: i % 8 + 1, start: String(format: "2017-%02d-%02d", i % 12 + 1, i % 28 + 1)) }
    }

    /// February's: the same people, 40 of them leaving in February, 12 of area 1 moved to area 2,
    /// and 90 who started in February.
    static func february() -> (people: [Person], leavers: Set<String>, movers: Set<String>) {
        var people = january()
        var leavers: Set<String> = [], movers: Set<String> = []
        for i in stride(from: 3, to: 300, by: 7).prefix(40) {
            people[i].end = String(format: "2018-02-%02d", i % 28 + 1)
            people[i].reason = i % 2 == 0 ? "died" : "residential-care"
            leavers.insert(people[i].id)
        }
        for i in people.indices where people[i].area == 1 && !leavers.contains(people[i].id) && movers.count < 12 {
            people[i].area = 2
            movers.insert(people[i].id)
        }
        people += (0..<90).map { i in Person(id: String(format: "n%03d", i), area: i % 8 + 1, start: String(format: "2018-02-%02d", i % 28 + 1)) }
        return (people, leavers, movers)
    }

    func file(_ f: Fixture, _ name: String, _ people: [Person]) throws -> (header: [String], rows: [ImportRow]) {
        try CSVImportFile.read(try f.csv(name, ([Self.header] + people.map(\.csv)).joined(separator: "\n") + "\n"))
    }

    func february(_ f: Fixture) throws -> CaseloadRow {
        let range = DayRange(first: Day(iso: "2018-02-01")!, last: Day(iso: "2018-02-28")!)
        return try #require(try CaseloadQueries(f.db).report(range: range, baseline: range.first, by: nil, targets: .atService).rows.first)
    }

    func byArea(_ f: Fixture) throws -> [String: Int] {
        let range = DayRange(first: Day(iso: "2018-02-01")!, last: Day(iso: "2018-02-28")!)
        let rows = try CaseloadQueries(f.db).report(range: range, baseline: range.first, by: .area, targets: .atService).rows
        return Dictionary(rows.filter { $0.kind == .range }.map { ($0.breakdown ?? "", $0.currentAtEnd) }, uniquingKeysWith: { a, _ in a })
    }

    /// Every table's rows, to show that an import changed nothing.
    func snapshot(_ f: Fixture) throws -> [String] {
        try f.db.prepare("SELECT user_id || start_date || coalesce(end_date, '') || coalesce(end_reason, '') FROM service_periods ORDER BY 1").all { $0.text(0) }
            + f.db.prepare("SELECT id || name || coalesce(area, '') FROM users ORDER BY 1").all { $0.text(0) }
            + f.db.prepare("SELECT user_id || referral_group FROM user_groups ORDER BY 1").all { $0.text(0) }
            + ["audit \(try f.db.scalar("SELECT count(*) FROM audit"))"]
    }

    @Test func aMonthlyExportThenTheNextMoveTheFiguresByExactlyItsChanges() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let jan = try file(f, "january.csv", Self.january())
        let first = try Importer(f.db).run(.users, header: jan.header, rows: jan.rows, skipBad: false, now: Fixture.t0)
        #expect((first.new, first.updated, first.ended, first.unchanged) == (300, 0, 0, 0))
        let before = try february(f)
        #expect(before.currentAtStart == 300)
        let areasBefore = try byArea(f)

        let (people, leavers, movers) = Self.february()
        #expect((leavers.count, movers.count) == (40, 12))
        let feb = try file(f, "february.csv", people)
        // A dry run reports exactly what the import will do and stores nothing.
        let stored = try snapshot(f)
        let dry = try Importer(f.db).run(.users, header: feb.header, rows: feb.rows, skipBad: false, dryRun: true, now: Fixture.t0)
        #expect((dry.new, dry.updated, dry.ended, dry.unchanged) == (90, 12, 40, 248))
        #expect(try snapshot(f) == stored)

        let second = try Importer(f.db).run(.users, header: feb.header, rows: feb.rows, skipBad: false, now: Fixture.t0)
        #expect(second == dry)
        #expect(second.changes.filter { if case .updated(["area"]) = $0.what { true } else { false } }.count == 12)

        // February: 300 at its start, 90 starts, 40 ends, 350 at its end; the SQL agrees.
        let after = try february(f)
        #expect((after.currentAtStart, after.starts, after.ends, after.currentAtEnd) == (300, 90, 40, 350))
        #expect(after.starts == Int(try f.db.scalar("SELECT count(*) FROM service_periods WHERE start_date BETWEEN '2018-02-01' AND '2018-02-28'")))
        #expect(after.ends == Int(try f.db.scalar("SELECT count(*) FROM service_periods WHERE end_date BETWEEN '2018-02-01' AND '2018-02-28'")))
        #expect(after.currentAtEnd == Int(try f.db.scalar("SELECT count(*) FROM service_periods WHERE start_date <= '2018-02-28' AND (end_date IS NULL OR end_date > '2018-02-28')")))
        #expect(after.formerUsers == 40)

        // Areas move by the 12 who moved, the leavers and the starters of each area, counted here by hand.
        let areasAfter = try byArea(f)
        for area in 1...8 {
            let key = String(area)
            let left = Self.january().filter { $0.area == area && leavers.contains($0.id) }.count
            let movedOut = Self.january().filter { $0.area == area && movers.contains($0.id) }.count
            let movedIn = area == 2 ? 12 : 0
            let started = people.filter { $0.id.hasPrefix("n") && $0.area == area }.count
            #expect(areasAfter[key] == (areasBefore[key] ?? 0) - left - movedOut + movedIn + started, "area \(area)")
            #expect(areasAfter[key] == Int(try f.db.scalar("""
                SELECT count(*) FROM service_periods p JOIN users u ON u.id = p.user_id
                WHERE u.area = ? AND p.start_date <= '2018-02-28' AND (p.end_date IS NULL OR p.end_date > '2018-02-28')
                """, [.int(Int64(area))])))
        }

        // Every change is audited by id: 390 people imported, 12 updated, 40 ended.
        #expect(try f.db.scalar("SELECT count(*) FROM audit WHERE action = 'user-imported'") == 390)
        #expect(try f.db.scalar("SELECT count(*) FROM audit WHERE action = 'user-updated' AND detail LIKE '%: area (%'") == 12)
        #expect(try f.db.scalar("SELECT count(*) FROM audit WHERE action = 'service-ended'") == 40)
        #expect(try f.db.scalar("SELECT count(*) FROM audit WHERE detail LIKE '%Person%'") == 0)

        // The same file again changes nothing at all.
        let settled = try snapshot(f)
        let again = try Importer(f.db).run(.users, header: feb.header, rows: feb.rows, skipBad: false, now: Fixture.t0)
        #expect(again.changes.isEmpty && again.unchanged == 390 && again.skipped.isEmpty)
        #expect(try snapshot(f) == settled)
        #expect(try february(f) == after)
    }

    @Test func aReturnerGetsANewPeriodAndAnEndedPeriodIsNotReopenedByImport() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let one = try CSVImportFile.read(try f.csv("a.csv", "\(Self.header)\nu1,Edith,3,,2017-04-01,2017-09-30,moved-away\n"))
        _ = try Importer(f.db).run(.users, header: one.header, rows: one.rows, skipBad: false, now: Fixture.t0)
        let back = try CSVImportFile.read(try f.csv("b.csv", "\(Self.header)\nu1,Edith,3,,2018-01-08,,\n"))
        let r = try Importer(f.db).run(.users, header: back.header, rows: back.rows, skipBad: false, now: Fixture.t0)
        #expect(r.changes == [ImportChange(line: 2, record: "u1", what: .started(Day(iso: "2018-01-08")!))])
        let reopen = try CSVImportFile.read(try f.csv("c.csv", "\(Self.header)\nu1,Edith,3,,2017-04-01,,\n"))
        let error = try #require(throws: ImportRejected.self) {
            try Importer(f.db).run(.users, header: reopen.header, rows: reopen.rows, skipBad: false, now: Fixture.t0)
        }
        #expect(error.problems.first?.message.contains("ended on 2017-09-30 and this row gives no end_date") == true)
    }

    @Test func usersAddOpensAPeriodThatEndAndStartAgainCloseAndReopen() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let r = Registry(f.db)
        try r.addUser(UserRecord(id: "u1", name: "Edith Clarke", area: 3, groups: [.dementia]), start: Day(iso: "2017-06-01")!, now: Fixture.t0)
        let range = FinancialYear(startYear: 2017).range
        func year() throws -> CaseloadRow { try #require(try CaseloadQueries(f.db).report(range: range, baseline: range.first, by: nil, targets: .atService).rows.first) }
        #expect((try year().starts, try year().currentAtEnd) == (1, 1))

        #expect(throws: RegistryError.self) { try r.endService(user: "u1", on: Day(iso: "2017-05-01")!, reason: .died, now: Fixture.t0) }
        try r.endService(user: "u1", on: Day(iso: "2017-10-31")!, reason: .residentialCare, now: Fixture.t0)
        #expect((try year().ends, try year().currentAtEnd) == (1, 0))
        let error = #expect(throws: RegistryError.self) { try r.endService(user: "u1", on: Day(iso: "2017-11-30")!, reason: .died, now: Fixture.t0) }
        #expect(error?.description.contains("no open service period") == true)

        #expect(throws: RegistryError.self) { try r.startService(user: "u1", on: Day(iso: "2017-10-01")!, now: Fixture.t0) }
        try r.startService(user: "u1", on: Day(iso: "2018-01-15")!, now: Fixture.t0)
        #expect((try year().starts, try year().ends, try year().currentAtEnd) == (2, 1, 1))

        try r.updateUser("u1", Registry.UserChanges(area: 5, groups: [.longTermCondition, .hospital]), now: Fixture.t0)
        #expect(try f.db.scalar("SELECT area FROM users WHERE id = 'u1'") == 5)
        #expect(try f.db.prepare("SELECT referral_group FROM user_groups WHERE user_id = 'u1' ORDER BY 1").all { $0.text(0) } == ["hospital", "ltc"])
        #expect(throws: RegistryError.self) { try r.updateUser("u1", Registry.UserChanges(area: 9), now: Fixture.t0) }
        #expect(throws: RegistryError.self) { try r.updateUser("nobody", Registry.UserChanges(area: 2), now: Fixture.t0) }

        let audit = try f.db.prepare("SELECT action || ' ' || detail FROM audit WHERE actor = 'admin' ORDER BY id").all { $0.text(0) }
        #expect(audit == ["user-added u1", "service-started u1 from 2017-06-01", "service-ended u1 on 2017-10-31 (residential-care)",
                          "service-started u1 from 2018-01-15", "user-updated u1: area, groups"])
        #expect(try r.servicePeriods("u1").map { "\($0.start)…\($0.end?.iso ?? "open")" } == ["2017-06-01…2017-10-31", "2018-01-15…open"])
    }
}

/// What spreadsheets and UK exports do to a file, and the sentences that come back.
@Suite("Import stumbles")
struct ImportStumbleTests {
    func load(_ f: Fixture, _ kind: ImportKind, _ text: String) throws -> ImportResult {
        let (header, rows) = try CSVImportFile.read(try f.csv("\(kind.rawValue).csv", text))
        return try Importer(f.db).run(kind, header: header, rows: rows, skipBad: false, now: Fixture.t0)
    }

    @Test func ukDatesHeadersInAnyCaseAndCodesInAnyCase() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let r = try load(f, .users, """
            ID,Name,Area,Groups,Date Of Birth,FUNDING,Start_Date,End Date,End_Reason
            u1,Edith Clarke,3,Dementia;LTC,11/02/1938,Council,14/03/2017,,
            u2,Arthur Hughes,1,hospital,1944-09-02,Self-Purchase,2017-03-15,4/7/2017,Died

            """)
        #expect(r.new == 2)
        let rows = try f.db.prepare("SELECT user_id, start_date, coalesce(end_date, ''), coalesce(end_reason, '') FROM service_periods ORDER BY 1")
            .all { "\($0.text(0)) \($0.text(1)) \($0.text(2)) \($0.text(3))" }
        #expect(rows == ["u1 2017-03-14  ", "u2 2017-03-15 2017-07-04 died"])
        #expect(try f.db.prepare("SELECT referral_group FROM user_groups WHERE user_id = 'u1' ORDER BY 1").all { $0.text(0) } == ["dementia", "ltc"])
        #expect(try f.db.prepare("SELECT date_of_birth || funding FROM users WHERE id <> '~unidentified' ORDER BY id").all { $0.text(0) } == ["1938-02-11council", "1944-09-02self-purchase"])
        // Day first, always: 31/13/2017 is no date, and neither is 2017/03/14.
        let error = try #require(throws: ImportRejected.self) { try load(f, .users, "id,name,start_date\nu3,Vera,31/13/2017\nu4,Ron,2017/03/14\n") }
        #expect(error.problems.map(\.message) == ["start_date '31/13/2017' is not a date (YYYY-MM-DD or DD/MM/YYYY)",
                                                  "start_date '2017/03/14' is not a date (YYYY-MM-DD or DD/MM/YYYY)"])
    }

    @Test func anUnclosedQuoteIsNamedWithTheLineItOpensOn() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let error = try #require(throws: CSVImportFile.ReadError.self) {
            try load(f, .users, "id,name,start_date\nu1,Edith,2017-04-01\nu2,\"Hughes, Arthur,2017-05-01\nu3,Joan,2017-06-01\n")
        }
        #expect(error.description.hasSuffix("line 3: a quoted value starts here and is never closed (a \" is missing); nothing was imported."))
        // Quotes that close, doubled quotes and a quoted line break are fine.
        let ok = try load(f, .users, "id,name,start_date\nu1,\"Edith \"\"Edie\"\" Clarke\",2017-04-01\nu2,\"Arthur\nHughes\",2017-05-01\n")
        #expect(ok.new == 2)
    }

    @Test func aDuplicateInsideTheFileIsNotCalledAlreadyStored() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let error = try #require(throws: ImportRejected.self) {
            try load(f, .users, "id,name,start_date\nu1,Edith,2017-04-01\nu2,Arthur,2017-05-01\nu1,Edith,01/04/2017\n")
        }
        #expect(error.problems.map(\.description) == ["line 4: the same id and start_date as line 2: this row appears twice in the file (keep one)"])
        #expect(try f.db.scalar("SELECT count(*) FROM users WHERE id <> '~unidentified'") == 0)
    }

    @Test(arguments: [
        ("07700 900123", nil), ("0113 496 0000", nil), ("+44 7700 900123", nil), ("+44 (0)113 496 0000", nil), ("(016977) 3456", nil),
        ("7700900123", "has lost its leading zero (a spreadsheet stored it as a number): write 07700900123, and format the column as text"),
        ("1134960000", "has lost its leading zero (a spreadsheet stored it as a number): write 01134960000, and format the column as text"),
        ("447700900123", "looks like an international number without its +: write +447700900123"),
        ("0770090012345", "has 13 digits; a UK number has 10 or 11, starting with 0"),
        ("+33 1 23 45 67 89", "is not a UK number (+44): responders' numbers are UK numbers"),
        ("ring Mary", "is not a UK phone number: use digits, spaces and + only, like 07700 900123 or +44 7700 900123"),
    ] as [(String, String?)])
    func ukPhoneNumbersAreCheckedWithTheLikelyFix(_ phone: String, _ problem: String?) throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.person("u1", periods: [("2017-04-01", nil, nil)])
        let text = "user_id,position,name,kind,phone\nu1,1,Mary Clarke,Keyholder,\"\(phone)\"\n"
        if let problem {
            let error = try #require(throws: ImportRejected.self) { try load(f, .responders, text) }
            #expect(error.problems.map(\.message) == ["phone '\(phone)' \(problem)"])
        } else {
            #expect(try load(f, .responders, text).new == 1)
            #expect(try f.db.prepare("SELECT phone FROM responders").all { $0.text(0) } == [phone])
        }
    }

    @Test func theSameFilesOfDevicesRespondersAndSurveysTwiceChangeNothing() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.person("u1", periods: [("2017-04-01", nil, nil)])
        let files: [(ImportKind, String)] = [
            (.devices, "id,user_id,kind\nd1,u1,pendant\n"),
            (.responders, "user_id,position,name,kind,phone\nu1,1,Mary,keyholder,07700 900123\n"),
            (.surveys, "user_id,responded_on,respondent,overall\nu1,2018-03-31,user,5\n"),
        ]
        for (kind, text) in files { #expect(try load(f, kind, text).new == 1) }
        let audit = try f.db.scalar("SELECT count(*) FROM audit")
        for (kind, text) in files {
            let again = try load(f, kind, text)
            #expect(again.changes.isEmpty && again.unchanged == 1, "\(kind)")
        }
        #expect(try f.db.scalar("SELECT count(*) FROM audit") == audit)
        // A changed responder is updated; a changed answer is refused, not overwritten.
        #expect(try load(f, .responders, "user_id,position,name,kind,phone\nu1,1,Mary,keyholder,07700 900999\n").updated == 1)
        let error = try #require(throws: ImportRejected.self) { try load(f, .surveys, "user_id,responded_on,respondent,overall\nu1,2018-03-31,user,2\n") }
        #expect(error.problems.first?.message.contains("a different user response") == true)
    }
}
