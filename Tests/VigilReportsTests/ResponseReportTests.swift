import Testing
import VigilCore
@testable import VigilStore

@Suite("Response report")
struct ResponseReportTests {
    /// Ten alarms in April 2019, worked out by hand:
    ///   P1 fall ×4: claimed at 20, 45, 60.0 and 61 s (the last misses 60 s); one ambulance in the care home
    ///   P1 button ×3: 10 s, 200 s (misses 180 s), and one never claimed, escalated twice
    ///   P3 power ×2: 30 s; and one cancelled at the device before a claim (needs no answer)
    ///   and one live alarm in the daemon's `alarms` table, first claimed at 40 s.
    @Test func sharesPercentilesOutcomesOperatorsAndCareHomes() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.person("A", periods: [("2018-01-01", nil, nil)])
        try f.person("H", careHome: "Oakwood", periods: [("2018-01-01", nil, nil)])
        try f.db.execute("UPDATE care_homes SET video_support_from = '2019-04-15' WHERE name = 'Oakwood'")
        try f.alarm("H", .fall, priority: 1, on: "2019-04-02", claimAfter: 20, resolveAfter: 3_000, outcome: .ambulance, careHome: "Oakwood")
        try f.alarm("H", .fall, priority: 1, on: "2019-04-20", claimAfter: 45, resolveAfter: 600, outcome: .resolvedOnCall, careHome: "Oakwood")
        try f.alarm("A", .fall, priority: 1, on: "2019-04-03", claimAfter: 60, resolveAfter: 1_800, outcome: .responderSent, operator: "op-02")
        try f.alarm("A", .fall, priority: 1, on: "2019-04-04", claimAfter: 61, resolveAfter: 300, outcome: .resolvedOnCall, operator: "op-02")
        try f.alarm("A", .button, priority: 1, on: "2019-04-05", claimAfter: 10, resolveAfter: 120, outcome: .falseAlarmAccidental)
        try f.alarm("A", .button, priority: 1, on: "2019-04-06", claimAfter: 200, resolveAfter: 400, outcome: .resolvedOnCall)
        try f.alarm("A", .button, priority: 1, on: "2019-04-07", claimAfter: nil, resolveAfter: 900, outcome: .noResponseEscalated, operator: nil, escalations: 2)
        try f.alarm("A", .power, priority: 3, on: "2019-04-08", claimAfter: 30, resolveAfter: 90, outcome: .resolvedOnCall)
        try f.alarm("A", .power, priority: 3, on: "2019-04-09", claimAfter: nil, resolveAfter: 15, outcome: .cancelledAtDevice, operator: nil)
        // Outside the month: must not count.
        try f.alarm("A", .power, priority: 3, on: "2019-05-01", claimAfter: 5, resolveAfter: 60, outcome: .test)
        try f.db.execute("INSERT INTO devices(id, user_id, kind, created_at) VALUES ('d1', 'A', 'pendant', 0)")
        let raised = Day(iso: "2019-04-10")!.startMillis
        try f.db.prepare("""
            INSERT INTO alarms(code, user_id, device_id, type, priority, reason, state, raised_at, first_claimed_at, closed_at, outcome)
            VALUES ('A-2019-000001', 'A', 'd1', 'button', 1, 'button', 'resolved', ?, ?, ?, 'resolved-on-call')
            """).run([.int(raised), .int(raised + 40_000), .int(raised + 240_000)])

        let r = try ResponseQueries(f.db).report(range: DayRange(first: Day(iso: "2019-04-01")!, last: Day(iso: "2019-04-30")!), calendar: .utc)
        #expect(r.total.alarms == 10)
        // Answerable: 10 − cancelled-before-claim = 9.
        #expect(r.total.answerable == 9)
        #expect(r.total.claimed == 8)
        #expect(r.total.within60s == 6)    // 20, 45, 60, 10, 30, live 40
        #expect(r.total.within180s == 7)   // + 61
        #expect(r.total.shareWithin60s == 6.0 / 9)
        #expect(r.total.rag60s == .red)
        // Claims sorted: 10 20 30 40 45 60 61 200 → median rank 4 = 40 s; 90th rank ⌈7.2⌉ = 8 = 200 s.
        #expect(r.total.medianClaimSeconds == 40)
        #expect(r.total.p90ClaimSeconds == 200)
        // Resolve minutes (raised → resolved, rounded up): fall 50 10 30 5; button 2 7 15; power 2 1;
        // live 4. Sorted 1 2 2 4 5 7 10 15 30 50: median rank 5 = 5; 90th rank 9 = 30.
        #expect(r.total.medianResolveMinutes == 5)
        #expect(r.total.p90ResolveMinutes == 30)
        #expect(r.total.escalatedAlarms == 1)
        #expect(r.total.escalations == 2)

        #expect(r.byTypeAndPriority.map { "P\($0.priority) \($0.type) \($0.stats.alarms)" } == ["P1 button 4", "P1 fall 4", "P3 power 2"])
        let fall = r.byTypeAndPriority[1].stats
        #expect((fall.within60s, fall.within180s, fall.answerable) == (3, 4, 4))
        let power = r.byTypeAndPriority[2].stats
        #expect(power.shareWithin60s == 1)

        #expect(r.outcomes.map { "\($0.outcome) \($0.alarms)" } == [
            "resolved-on-call 5", "ambulance 1", "cancelled-at-device 1", "false-alarm-accidental 1", "no-response-escalated 1", "responder-sent 1",
        ])
        #expect(r.operators.map { "\($0.name) \($0.stats.alarms)" } == ["op-01 5", "op-02 2"])
        #expect(r.operators[1].stats.within60s == 1)

        // A lived at Oakwood all April: one resident-month, 14 of its 30 days before video support.
        #expect(r.careHomeMonths == [CareHomeMonthRow(careHome: "Oakwood", month: "2019-04", alarms: 2, ambulances: 1, videoSupport: false, residentMonths: 1)])
        #expect(r.careHomeChanges == [CareHomeChange(careHome: "Oakwood", videoSupportFrom: Day(iso: "2019-04-15"), alarmsBefore: 1,
                                                     ambulancesBefore: 1, alarmsAfter: 1, ambulancesAfter: 0,
                                                     residentMonthsBefore: 14.0 / 30, residentMonthsAfter: 16.0 / 30)])
        #expect(r.answerTimes.map(\.alarms) == [1, 2, 2, 1, 1, 0, 0, 1, 0])
    }
}
