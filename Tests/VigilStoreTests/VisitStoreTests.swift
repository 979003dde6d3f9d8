import Testing
import VigilCore
import VigilTesting
@testable import VigilStore

/// A visit's stages as the store keeps them: access gained is its own column, read back after a
/// restart, and the database refuses getting in before arriving.
@Suite("Store: responder visits")
struct VisitStoreTests {
    /// A fresh database holding one open fall, alarm 1, for visits to refer to.
    static func databaseWithAFall(_ dir: TemporaryDirectory) throws -> Database {
        let db = try Database.openVigil(path: dir.file("vigil.db"), now: 1)
        try Registry(db).addUser(UserRecord(id: "u1", name: "Edith Clarke", area: 3), now: 1)
        try Registry(db).addDevice(DeviceRecord(id: "d1", userID: "u1", kind: .pendant), now: 1)
        try db.execute("INSERT INTO alarms(id, code, user_id, device_id, type, priority, reason, raised_at) VALUES (1, 'A-2026-000001', 'u1', 'd1', 'fall', 1, 'fall', 1000)")
        return db
    }

    @Test func accessGainedIsStoredAndReadBackWithTheOpenVisit() throws {
        let dir = try TemporaryDirectory(prefix: "vigil-visit-store")
        defer { dir.remove() }
        let db = try Self.databaseWithAFall(dir)
        let store = try AlarmStore(db)
        var v = Visit(id: 1, alarmID: 1, alarmCode: "A-2026-000001", responder: "resp-1", dispatchedBy: "op1", dispatchedAt: 2_000)
        try store.perform([.openVisit(v)])
        v.enRouteAt = 3_000
        v.onSiteAt = 20 * 60_000
        v.accessGainedAt = 23 * 60_000
        try store.perform([.updateVisit(v)])
        let read = try store.openVisits()
        #expect(read == [v])
        #expect(read.first?.stage == .accessGained)
        #expect(try db.scalar("SELECT access_gained_at - on_site_at FROM visits WHERE id = 1") == 3 * 60_000)
    }

    @Test func theDatabaseRefusesAccessBeforeArriving() throws {
        let dir = try TemporaryDirectory(prefix: "vigil-visit-store")
        defer { dir.remove() }
        let db = try Self.databaseWithAFall(dir)
        let insert = "INSERT INTO visits(alarm_id, responder, dispatched_by, dispatched_at, on_site_at, access_gained_at) VALUES (1, 'resp-1', 'op1', 2000, "
        #expect(throws: (any Error).self) { try db.execute(insert + "NULL, 9000)") }
        #expect(throws: (any Error).self) { try db.execute(insert + "9000, 8000)") }
        try db.execute(insert + "9000, 9000)")
        #expect(try db.scalar("SELECT count(*) FROM visits") == 1)
    }
}
