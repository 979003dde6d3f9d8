#if canImport(Glibc)
import Glibc
#endif
import Logging
import Mosquitto
import Synchronization
import VigilCore
import VigilStore
import VigilWebhook
import VigilWire

/// A flag another thread (or a signal handler's queue) sets to ask a loop to finish: the ingest loop,
/// and the simulators' runs.
public final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)

    public init() {}

    public func stop() { value.store(true, ordering: .releasing) }
    public var isStopped: Bool { value.load(ordering: .acquiring) }
}

/// What the daemon needs to know to ingest.
public struct IngestSettings: Sendable {
    public var databasePath: String
    public var host: String
    public var port: Int32
    /// What the engine decides with (topics, triage, escalation, supervision, webhooks, the claim lease).
    public var engine: EngineSettings
    public var topics: Topics { engine.topics }
    public var zigbee: ZigbeeTopics { engine.zigbee }
    /// Fixed, so the broker keeps our persistent session (and the events sent while we are down).
    public var clientID: String
    public var username: String?
    public var password: String?
    /// Upper bound on one group commit.
    public var maxBatch: Int
    /// How often the retained status message is refreshed.
    public var statusIntervalMillis: EpochMillis
    /// Webhook calls the delivery component holds at most; past it a call is refused and reported.
    public var webhookQueueCapacity = 1_000
    /// POSTs in flight to one webhook at most.
    public var webhookConcurrency = 4
    /// How long a clean stop waits for webhook calls in flight, so their outcome is audited.
    public var webhookStopGraceMillis: Int64 = 2_000
    /// Free space on the database's filesystem below which only emergencies are accepted (0: no floor).
    public var diskFloorBytes: Int64 = 256 << 20

    public init(databasePath: String, host: String, port: Int32, engine: EngineSettings = EngineSettings(), clientID: String = "vigil-serve", username: String? = nil, password: String? = nil, maxBatch: Int = 2_000, statusIntervalMillis: EpochMillis = 5_000) {
        self.databasePath = databasePath
        self.host = host
        self.port = port
        self.engine = engine
        self.clientID = clientID
        self.username = username
        self.password = password
        self.maxBatch = maxBatch
        self.statusIntervalMillis = statusIntervalMillis
    }
}

/// The daemon's ingest thread. Each turn:
/// poll → read everything ready (libmosquitto queues PUBACKs, sends nothing) → BEGIN → store each
/// event → COMMIT (fsync) → queue the acks → write (PUBACKs and acks leave now) → keep-alive.
/// No PUBACK or ack leaves before its event is on disk; if a commit fails the loop throws before
/// writing, the process exits, and the broker redelivers to the next run (persistent session).
final class IngestLoop {
    let settings: IngestSettings
    let logger: Logger
    let clock: any WallClock
    let client: MosquittoClient
    let engine: AlarmEngine
    /// Held for the loop's life: a second daemon on the same file stops here (docs/design.md, "Storage").
    private let writer: WriterLock
    private var lastStatus: EpochMillis = 0
    private let startedAt: EpochMillis
    /// This host's name, in every status (an operator can tell which machine stopped).
    private let node: String
    private let statusTopic: String
    private let systemd = SystemdNotifier()
    private let metrics = IngestMetrics()
    /// Subscribed to the queue topics to read what the broker retains there (docs/design.md, "Restore").
    private var checkingRetainedQueue = false
    /// The broker's answers over time: a login it keeps refusing, a client id another client holds.
    private var watch = ConnectionWatch()
    private var lastWALCheck: EpochMillis = 0
    private var disk: DiskWatch
    private let databaseDirectory: String
    private var fatal: IngestCannotContinue?
    /// Where webhook calls go after their batch is committed, and what became of them comes back from.
    private let deliveries: WebhookDeliveries
    /// Reports made on this thread (a call the queue refused), for the next batch.
    private var pendingReports: [WebhookReport] = []
    /// Open from each connection until the persistent session has caught up with what the broker
    /// held for it (see `FreshLane`).
    private var lane: FreshLane?
    /// Where the lane's mark comes back: read by the persistent session only.
    private let markTopic: String

    init(settings: IngestSettings, clock: any WallClock, logger: Logger, deliveries: WebhookDeliveries) throws {
        self.settings = settings
        self.deliveries = deliveries
        self.clock = clock
        self.logger = logger
        startedAt = clock.now()
        disk = DiskWatch(floorBytes: settings.diskFloorBytes)
        let slash = settings.databasePath.lastIndex(of: "/")
        databaseDirectory = slash.map { settings.databasePath[..<$0].isEmpty ? "/" : String(settings.databasePath[..<$0]) } ?? "."
        writer = try WriterLock(databasePath: settings.databasePath)
        let store = try IngestStore(path: settings.databasePath, now: startedAt)
        engine = try AlarmEngine(store: store, settings: settings.engine, clock: clock, logger: logger)
        node = settings.engine.node
        statusTopic = ConsoleTopics(prefix: settings.topics.prefix).daemonStatus
        markTopic = "\(settings.topics.prefix)/v1/vigil/drain-mark"
        // The last will: if the daemon dies (SIGKILL, a crash, a hung loop past the keep-alive) the
        // broker retains "offline" in place of the last status, and every console says so.
        let will = MQTTMessage(topic: statusTopic, payload: engine.wire.encode(DaemonStatus(
            online: false, node: node, at: startedAt, started: startedAt, accepted: 0, duplicates: 0, rejected: 0, alarmsRaised: 0, rejectedByReason: [:])), qos: 1, retain: true)
        client = try MosquittoClient(.init(
            host: settings.host, port: settings.port, clientID: settings.clientID, cleanSession: false,
            keepAliveSeconds: 30, username: settings.username, password: settings.password, maxInflight: MosquittoClient.Options.boundedInflight, will: will))
        try client.subscribe(settings.topics.allEvents, qos: 1)
        try client.subscribe(settings.topics.allObservations, qos: 1)
        try client.subscribe(ConsoleTopics(prefix: settings.topics.prefix).allCommands, qos: 1)
        // Consoles' presence (retained, and their last wills): whose claims to hand back.
        try client.subscribe(ConsoleTopics(prefix: settings.topics.prefix).allPresence, qos: 1)
        // Responders' handsets: en route, on site, left.
        try client.subscribe(ResponderTopics(prefix: settings.topics.prefix).allReports, qos: 1)
        try checkRetainedQueue()
        try client.subscribe(settings.zigbee.subscription, qos: 1)
        try client.subscribe(markTopic, qos: 1)
    }

    var counters: IngestCounters { engine.counters }

    /// Runs until `stop` is set. Throws only when the database cannot commit.
    func run(until stop: StopFlag) throws {
        var wasConnected = false
        var everConnected = false
        var busy = false
        while !stop.isStopped {
            // The heartbeat comes from this loop's own turns, so a loop stuck anywhere stops it.
            systemd.watchdog(now: clock.now())
            guard client.reconnectIfNeeded() else {
                engine.brokerLost()
                if wasConnected || !everConnected {
                    logger.warning("broker unreachable; retrying", metadata: ["broker": "\(settings.host):\(settings.port)"])
                    wasConnected = false
                    everConnected = true
                }
                sleepMilliseconds(50)
                continue
            }
            // Sleep until a message arrives or the next escalation step or heartbeat deadline is due.
            // After a turn that read messages (their commit ran the timers) the walk over every open
            // alarm for the next due time is skipped: more are likely ready, and if not, the wait is
            // the 100 ms cap, after which the next turn works it out.
            var timeout: Int32 = 100
            if !busy, let due = engine.nextDue { timeout = Int32(max(0, min(100, due - clock.now()))) }
            if let lane, !lane.client.reconnectIfNeeded() { endLane(.lost) }
            // Without a lane (every turn but those of a drain) one socket is polled and nothing allocated.
            if let lane {
                let readable = MosquittoClient.waitReadable([client, lane.client], timeoutMilliseconds: timeout)
                busy = try turn(read: readable[0], fresh: readable[1])
            } else {
                busy = try turn(read: client.waitReadable(timeoutMilliseconds: timeout), fresh: false)
            }
            flush()
            for e in client.drain() { note(e, &wasConnected, &everConnected) }
            boundWAL()
            if let fatal {
                logger.critical("stopping: the broker will not accept this login", metadata: ["error": "\(fatal)"])
                throw fatal
            }
            publishStatusIfDue()
        }
        // Drain: whatever was already read is committed and acked above; say goodbye cleanly. A clean
        // DISCONNECT discards the last will, so "offline" is published here instead.
        systemd.stopping()
        endLane(.stopping)
        finishWebhooks()
        if client.isConnected { publishStatus(online: false) }
        flush()
        client.disconnect()
        logger.info("ingest stopped", metadata: counterMetadata())
    }

    /// One turn: read what is ready, then one group commit of it and of the timers due (the engine's
    /// `process`), then queue what it answers for the write that follows. Returns whether it read
    /// any message.
    private func turn(read: Bool, fresh: Bool) throws -> Bool {
        var readAhead = false
        if fresh, let lane { readAhead = try readFresh(lane) }
        var messages: [MQTTMessage] = []
        var events: [MQTTEvent] = []
        if read {
            var more = true
            repeat {
                do { events += try client.read() } catch { events += client.drain(); more = false }
                // Messages read before an error are kept: stored now, or redelivered if not acked.
                for case .message(let m) in events where keep(m) { messages.append(m) }
                events.removeAll { if case .message = $0 { true } else { false } }
            } while more && messages.count < settings.maxBatch && client.waitReadable(timeoutMilliseconds: 0)
        }
        lane?.drained += messages.count
        var outbound: [MQTTMessage] = []
        for e in events {
            var a = true, b = true
            note(e, &a, &b)
            if case .connected(0) = e {
                if !checkingRetainedQueue { try checkRetainedQueue() }
                outbound += try engine.queueSnapshot(now: clock.now())
            }
        }
        let now = clock.now()
        let reports = pendingReports + deliveries.takeReports()
        pendingReports.removeAll()
        // The timers are asked last: a batch's commit runs them anyway.
        if !messages.isEmpty || !reports.isEmpty || engine.isDue(now) {
            outbound += try commit(messages, reports: reports, now: now)
        }
        publish(outbound)
        handOverWebhookCalls()
        return readAhead || !messages.isEmpty
    }

    /// One group commit by the engine. Returns what it answers, to be queued once it is on disk.
    private func commit(_ messages: [MQTTMessage], reports: [WebhookReport], now: EpochMillis, ahead: Bool = false) throws -> [MQTTMessage] {
        let began = monotonicNanoseconds()
        let outbound: [MQTTMessage]
        do { outbound = try engine.process(messages, reports: reports, now: now, ahead: ahead) } catch {
            logger.critical("could not commit a batch; exiting without acknowledging it", metadata: ["error": "\(error)", "batch.size": "\(messages.count)"])
            throw error
        }
        metrics.committed(size: messages.count, nanoseconds: monotonicNanoseconds() - began, now: now, walPages: engine.store.walPagesWritten, counters: engine.counters)
        metrics.webhooks(reports)
        // Acks promise the event is on disk in the database Vigil will open next time.
        guard engine.store.fileIsStillOurs() else {
            logger.critical("the database file was deleted or replaced while the daemon ran; exiting without acknowledging, so the broker keeps the events for the next run",
                            metadata: ["db": "\(settings.databasePath)", "batch.size": "\(messages.count)"])
            throw IngestCannotContinue(description: "The database file \(settings.databasePath) was deleted or replaced while vigil serve was running. Nothing since was acknowledged; restore the file (or start on the new one) and start vigil serve again.")
        }
        return outbound
    }

    /// The fresh lane's part of a turn, before the persistent session's: what devices sent since the
    /// lane opened is committed and acked now, in its own commit, not after the backlog ahead of it.
    /// Returns whether it read any message (a turn with only PUBACKs for its acks read none).
    private func readFresh(_ lane: FreshLane) throws -> Bool {
        var messages: [MQTTMessage] = []
        var ended: LaneEnd?
        var more = true
        repeat {
            let events: [MQTTEvent]
            do { events = try lane.client.read() } catch { events = lane.client.drain(); more = false }
            for e in events {
                switch e {
                case .message(let m): messages.append(m)
                case .subscribed:
                    // By the lane itself: on the persistent connection the mark would wait behind the
                    // backlog's acks in libmosquitto's outgoing queue.
                    if lane.subscribed(topics: settings.topics) { publish([MQTTMessage(topic: markTopic, payload: lane.mark, qos: 1)], on: lane.client) }
                case .connected(let code) where code != 0: ended = .refused(code)
                case .disconnected: ended = ended ?? .lost
                default: break
                }
            }
        } while more && ended == nil && messages.count < settings.maxBatch && lane.client.waitReadable(timeoutMilliseconds: 0)
        if let ended { endLane(ended) }
        guard !messages.isEmpty else { return false }
        lane.fresh += messages.count
        metrics.readAhead(messages.count)
        let outbound = try commit(messages, reports: [], now: clock.now(), ahead: true)
        // Acks leave by the lane, so they do not queue behind the backlog's; everything else (queue
        // updates above all) keeps to the one connection, so it stays in order. (The engine sends no
        // ack for a copy the persistent session stored first: that one was answered there.)
        var acks: [MQTTMessage] = [], rest: [MQTTMessage] = []
        for m in outbound {
            if settings.topics.parse(m.topic)?.channel == .acks { acks.append(m) } else { rest.append(m) }
        }
        publish(acks, on: self.lane === lane ? lane.client : client)
        publish(rest, on: client)
        return true
    }

    /// Why a fresh lane ended.
    private enum LaneEnd {
        case caughtUp, brokerLost, refused(Int32), lost, timedOut, stopping

        /// Ended with the backlog not yet delivered, while the broker still serves the daemon: from
        /// now on new events wait behind what is left.
        var gaveUp: Bool {
            switch self {
            case .timedOut, .refused, .lost: true
            case .caughtUp, .brokerLost, .stopping: false
            }
        }
    }

    /// On every accepted connection of the persistent session: the broker may hold a backlog for it.
    private func openLane() {
        endLane(.brokerLost)
        do {
            lane = try FreshLane(settings: settings, now: clock.now())
            metrics.lane(open: true)
        } catch {
            logger.warning("could not open a second session for fresh events; events sent now wait behind anything the broker queued", metadata: ["error": "\(error)"])
        }
    }

    private func endLane(_ why: LaneEnd) {
        guard let lane else { return }
        self.lane = nil
        lane.close()
        metrics.lane(open: false, gaveUp: why.gaveUp)
        let metadata: Logger.Metadata = ["backlog.delivered": "\(lane.drained)", "fresh.read": "\(lane.fresh)",
                                         "seconds": "\(Double(clock.now() - lane.openedAt) / 1_000)"]
        switch why {
        case .caughtUp:
            logger.info("caught up with the events the broker held; the fresh lane is closed", metadata: metadata)
        case .timedOut:
            logger.warning("the drain mark did not come back in 10 minutes (does the broker's ACL let this login read \(markTopic)?); the fresh lane is closed", metadata: metadata)
        case .refused(let code):
            logger.warning("the broker refused the fresh lane's login; events sent now wait behind anything the broker queued", metadata: metadata.merging(["mqtt.connack": "\(code)"]) { a, _ in a })
        case .lost:
            logger.warning("the fresh lane's connection was lost; events sent now wait behind anything the broker queued", metadata: metadata)
        case .brokerLost, .stopping:
            break
        }
    }

    /// The batch's webhook calls go to the delivery component now that it is committed. It never
    /// blocks this thread: a full queue refuses the call at once, and the refusal is audited (and the
    /// supervisors told) with the next batch.
    private func handOverWebhookCalls() {
        for call in engine.takeWebhookCalls() {
            guard !deliveries.submit(call.target, callID: call.outboxID, alarmID: call.alarm.id, alarmCode: call.alarm.code, body: call.body) else { continue }
            pendingReports.append(call.refused("the delivery queue is full (\(settings.webhookQueueCapacity) calls) or the daemon is stopping"))
        }
        metrics.webhookQueue(depth: deliveries.depth)
    }

    /// A clean stop: calls not yet started are reported kept (they stay in the outbox for the next
    /// start); those in flight get up to `webhookStopGraceMillis` to finish, so what became of them is
    /// audited before the daemon goes.
    private func finishWebhooks() {
        deliveries.close()
        let deadline = monotonicNanoseconds() + settings.webhookStopGraceMillis * 1_000_000
        while !deliveries.isIdle && monotonicNanoseconds() < deadline { sleepMilliseconds(10) }
        if !deliveries.isIdle {
            logger.warning("stopping with webhook calls still in flight; they stay in the outbox and are sent again on the next start", metadata: ["webhook.in_flight": "\(deliveries.depth)"])
        }
        let reports = pendingReports + deliveries.takeReports()
        pendingReports.removeAll()
        guard !reports.isEmpty else { return }
        do { publish(try engine.process([], reports: reports, now: clock.now())) } catch {
            logger.error("could not record the last webhook outcomes", metadata: ["error": "\(error)"])
        }
        metrics.webhooks(reports)
        // Calls the last batch decided are in the outbox already: the next start sends them.
        let late = engine.takeWebhookCalls()
        if !late.isEmpty { logger.notice("webhook calls decided while stopping are kept for the next start", metadata: ["webhook.calls": "\(late.count)"]) }
    }

    /// At most once a second, after the turn's acks have left: past its limit the WAL is checkpointed
    /// and truncated by this connection, between batches (see `IngestStore.boundWAL`).
    private func boundWAL() {
        let now = clock.now()
        guard now - lastWALCheck >= 1_000 else { return }
        lastWALCheck = now
        if let lane, now - lane.openedAt > FreshLane.maxOpenMillis { endLane(.timedOut) }
        checkDisk()
        let began = monotonicNanoseconds()
        do {
            // Short of space, the WAL is given back to the filesystem at every check.
            guard let done = try engine.store.boundWAL(limitBytes: disk.low ? 0 : IngestStore.walLimitBytes) else { return }
            logger.debug("WAL checkpointed by the writer", metadata: ["wal.bytes": "\(done.walBytes)", "truncated": "\(done.truncated)", "complete": "\(done.complete)",
                                                                     "us": "\((monotonicNanoseconds() - began) / 1_000)"])
            // A PASSIVE one may meet the checkpointer's; only a TRUNCATE that fell short means a reader holds an old snapshot.
            if done.truncated && !done.complete { logger.notice("the WAL could not be checkpointed completely: a reader holds an old snapshot", metadata: ["wal.bytes": "\(done.walBytes)"]) }
        } catch {
            logger.warning("WAL checkpoint by the writer failed; will retry", metadata: ["error": "\(error)"])
        }
    }

    /// Once a second with the WAL check: below the floor only emergencies are acked until space returns.
    private func checkDisk() {
        let change = disk.observe(freeBytes: DiskWatch.freeBytes(at: databaseDirectory))
        metrics.disk(freeBytes: disk.lastFree, low: disk.low)
        switch change {
        case .none: return
        case .becameLow:
            logger.critical("the database disk is nearly full: accepting emergencies only until space is freed; other events are left unacknowledged and devices resend them",
                            metadata: ["db": "\(settings.databasePath)", "disk.free_bytes": "\(disk.lastFree ?? 0)", "disk.floor_bytes": "\(disk.floorBytes)"])
        case .recovered:
            logger.notice("space on the database disk is back above the floor: accepting every event again",
                          metadata: ["db": "\(settings.databasePath)", "disk.free_bytes": "\(disk.lastFree ?? 0)"])
        }
        engine.diskLow = disk.low
        // Every console is told at once, not at the next status interval.
        lastStatus = 0
        publishStatusIfDue()
    }

    private func publish(_ messages: [MQTTMessage]) { publish(messages, on: client) }

    private func publish(_ messages: [MQTTMessage], on client: MosquittoClient) {
        metrics.published(messages.count)
        for m in messages {
            do { try client.publish(m.topic, m.payload, qos: m.qos, retain: m.retain) } catch {
                logger.warning("could not queue a message; it will be resent or refreshed", metadata: ["error": "\(error)", "topic": "\(m.topic)"])
            }
        }
    }

    private func flush() {
        do {
            try client.write()
            try client.misc()
        } catch {
            logger.warning("broker connection lost", metadata: ["error": "\(error)"])
        }
        guard let lane else { return }
        do {
            try lane.client.write()
            try lane.client.misc()
        } catch { endLane(.lost) }
    }

    private func note(_ e: MQTTEvent, _ wasConnected: inout Bool, _ everConnected: inout Bool) {
        switch e {
        case .connected(let code) where code == 0:
            _ = watch.connack(0, now: clock.now())
            engine.brokerConnected(now: clock.now())
            metrics.broker(connected: true)
            // The database was opened in init; with the broker's CONNACK the daemon can do its job.
            systemd.ready(status: "ingesting from \(settings.host):\(settings.port)")
            lastStatus = 0
            // Only a session the broker kept can hold a backlog; with a new one there is nothing to
            // read ahead of.
            if client.sessionPresent { openLane() } else { endLane(.brokerLost) }
            logger.info("connected to broker", metadata: ["broker": "\(settings.host):\(settings.port)", "subscription": "\(settings.topics.allEvents)"])
            wasConnected = true
            everConnected = true
        case .connected(let code):
            engine.brokerLost()
            endLane(.brokerLost)
            metrics.broker(connected: false)
            logger.error("broker refused the connection", metadata: ["mqtt.connack": "\(code)", "reason": "\(ConnectionWatch.meaning(code))"])
            if case .loginRefused(let code, let times) = watch.connack(code, now: clock.now()) {
                fatal = IngestCannotContinue(description: "The broker at \(settings.host):\(settings.port) refused Vigil's login \(times) times in a row (\(ConnectionWatch.meaning(code))): check `username` and `password_file` in the config and the broker's password file and ACL for \(settings.username ?? "anonymous"). Vigil stops rather than retry a login that cannot succeed; events wait at the broker.")
            }
        case .disconnected(let code):
            engine.brokerLost()
            endLane(.brokerLost)
            metrics.broker(connected: false)
            let verdict = watch.disconnected(now: clock.now())
            if case .clientIDTakenOver(let times) = verdict {
                logger.critical("the broker keeps dropping the connection seconds after accepting it: another client is using the client id; is a second vigil serve running? Retrying more slowly",
                                metadata: ["mqtt.client_id": "\(settings.clientID)", "drops": "\(times)"])
            } else if !watch.quiet && !watch.refusedLast {
                logger.warning("disconnected from broker; reconnecting", metadata: ["mqtt.rc": "\(code)"])
            }
        default:
            break
        }
    }

    /// On every connection the daemon reads the retained queue once, so the engine can clear entries
    /// for alarms this database does not hold open (after a restore). The broker sends what it retains
    /// first, flagged retained, then forwards live messages unflagged; the first unflagged one is the
    /// daemon's own snapshot coming back, so every retained entry has been seen and the subscription
    /// ends (otherwise every queue update the daemon publishes would come back to it).
    private func checkRetainedQueue() throws(MosquittoError) {
        try client.subscribe(ConsoleTopics(prefix: settings.topics.prefix).allAlarms, qos: 1)
        checkingRetainedQueue = true
    }

    /// Whether a message read goes to the engine: all but the daemon's own queue entries coming back.
    private func keep(_ m: MQTTMessage) -> Bool {
        if m.topic == markTopic {
            if let lane, m.payload == lane.mark { endLane(.caughtUp) }
            return false
        }
        guard ConsoleTopics(prefix: settings.topics.prefix).alarmCode(m.topic) != nil, !m.retain else { return true }
        if checkingRetainedQueue {
            checkingRetainedQueue = false
            do { try client.unsubscribe(ConsoleTopics(prefix: settings.topics.prefix).allAlarms) } catch {
                logger.warning("could not end the retained-queue check; the daemon's own queue entries keep coming back", metadata: ["error": "\(error)"])
            }
        }
        return false
    }

    /// The retained status, refreshed from this loop (not a thread of its own, which could go on
    /// saying "online" while the loop is stuck), with the queue gauges.
    private func publishStatusIfDue() {
        let now = clock.now()
        guard now - lastStatus >= settings.statusIntervalMillis else { return }
        metrics.queue(engine.desk.open.values, now: now)
        metrics.cover(areasWithGap: engine.areasWithoutCover)
        guard client.isConnected else { return }
        lastStatus = now
        publishStatus(online: true)
    }

    private func publishStatus(online: Bool) {
        let c = engine.counters
        var status = DaemonStatus(online: online, node: node, at: clock.now(), started: startedAt, accepted: c.accepted, duplicates: c.duplicates,
                                  rejected: c.rejected, alarmsRaised: c.alarmsRaised, rejectedByReason: c.byReason)
        status.warning = online ? disk.warning(node: node) : nil
        metrics.published(1)
        do { try client.publish(statusTopic, engine.wire.encode(status), qos: 1, retain: true) } catch {
            logger.warning("could not queue the daemon status; it is refreshed on the next interval", metadata: ["error": "\(error)"])
        }
    }

    static func hostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private func counterMetadata() -> Logger.Metadata {
        let c = engine.counters
        return ["ingest.accepted": "\(c.accepted)", "ingest.duplicates": "\(c.duplicates)", "ingest.rejected": "\(c.rejected)", "alarms.raised": "\(c.alarmsRaised)"]
    }
}

/// For durations only (commit latency): the monotonic clock, unaffected by wall-clock steps.
func monotonicNanoseconds() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
}

func sleepMilliseconds(_ ms: Int) {
    var ts = timespec(tv_sec: ms / 1000, tv_nsec: (ms % 1000) * 1_000_000)
    nanosleep(&ts, nil)
}
