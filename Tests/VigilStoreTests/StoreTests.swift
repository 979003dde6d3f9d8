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
        let alarms = try AlarmStore(store.db)
        let events = try EventLog(store.db)
        try store.begin()
        #expect(try events.existing(device: "pend-1", eventID: fall().eventID) == nil)
        let alarm = Alarm(id: 1, code: Alarm.code(id: 1, year: 2026), user: "u1", device: "pend-1", type: .fall, priority: .emergency, reason: "fall", raisedAt: Self.t0)
        try alarms.perform([.open(alarm)])
        try events.record(fall(), receivedAt: Self.t0, payload: [1], triage: "P1", alarm: alarm.id)
        #expect(alarm.code == "A-2026-000001")
        #expect(try events.existing(device: "pend-1", eventID: fall().eventID) == .stored(alarmCode: "A-2026-000001"))
        // Recording it again (a resend racing its own ack) changes nothing.
        try events.record(fall(), receivedAt: Self.t0 + 5, payload: [2], triage: "P1", alarm: nil)
        try store.commit()
        #expect(try store.db.scalar("SELECT count(*) FROM events") == 1)
        // The same id from another device is a different event.
        try Registry(store.db).addDevice(DeviceRecord(id: "fall-1", userID: "u1", kind: .fallDetector), now: Self.t0)
        #expect(try events.existing(device: "fall-1", eventID: fall().eventID) == nil)
        dir.remove()
    }

    @Test func alarmStateRoundTripsThroughTheDatabase() throws {
        let store = try registered()
        let alarms = try AlarmStore(store.db)
        try Registry(store.db).addOperator(OperatorRecord(id: "op1", name: "Sam Okoro", role: .operator), now: Self.t0)
        var a = Alarm(id: 7, code: "A-2026-000007", user: "u1", device: "pend-1", type: .fall, priority: .emergency, reason: "fall", raisedAt: Self.t0)
        try alarms.perform([.open(a)])
        a.state = .claimed(by: "op1", at: Self.t0 + 30_000)
        a.firstClaimedAt = a.claimedAt
        a.escalation = 1
        a.stepsFired = 0b101
        a.breached = true
        a.events = 3
        try alarms.perform([.update(a), .audit(AuditEntry(at: Self.t0 + 30_000, alarmID: 7, actor: .operator("op1"), action: .claimed))])
        #expect(try alarms.openAlarms() == [a])
        #expect(try alarms.maxAlarmID() == 7)
        #expect(try alarms.operatorRole("op1") == .operator)
        #expect(try alarms.operatorRole("nobody") == nil)
        #expect(try QueueReader(store.db).audit(alarm: "A-2026-000007").map(\.action) == ["claimed"])
        // Resolved: the outcome, who and when come back with the state.
        var closed = a
        closed.state = .resolved(Alarm.Resolution(outcome: .ambulance, by: "op1", at: Self.t0 + 60_000))
        try alarms.perform([.update(closed)])
        #expect(try alarms.alarm(code: a.code) == closed)
        #expect(try alarms.openAlarms().isEmpty)
        // Claimed by an operator who does not exist: the foreign key refuses it.
        a.state = .claimed(by: "ghost", at: Self.t0)
        #expect(throws: StoreError.self) { try alarms.perform([.update(a)]) }
        dir.remove()
    }

    @Test func triagePlansAndWeightsAreStored() throws {
        let store = try registered()
        let plan = PersonTriage(exitAlwaysEmergency: true, nightStartMinute: 21 * 60, nightEndMinute: 8 * 60, spo2Scale2: true, heartFailure: true)
        try Registry(store.db).setTriage(user: "u1", plan, now: Self.t0)
        #expect(try Registry(store.db).triage(user: "u1") == plan)
        #expect(try AlarmStore(store.db).triage(user: "nobody") == .none)
        #expect(throws: RegistryError.self) { try Registry(store.db).setTriage(user: "nobody", plan, now: Self.t0) }
        let alarms = try AlarmStore(store.db)
        try alarms.recordWeight(user: "u1", at: Self.t0, kg: 80)
        try alarms.recordWeight(user: "u1", at: Self.t0 + 86_400_000, kg: 81)
        #expect(try alarms.weights(user: "u1", since: Self.t0 + 1).map(\.kg) == [81])
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
        // A 65,000-byte topic (a Zigbee friendly name) keeps at most its first 256 bytes, cut between
        // characters, and says how long it was.
        let topic = "zb/" + String(repeating: "é", count: 32_498)
        try store.deadLetter(topic: topic, deviceID: nil, eventID: nil, reason: "unknown_device", detail: "not registered", payload: [1], at: Self.t0)
        let row = try store.db.prepare("SELECT topic, detail FROM dead_letters WHERE reason = 'unknown_device'").all { ($0.text(0), $0.text(1)) }
        #expect(row.first?.0.utf8.count == 255 && row.first?.0.hasSuffix("é") == true)
        #expect(row.first?.1 == "not registered (the topic was \(topic.utf8.count) bytes; the first 255 are kept)")
        dir.remove()
    }

    @Test func queueOrdersByPriorityThenAge() throws {
        let store = try registered()
        let alarms = try AlarmStore(store.db)
        try Registry(store.db).addDevice(DeviceRecord(id: "hub-1", userID: "u1", kind: .hub), now: 0)
        func raise(_ id: Int64, _ device: String, _ type: EventType, _ p: Priority, at: EpochMillis) throws {
            try alarms.perform([.open(Alarm(id: id, code: Alarm.code(id: id, year: 2026), user: "u1", device: device, type: type, priority: p, reason: "", raisedAt: at))])
        }
        try raise(1, "hub-1", .tamper, .technical, at: 100)
        try raise(2, "pend-1", .button, .emergency, at: 300)
        try raise(3, "pend-1", .fall, .emergency, at: 200)
        let q = try QueueReader(store.db).openAlarms()
        #expect(q.map(\.type) == [.fall, .button, .tamper])
        #expect(q.first?.userName == "Edith Clarke")
        dir.remove()
    }
}
