import Testing
@testable import VigilStore
import VigilTesting

/// `vigil db prune` and the daemon's retention run: what goes, what stays, in slices.
@Suite("Retention")
struct RetentionTests {
    @Test func oldRawEventsAndDeadLettersGoInSlicesWhileAlarmEvidenceAndHistoryStay() throws {
        let dir = try TemporaryDirectory(prefix: "vigil-retention")
        defer { dir.remove() }
        let db = try Database.openVigil(path: dir.file("vigil.db"), now: 1)
        try Registry(db).addUser(UserRecord(id: "u1", name: "Edith Clarke"), now: 1)
        try Registry(db).addDevice(DeviceRecord(id: "pend-1", userID: "u1", kind: .pendant), now: 1)
        try db.execute("INSERT INTO alarms(id, code, user_id, device_id, type, priority, reason, raised_at) VALUES (1, 'A-2026-000001', 'u1', 'pend-1', 'fall', 1, 'fall', 500)")
        // 4,500 old heartbeats (more than two slices), one old fall attached to the alarm, 10 recent ones.
        try db.execute("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4500)
            INSERT INTO events(device_id, event_id, type, device_ts, received_at, payload, triage)
                SELECT 'pend-1', 'hb-' || i, 'heartbeat', '2026-01-01T00:00:00Z', i, x'7b7d', 'none' FROM n;
            INSERT INTO events(device_id, event_id, type, device_ts, received_at, payload, triage, alarm_id)
                VALUES ('pend-1', 'fall-1', 'fall', '2026-01-01T00:00:00Z', 500, x'7b7d', 'P1', 1);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10)
            INSERT INTO events(device_id, event_id, type, device_ts, received_at, payload, triage)
                SELECT 'pend-1', 'new-' || i, 'heartbeat', '2026-01-01T00:00:00Z', 10000 + i, x'7b7d', 'none' FROM n;
            INSERT INTO dead_letters(received_at, topic, reason, detail, payload_size, payload) VALUES (5, 't', 'bad-json', '', 1, x'00'), (20000, 't', 'bad-json', '', 1, x'00');
            INSERT INTO audit(at, alarm_id, actor, action) VALUES (500, 1, 'vigil', 'raised');
            """)

        let audit = try db.scalar("SELECT count(*) FROM audit")
        let retention = Retention(db)
        var progress = Retention.Progress()
        var slices = 0
        while !progress.finished {
            try retention.pruneSlice(before: 10_000, &progress)
            slices += 1
        }
        #expect(progress.events == 4_500)
        #expect(progress.deadLetters == 1)
        // Three slices of events (2,000 + 2,000 + 501 scanned), one of dead letters, one finding nothing.
        #expect(slices == 5)
        #expect(try db.scalar("SELECT count(*) FROM events") == 11)
        #expect(try db.scalar("SELECT count(*) FROM events WHERE event_id = 'fall-1' AND alarm_id = 1") == 1)
        #expect(try db.scalar("SELECT count(*) FROM dead_letters") == 1)
        #expect(try db.scalar("SELECT count(*) FROM alarms") == 1)
        #expect(try db.scalar("SELECT count(*) FROM audit") == audit)
        // Again: nothing left to do.
        var again = Retention.Progress()
        while !again.finished { try retention.pruneSlice(before: 10_000, &again) }
        #expect(again.events == 0 && again.deadLetters == 0)
    }
}
