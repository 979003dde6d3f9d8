import Testing
import VigilCore
@testable import VigilStore

@Suite("CSV import")
struct ImportTests {
    static let users = """
        id,name,area,groups,date_of_birth,care_home,start_date,end_date,end_reason
        u1,Edith Clarke,3,dementia;ltc,1938-02-11,,2017-04-01,,
        u2,"Hughes, Arthur",1,,1944-09-02,"Beech House, Annexe",2017-05-01,,
        u3,Doris Khan,1,,1950-13-01,,2017-05-02,,
        u4,Joan Walsh,2,hospital,1941-07-30,,2017-06-01,2017-08-01,no-longer-needed
        u4,Joan Walsh,2,,,,2018-01-10,,

        """

    func load(_ f: Fixture, _ kind: ImportKind, _ text: String, skipBad: Bool = false) throws -> ImportResult {
        let (header, rows) = try CSVImportFile.read(try f.csv("\(kind.rawValue).csv", text))
        return try Importer(f.db).run(kind, header: header, rows: rows, skipBad: skipBad, now: Fixture.t0)
    }

    @Test func oneBadRowRejectsTheWholeFileAndNamesItsLine() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let error = try #require(throws: ImportRejected.self) { try load(f, .users, Self.users) }
        #expect(error.problems == [ImportProblem(line: 4, message: "date_of_birth '1950-13-01' is not a date (YYYY-MM-DD or DD/MM/YYYY)")])
        #expect(error.problems[0].description == "line 4: date_of_birth '1950-13-01' is not a date (YYYY-MM-DD or DD/MM/YYYY)")
        #expect(try f.db.scalar("SELECT count(*) FROM users WHERE id <> '~unidentified'") == 0)
        #expect(try f.db.scalar("SELECT count(*) FROM service_periods") == 0)
        #expect(try f.db.scalar("SELECT count(*) FROM care_homes") == 0)
    }

    @Test func skipBadImportsTheRestAndAReturnerHasTwoPeriods() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let result = try load(f, .users, Self.users, skipBad: true)
        #expect(result.imported == 4)
        #expect(result.skipped.map(\.line) == [4])
        #expect(try f.db.scalar("SELECT count(*) FROM users WHERE id <> '~unidentified'") == 3)
        #expect(try f.db.scalar("SELECT count(*) FROM service_periods WHERE user_id = 'u4'") == 2)
        #expect(try f.db.scalar("SELECT count(*) FROM user_groups WHERE user_id = 'u1'") == 2)
        let name = try f.db.prepare("SELECT name, care_home FROM users WHERE id = 'u2'").all { "\($0.text(0))|\($0.text(1))" }
        #expect(name == ["Hughes, Arthur|Beech House, Annexe"])
    }

    @Test func everyBadRowIsListedWithItsReason() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        _ = try load(f, .users, "id,name,start_date\nu1,Edith,2017-04-01\n")
        let text = """
            user_id,responded_on,respondent,overall,feel_safe
            u1,2018-03-31,user,5,4
            u1,2018-03-31,carer,6,
            nobody,2018-03-31,user,4,
            u1,31/03/2018,user,4,
            u1,2018-03-30,neighbour,4,
            u1,2018-03-31,user,3,

            """
        let error = try #require(throws: ImportRejected.self) { try load(f, .surveys, text) }
        #expect(error.problems.map(\.description) == [
            "line 3: overall '6' is not a whole number from 1 to 5",
            "line 4: user_id 'nobody' is not a registered person (import users first)",
            // 31/03/2018 is the UK's way of writing 2018-03-31: the same response as line 2.
            "line 5: the same user_id, responded_on and respondent as line 2: this row appears twice in the file (keep one)",
            "line 6: respondent 'neighbour' is not one of user, carer",
            "line 7: the same user_id, responded_on and respondent as line 2: this row appears twice in the file (keep one)",
        ])
        #expect(try f.db.scalar("SELECT count(*) FROM survey_responses") == 0)
    }

    @Test func overlappingPeriodsAndEndsWithoutReasonsAreRefused() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        _ = try load(f, .users, "id,name,start_date,end_date,end_reason\nu4,Joan,2017-06-01,2017-08-01,died\n")
        let text = """
            id,name,start_date,end_date,end_reason
            u4,Joan,2017-07-01,,
            u5,Vera,2017-07-01,2017-09-01,
            u6,Ron,2017-07-01,2017-06-01,other

            """
        let error = try #require(throws: ImportRejected.self) { try load(f, .users, text) }
        #expect(error.problems.map(\.description) == [
            "line 2: the service period from 2017-07-01 overlaps u4's period 2017-06-01 to 2017-08-01",
            "line 3: end_reason is empty but end_date is given: say why the service ended",
            "line 4: end_date 2017-06-01 is before start_date 2017-07-01",
        ])
    }

    @Test func aRowWithSeveralProblemsListsThemAll() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let error = try #require(throws: ImportRejected.self) {
            try load(f, .users, "id,name,area,groups,start_date,end_reason\nu1,,9,dementia;sight,2017-04-31,died\n")
        }
        #expect(error.problems.map(\.description) == [
            "line 2: name is empty; area '9' is not a whole number from 1 to 8; groups 'sight' is not one of "
                + "\(ReferralGroup.allCases.map(\.rawValue).joined(separator: ", ")) (separate several with ;); "
                + "start_date '2017-04-31' is not a date (YYYY-MM-DD or DD/MM/YYYY); end_reason is given without an end_date",
        ])
    }

    @Test func aWrongHeaderIsRefusedBeforeAnyRow() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let error = try #require(throws: ImportHeaderError.self) { try load(f, .users, "id,name,date_of_brith\nu1,Edith,1938-02-11\n") }
        #expect(error.description.contains("missing column start_date"))
        #expect(error.description.contains("unknown column date_of_brith"))
    }

    @Test func devicesAndRespondersNeedAKnownPerson() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        _ = try load(f, .users, "id,name,start_date\nu1,Edith,2017-04-01\n")
        let devices = try load(f, .devices, "id,user_id,kind,heartbeat_seconds\nd1,u1,pendant,\nd2,u9,smoke,\nd3,u1,toaster,\n", skipBad: true)
        #expect(devices.imported == 1)
        #expect(devices.skipped.map(\.description) == [
            "line 3: user_id 'u9' is not a registered person (import users first)",
            "line 4: kind 'toaster' is not one of \(DeviceKind.allCases.map(\.rawValue).joined(separator: ", "))",
        ])
        let responders = try load(f, .responders, """
            user_id,position,name,kind,phone
            u1,1,Mary Clarke,keyholder,07700 900123
            u1,2,Mobile team,mobile-response,0113 496 0000
            u1,2,Dr Shah,gp,0113 496 0001

            """, skipBad: true)
        #expect(responders.imported == 2)
        #expect(responders.skipped.map(\.description) == ["line 4: the same user_id and position as line 3: this row appears twice in the file (keep one)"])
    }

    @Test func aRowWithTooManyCellsIsBad() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let error = try #require(throws: ImportRejected.self) { try load(f, .users, "id,name,start_date\nu1,Clarke, Edith,2017-04-01\n") }
        #expect(error.problems.first?.line == 2)
        #expect(error.problems.first?.message.contains("needs quotes") == true)
    }
}
