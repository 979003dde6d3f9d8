import VigilCore

#if canImport(Glibc)
import Glibc
#endif

/// The device an event arrived from, as registered.
public struct RegisteredDevice: Sendable, Equatable {
    public var userID: String
    public var kind: DeviceKind
    public var heartbeatSeconds: Int?
    /// Registered as watching a door to outside (`vigil devices add --exit`).
    public var propertyExit: Bool

    public init(userID: String, kind: DeviceKind, heartbeatSeconds: Int?, propertyExit: Bool = false) {
        self.userID = userID
        self.kind = kind
        self.heartbeatSeconds = heartbeatSeconds
        self.propertyExit = propertyExit
    }
}

/// The daemon's write path: one connection, prepared statements reused for every event. The caller
/// groups many events into one transaction (`begin` … `commit`) so one fsync covers the batch.
public final class IngestStore {
    let db: Database
    private let findUserName: Statement
    private let findDevice: Statement
    private let insertDeadLetter: Statement
    private let findDeadLetter: Statement

    /// Past this the writer checkpoints the WAL itself (`boundWAL`); also the size a reset log is cut to.
    public static let walLimitBytes: Int64 = 32 * 1024 * 1024

    /// Dead letters keep at most this much of a payload (an oversized one is cut, its size recorded).
    public static let deadLetterPayloadLimit = 16 * 1024

    public init(path: String, now: EpochMillis) throws(StoreError) {
        db = try Database.openVigil(path: path, now: now)
        // A checkpoint inside a commit put 11–14 ms into the ack p99 (docs/design.md, "Ingest"): the ingest
        // connection never checkpoints; `Checkpointer` does it from its own connection.
        try db.execute("PRAGMA wal_autocheckpoint = 0")
        // A log that was reset is cut back to this size, not left at its largest.
        try db.execute("PRAGMA journal_size_limit = \(Self.walLimitBytes)")
        findUserName = try db.prepare("SELECT name FROM users WHERE id = ?")
        // A suspended device is not supervised: to the daemon it has no heartbeat interval.
        findDevice = try db.prepare("SELECT user_id, kind, iif(suspended_at IS NULL, heartbeat_seconds, NULL) AS heartbeat_seconds, property_exit FROM devices WHERE id = ?")
        insertDeadLetter = try db.prepare("""
            INSERT INTO dead_letters(received_at, topic, device_id, event_id, reason, detail, payload_size, payload)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        findDeadLetter = try db.prepare("SELECT 1 FROM dead_letters WHERE device_id = ? AND event_id = ? AND reason = ? LIMIT 1")
        var st = stat()
        if stat(path, &st) == 0 { openedFile = (UInt64(st.st_dev), UInt64(st.st_ino)) }
    }

    /// WAL pages the ingest connection has appended since it opened (what each event costs the
    /// disk; `make bench` prints it per event).
    public var walPagesWritten: Int64 { db.pagesWritten }

    /// The database file as opened: its device and inode.
    private var openedFile: (dev: UInt64, ino: UInt64)?

    /// Whether the path still names the file this connection writes to. Deleted (an `rm`, a restore
    /// done by hand) or replaced, the daemon's commits go to a file nobody will open again: every ack
    /// sent for them would be a lie.
    public func fileIsStillOurs() -> Bool {
        var st = stat()
        guard stat(db.path, &st) == 0 else { return false }
        guard let opened = openedFile else { return true }
        return UInt64(st.st_dev) == opened.dev && UInt64(st.st_ino) == opened.ino
    }

    /// Keeps the WAL bounded under continuous ingest, and reused rather than grown. The checkpointer's
    /// PASSIVE checkpoints copy pages while the writer goes on appending, so the log is never wholly
    /// copied at a moment when it could start again from the beginning, and it grows for as long as
    /// events keep coming (234 MB after 80,000 events, BENCHMARKS.md). So the writer checkpoints too,
    /// between two batches (its acks already sent), when nothing is writing:
    /// - below `limitBytes`, if it has appended anything since its last look, a PASSIVE checkpoint.
    ///   The checkpointer has already copied most pages, so there is little left to do, and when it
    ///   completes the next commit starts the log again from its beginning: the file keeps its size
    ///   and is overwritten in place, and a commit's fdatasync has no new file size to record.
    /// - past `limitBytes` (a reader held an old snapshot, or the disk is short), a TRUNCATE
    ///   checkpoint, which gives the file back to the filesystem.
    /// Returns the checkpoint it ran, or nil when there was nothing to do.
    public func boundWAL(limitBytes: Int64) throws(StoreError) -> WALCheckpoint? {
        var st = stat()
        guard stat(db.path + "-wal", &st) == 0 else { return nil }
        let appended = db.pagesWritten
        defer { pagesAtLastCheckpoint = appended }
        let truncate = Int64(st.st_size) > limitBytes
        guard truncate || appended > pagesAtLastCheckpoint else { return nil }
        let busy = try db.scalar(truncate ? "PRAGMA wal_checkpoint(TRUNCATE)" : "PRAGMA wal_checkpoint(PASSIVE)")
        return WALCheckpoint(walBytes: Int64(st.st_size), truncated: truncate, complete: busy == 0)
    }

    /// What one of the writer's checkpoints did.
    public struct WALCheckpoint: Sendable {
        /// The `-wal` file's size before it.
        public var walBytes: Int64
        /// TRUNCATE (the file past its limit) rather than PASSIVE.
        public var truncated: Bool
        /// False when a reader's old snapshot kept it from copying every frame.
        public var complete: Bool
    }

    /// `walPagesWritten` when the writer last checkpointed (or looked and found nothing new).
    private var pagesAtLastCheckpoint: Int64 = 0

    /// The ingest loop's batch transaction, spanning many calls (the same statements as `Database.transaction`).
    public func begin() throws(StoreError) { try db.begin() }
    public func commit() throws(StoreError) { try db.commit() }
    public func rollback() { db.rollback() }

    public func device(_ id: String) throws(StoreError) -> RegisteredDevice? {
        try findDevice.bind([.text(id)])
        defer { try? findDevice.bind([]) }
        guard try findDevice.step() else { return nil }
        let row = Row(statement: findDevice, table: "devices")
        return RegisteredDevice(userID: try row.text("user_id"), kind: try row.decode("kind"), heartbeatSeconds: try row.optionalInt("heartbeat_seconds"),
                                propertyExit: try row.bool("property_exit"))
    }

    /// A person's name as registered, or nil for an unknown id.
    public func userName(_ id: String) throws(StoreError) -> String? {
        try findUserName.bind([.text(id)])
        defer { try? findUserName.bind([]) }
        guard try findUserName.step() else { return nil }
        return try Row(statement: findUserName, table: "users").text("name")
    }

    /// Whether an event with this id from this device was already kept as a dead letter for `reason`
    /// (a resend of an event from an unregistered device, say).
    public func hasDeadLetter(device: String, eventID: String, reason: String) throws(StoreError) -> Bool {
        try findDeadLetter.bind([.text(device), .text(eventID), .text(reason)])
        defer { try? findDeadLetter.bind([]) }
        return try findDeadLetter.step()
    }

    /// Bytes of a topic a dead letter keeps; a longer one (a 65,000-byte friendly name) is cut, and
    /// the detail says how long it was.
    public static let deadLetterTopicLimit = 256

    public func deadLetter(topic: String, deviceID: String?, eventID: String?, reason: String, detail: String, payload: [UInt8], at: EpochMillis) throws(StoreError) {
        let kept = payload.count > Self.deadLetterPayloadLimit ? Array(payload.prefix(Self.deadLetterPayloadLimit)) : payload
        var keptTopic = topic, said = detail
        if topic.utf8.count > Self.deadLetterTopicLimit {
            keptTopic = String(decoding: topic.utf8.prefix(Self.deadLetterTopicLimit), as: UTF8.self)
            // A cut inside a character decodes to U+FFFD: drop it rather than store a broken name.
            while keptTopic.last == "\u{FFFD}" { keptTopic.removeLast() }
            said += " (the topic was \(topic.utf8.count) bytes; the first \(keptTopic.utf8.count) are kept)"
        }
        try insertDeadLetter.run([
            .int(at), .text(keptTopic), deviceID.map { .text($0) } ?? .null, eventID.map { .text($0) } ?? .null,
            .text(reason), .text(said), .int(Int64(payload.count)), .blob(kept),
        ])
    }
}

// The daemon's other stores share the ingest connection, so their writes fall inside its batch
// transaction; they are made from the store rather than from its (internal) database handle.
extension AlarmStore {
    public convenience init(_ store: IngestStore) throws(StoreError) { try self.init(store.db) }
}

extension EventLog {
    public convenience init(_ store: IngestStore) throws(StoreError) { try self.init(store.db) }
}

extension ZigbeeStore {
    public convenience init(_ store: IngestStore) throws(StoreError) { try self.init(store.db) }
}

extension Registry {
    public init(_ store: IngestStore) { self.init(store.db) }
}

extension QueueReader {
    public init(_ store: IngestStore) { self.init(store.db) }
}

extension NoticeStore {
    public init(_ store: IngestStore) throws(StoreError) { try self.init(store.db) }
}

extension RotaStore {
    public init(_ store: IngestStore) throws(StoreError) { try self.init(store.db) }
}
