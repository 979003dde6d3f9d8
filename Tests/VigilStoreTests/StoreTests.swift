import Testing
import VigilCore
import VigilTesting
@testable import VigilStore

@Suite("SQLite store")
struct StoreTests {
    let dir: TemporaryDirectory
    let path: String
    static let t0: EpochMillis = 1_795_314_847_000

    init() throws {
        dir = try TemporaryDirectory(prefix: "vigil-store")
        path = dir.file("vigil.db")
    }

    func registered() throws -> IngestStore {
        let store = try IngestStore(path: path, now: Self.t0)
        let r = Registry(store.db)
        try r.addUser(UserRecord(id: "u1", name: "Edith Clarke", area: 3, groups: [.dementia, .longTermCondition]), now: Self.t0)
        try r.addDevice(DeviceRecord(id: "pend-1", userID: "u1", kind: .pendant), now: Self.t0)
        return store
    }

    func fall(_ id: String = "e1") -> DeviceEvent {
        DeviceEvent(deviceID: "pend-1", eventID: id, type: .fall, deviceTime: "2026-11-22T02:14:07Z", battery: 80)
    }

    @Test func migratesAnEmptyFileAndIsIdempotent() throws {
        _ = try Database.openVigil(path: path, now: Self.t0)
        let again = try Database.openVigil(path: path, now: Self.t0 + 1)
        #expect(try again.scalar("SELECT count(*) FROM schema_migrations") == Int64(Schema.migrations.count))
        for table in ["users", "user_groups", "devices", "alarms", "events", "dead_letters"] {
            #expect(try again.scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?", [.text(table)]) == 1)
        }
        let mode = try again.prepare("PRAGMA journal_mode")
        #expect(try mode.step())
        #expect(mode.text(0) == "wal")
        dir.remove()
    }

    @Test func sameDeviceAndIdIsStoredOnce() throws {
        let store = try registered()
        try store.begin()
        let first = try store.insert(fall(), receivedAt: Self.t0, payload: [1], triage: "P1")
        guard case .inserted(let seq) = first else { Issue.record("first insert was \(first)"); return }
        let alarm = try store.raise(seq: seq, event: fall(), user: "u1", priority: .emergency, reason: "fall", at: Self.t0, year: 2026)
        #expect(alarm.code == "A-2026-000001")
        #expect(try store.insert(fall(), receivedAt: Self.t0 + 5, payload: [2], triage: "P1") == .duplicate(alarmCode: "A-2026-000001"))
        try store.commit()
        #expect(try store.db.scalar("SELECT count(*) FROM events") == 1)
        // The same id from another device is a different event.
        try Registry(store.db).addDevice(DeviceRecord(id: "fall-1", userID: "u1", kind: .fallDetector), now: Self.t0)
        var other = fall()
        other.deviceID = "fall-1"
        #expect(try store.insert(other, receivedAt: Self.t0, payload: [3], triage: "P1") == .inserted(seq: 2))
        dir.remove()
    }

    @Test func repeatsAttachAndCancelClosesUnclaimed() throws {
        let store = try registered()
        guard case .inserted(let s1) = try store.insert(fall("e1"), receivedAt: Self.t0, payload: [1], triage: "P1") else { return }
        let alarm = try store.raise(seq: s1, event: fall("e1"), user: "u1", priority: .emergency, reason: "fall", at: Self.t0, year: 2026)
        #expect(try store.openAlarm(user: "u1", type: .fall) == alarm)
        guard case .inserted(let s2) = try store.insert(fall("e2"), receivedAt: Self.t0, payload: [1], triage: "P1") else { return }
        try store.attach(seq: s2, to: alarm)
        #expect(try store.db.scalar("SELECT event_count FROM alarms WHERE id = ?", [.int(alarm.id)]) == 2)
        #expect(try store.closeUnclaimed(alarm, outcome: "cancelled-at-device", at: Self.t0 + 10))
        #expect(try store.openAlarm(user: "u1", type: .fall) == nil)
        #expect(try store.closeUnclaimed(alarm, outcome: "cancelled-at-device", at: Self.t0 + 11) == false)
        dir.remove()
    }

    @Test func schemaConstraintsHold() throws {
        let store = try registered()
        let db = store.db
        // Unknown device: foreign key.
        #expect(throws: StoreError.self) {
            try db.execute("INSERT INTO events(device_id, event_id, type, device_ts, received_at, payload, triage) VALUES ('ghost', 'e', 'fall', 't', 0, x'00', 'x')")
        }
        // Unknown event type, battery out of range, bad priority, resolved without outcome: CHECK.
        #expect(throws: StoreError.self) {
            try db.execute("INSERT INTO events(device_id, event_id, type, device_ts, received_at, payload, triage) VALUES ('pend-1', 'e', 'party', 't', 0, x'00', 'x')")
        }
        #expect(throws: StoreError.self) {
            try db.execute("INSERT INTO events(device_id, event_id, type, device_ts, received_at, battery, payload, triage) VALUES ('pend-1', 'e', 'fall', 't', 0, 140, x'00', 'x')")
        }
        #expect(throws: StoreError.self) {
            try db.execute("INSERT INTO alarms(id, code, user_id, device_id, type, priority, reason, raised_at) VALUES (9, 'A-9', 'u1', 'pend-1', 'fall', 4, 'x', 0)")
        }
        #expect(throws: StoreError.self) {
            try db.execute("INSERT INTO alarms(id, code, user_id, device_id, type, priority, reason, state, raised_at) VALUES (9, 'A-9', 'u1', 'pend-1', 'fall', 1, 'x', 'resolved', 0)")
        }
        do {
            try db.execute("INSERT INTO users(id, name, created_at) VALUES ('u2', '   ', 0)")
            Issue.record("a blank name was stored")
        } catch {
            #expect(error.isConstraint)
        }
        dir.remove()
    }

    @Test func registryRefusesWithSentences() throws {
        let store = try registered()
        let r = Registry(store.db)
        #expect(throws: RegistryError.self) { try r.addUser(UserRecord(id: "u1", name: "Again"), now: 0) }
        #expect(throws: RegistryError.self) { try r.addUser(UserRecord(id: "u9", name: "Far", area: 9), now: 0) }
        #expect(throws: RegistryError.self) { try r.addDevice(DeviceRecord(id: "d9", userID: "nobody", kind: .pendant), now: 0) }
        #expect(throws: RegistryError.self) { try r.addDevice(DeviceRecord(id: "pend-1", userID: "u1", kind: .pendant), now: 0) }
        #expect(try r.users() == [UserRecord(id: "u1", name: "Edith Clarke", area: 3, groups: [.dementia, .longTermCondition])])
        #expect(try r.devices() == [DeviceRecord(id: "pend-1", userID: "u1", kind: .pendant)])
        dir.remove()
    }

    @Test func deadLettersKeepReasonAndCutOversizedPayloads() throws {
        let store = try registered()
        let big = [UInt8](repeating: 0x41, count: 40_000)
        try store.deadLetter(topic: "t", deviceID: "pend-1", eventID: nil, reason: "payload_too_large", detail: "too big", payload: big, at: Self.t0)
        #expect(try store.db.scalar("SELECT payload_size FROM dead_letters") == 40_000)
        #expect(try store.db.scalar("SELECT length(payload) FROM dead_letters") == Int64(IngestStore.deadLetterPayloadLimit))
        let counts = try QueueReader(store.db).counts()
        #expect(counts.deadLetters.map(\.reason) == ["payload_too_large"])
        dir.remove()
    }

    @Test func queueOrdersByPriorityThenAge() throws {
        let store = try registered()
        let r = Registry(store.db)
        try r.addDevice(DeviceRecord(id: "hub-1", userID: "u1", kind: .hub), now: 0)
        func raise(_ device: String, _ id: String, _ type: EventType, _ p: Priority, at: EpochMillis) throws {
            let e = DeviceEvent(deviceID: device, eventID: id, type: type, deviceTime: "2026-11-22T02:14:07Z")
            guard case .inserted(let seq) = try store.insert(e, receivedAt: at, payload: [1], triage: "") else { return }
            _ = try store.raise(seq: seq, event: e, user: "u1", priority: p, reason: "", at: at, year: 2026)
        }
        try raise("hub-1", "a", .tamper, .technical, at: 100)
        try raise("pend-1", "b", .button, .emergency, at: 300)
        try raise("pend-1", "c", .fall, .emergency, at: 200)
        let q = try QueueReader(store.db).openAlarms()
        #expect(q.map(\.type) == [.fall, .button, .tamper])
        #expect(q.first?.userName == "Edith Clarke")
        dir.remove()
    }
}
