import Logging
import Mosquitto
import VigilCore
import VigilStore
import VigilWebhook
import VigilWire

/// What the engine needs to decide: triage, escalation, supervision and the topic grammar.
public struct EngineSettings: Sendable {
    public var topics: Topics
    public var zigbee: ZigbeeTopics
    public var policy: TriagePolicy
    public var escalation: EscalationPolicy
    /// Heartbeat supervision: a device is out of contact after its interval plus this.
    public var graceSeconds: Int
    /// Webhooks escalation steps may call, by name.
    public var webhooks: [String: WebhookSettings]
    /// How long a claim outlives its holder's console before the alarm goes back to the queue.
    public var claimLeaseSeconds: Int
    /// A responder not on site this long after dispatch: the holder and supervisors are told; and the
    /// mobile-response target (TSA: 45 minutes for 90 % of visits, 60 for all) breached.
    public var visitLateSeconds: Int = 45 * 60
    public var visitBreachSeconds: Int = 60 * 60
    /// Each device kind's event budget; past it an event is refused `rate_limited` unless it is an emergency.
    public var rateLimits: RateLimits = .default
    /// This host, as webhook bodies name the sender.
    public var node: String = IngestLoop.hostname()

    public init(topics: Topics = Topics(), zigbee: ZigbeeTopics = ZigbeeTopics(), policy: TriagePolicy = .default, escalation: EscalationPolicy = .default, graceSeconds: Int = 120,
                webhooks: [String: WebhookSettings] = [:], claimLeaseSeconds: Int = 90) {
        self.webhooks = webhooks
        self.claimLeaseSeconds = claimLeaseSeconds
        self.topics = topics
        self.zigbee = zigbee
        self.policy = policy
        self.escalation = escalation
        self.graceSeconds = graceSeconds
    }
}

/// The single owner of alarm state, and the one place the pipeline's order is written down
/// (docs/design.md, "The pipeline"). It knows nothing of sockets: the ingest loop hands it each
/// batch of messages read from the broker, and it hands back what to publish once the batch is
/// committed. Tests drive it the same way, with a manual clock and no broker.
///
/// For each message: route (the topic, parsed once) → decode → dedupe → classify → contact →
/// desk → record → respond. Timers run after the batch's messages, in the same transaction. Acks,
/// replies, detail reads and queue updates leave only after the commit.
final class AlarmEngine {
    let store: IngestStore
    let alarms: AlarmStore
    let events: EventLog
    let zigbeeStore: ZigbeeStore
    let router: InboundRouter
    let deadLetters: DeadLetters
    let classifier: Classifier
    let commands: OperatorCommands
    let consoleRequests: ConsoleRequests
    let zigbeeAdapter: Zigbee2MQTTAdapter
    let console: ConsoleTopics
    let clock: any WallClock
    /// The year in alarm codes, from the calendar once a year.
    private var years = YearCache()
    /// True while `process` handles messages the fresh lane read ahead of the persistent session.
    private var readAhead = false
    let logger: Logger
    /// One for every ack, reply and queue update this engine sends.
    let wire = WireEncoder()

    private(set) var desk: AlarmDesk
    private(set) var supervision: Supervision
    /// How old a device's stored contact may grow before the next message rewrites it: half the grace
    /// period, at most a minute, so a restart that reads it never finds a device that keeps its
    /// interval silent (AlarmStore.touch).
    private let touchStaleMillis: EpochMillis
    private var publisher: QueuePublisher
    private(set) var counters = IngestCounters()
    /// Set by the ingest loop while the database disk is below its free-space floor: emergencies are
    /// stored and acked as ever; anything else a device sends is left unacknowledged and unstored (no
    /// dead letter either), so the device sends it again once space returns. Console commands and
    /// handset reports still go through: they are how the emergencies get answered.
    var diskLow = false
    /// Each device's event budget and who is flooding (issue 12, section 9). In memory: after a
    /// restart every bucket starts full.
    private(set) var floods: FloodGuard
    /// Numbers Zigbee2MQTT events (which carry no id of their own) within this process.
    private var zigbeeEvents = 0
    /// Detail requests of this batch, answered after the commit (reads stay out of the write transaction).
    private var pendingDetails: [(topic: String, command: ConsoleCommand, alarm: Alarm)] = []
    /// Notices and webhook calls of the batch, sent after the commit.
    var notices: NoticeDelivery
    /// Which consoles are present; a claim outlives its holder's console by `leaseMillis`.
    private(set) var presence = Presence()
    let leaseMillis: EpochMillis
    /// Unclaimed alarms already reported to the "no-operators" webhook while nobody was on duty.
    private var reportedUnattended: Set<String> = []
    /// Webhook calls of committed batches, for the ingest loop to hand to the delivery component.
    var webhookCalls: [WebhookCall] = []
    /// Mobile responders and who is on call.
    let rota: RotaStore
    let responderTopics: ResponderTopics
    /// Jobs put on (and taken off) responders' handsets, sent after the commit.
    private var pendingJobs: [MQTTMessage] = []
    /// Gaps in the rota, told to supervisors.
    private var cover: CoverWatch
    private var pendingCover: [MQTTMessage] = []
    /// Hand-over offers on receivers' consoles (receiver → the operator leaving), and what to publish.
    /// Offers live in memory: after a restart each console's stale one is cleared, the claims stay
    /// with the operator who offered them, and they offer again.
    private var pendingHandOvers: [MQTTMessage] = []
    /// How old an unclaimed alarm may be while no operator is on duty before "no-operators" is called.
    static let unattendedMillis: EpochMillis = 30_000

    init(store: IngestStore, settings: EngineSettings, clock: any WallClock, logger: Logger) throws {
        self.store = store
        alarms = try AlarmStore(store)
        events = try EventLog(store)
        zigbeeStore = try ZigbeeStore(store)
        router = InboundRouter(topics: settings.topics, zigbee: settings.zigbee)
        console = ConsoleTopics(prefix: settings.topics.prefix)
        deadLetters = DeadLetters(store: store, logger: logger)
        classifier = Classifier(policy: settings.policy, alarms: alarms, clock: clock)
        commands = OperatorCommands(alarms: alarms)
        consoleRequests = try ConsoleRequests(store)
        zigbeeAdapter = Zigbee2MQTTAdapter(policy: settings.policy)
        self.clock = clock
        self.logger = logger
        publisher = QueuePublisher(topics: console, wire: wire)
        notices = NoticeDelivery(store: try NoticeStore(store), webhookOutbox: try WebhookOutbox(store), topics: console, wire: wire, webhooks: settings.webhooks, node: settings.node)
        leaseMillis = EpochMillis(settings.claimLeaseSeconds) * 1000
        rota = try RotaStore(store)
        responderTopics = ResponderTopics(prefix: settings.topics.prefix)
        cover = CoverWatch(rota: rota, notices: try NoticeStore(store), topics: console, wire: wire)
        floods = FloodGuard(limits: settings.rateLimits)
        let now = clock.now()
        // Recovery: the queue, claims and escalation steps already fired come back from the database.
        let open = try alarms.openAlarms()
        desk = AlarmDesk(open: open, nextID: try alarms.maxAlarmID() + 1, escalation: settings.escalation, visits: try alarms.openVisits(),
                         nextVisitID: try alarms.maxVisitID() + 1, visitLateMillis: EpochMillis(settings.visitLateSeconds) * 1000,
                         visitBreachMillis: EpochMillis(settings.visitBreachSeconds) * 1000, handOvers: try alarms.handOvers())
        publisher.remember(try alarms.alarms(raisedSince: now - AnswerShare.horizonMillis))
        supervision = Supervision(graceSeconds: settings.graceSeconds)
        touchStaleMillis = min(60_000, EpochMillis(settings.graceSeconds) * 500)
        let desk = desk
        try supervision.scanRegistry(alarms, now: now, startingUp: true) { desk.noContactAlarm(device: $0) != nil }
        logger.info("alarm state rebuilt", metadata: ["alarms.open": "\(open.count)", "devices.supervised": "\(supervision.count)"])
        try resumeWebhookCalls(now: now)
    }

    // MARK: One batch

    /// One group commit: the pipeline for every message, then the timers that have fallen due.
    /// Returns what to publish; nothing of it may leave before this returns (it is on disk then).
    /// Throws only when the database cannot write or commit: the batch is rolled back, nothing is
    /// acknowledged, and the broker redelivers it to the next run. `reports` are what the delivery
    /// component says became of earlier webhook calls; they are audited in the same transaction.
    ///
    /// `ahead`: the messages came by the fresh lane, and the persistent session will deliver each of
    /// them again. A refused one is answered now but recorded (dead letter, counter, log line) only
    /// when its second copy comes, so a drain does not record every refusal twice; one the store
    /// already holds is not answered at all (its first copy was).
    func process(_ messages: [MQTTMessage], reports: [WebhookReport] = [], now: EpochMillis, ahead: Bool = false) throws(StoreError) -> [MQTTMessage] {
        readAhead = ahead
        defer { readAhead = false }
        var out: [MQTTMessage] = []
        out.reserveCapacity(messages.count + 8)
        try store.begin()
        do {
            for m in messages { out += try handle(m, now: now) }
            try recordWebhooks(reports, now: now)
            try tick(now: now)
            try store.commit()
        } catch {
            store.rollback()
            alarms.forgetTouches()
            pendingDetails.removeAll()
            notices.discard()
            pendingJobs.removeAll()
            pendingCover.removeAll()
            cover.forget()
            pendingHandOvers.removeAll()
            throw error
        }
        return out + afterCommit(now: now)
    }

    /// The broker connection is lost or was refused: devices cannot reach Vigil, so supervision makes
    /// no finding until the next accepted connection (the ingest loop still turns while a TCP
    /// connection waits for its CONNACK, and escalation timers keep running).
    func brokerLost() {
        supervision.brokerLost()
        presence.lost()
    }

    /// The broker accepted the connection. Devices could not reach Vigil while it was down, so none
    /// counts as silent until the grace period has passed again; without this a reconnect floods
    /// the queue with no-contact alarms.
    func brokerConnected(now: EpochMillis) {
        supervision.brokerReconnected(now: now)
        presence.connected(now: now)
    }

    /// The webhook calls decided so far (committed), handed to the delivery component.
    func takeWebhookCalls() -> [WebhookCall] {
        defer { webhookCalls.removeAll() }
        return webhookCalls
    }

    /// Whether a timer (escalation, supervision, registry scan) is due by `now`.
    func isDue(_ now: EpochMillis) -> Bool { nextDue.map { $0 <= now } ?? false }

    /// The earliest time a timer falls due.
    var nextDue: EpochMillis? {
        [desk.nextDue, supervision.nextDue, supervision.scanDue, leaseDue, unattendedDue, cover.due].compactMap { $0 }.min()
    }

    /// When the earliest claim held by an absent operator runs out.
    private var leaseDue: EpochMillis? {
        desk.open.values.compactMap { a in a.claimedBy.flatMap { presence.awaySince($0) }.map { $0 + leaseMillis } }.min()
    }

    /// When an unclaimed alarm next becomes one to report to "no-operators" (only while nobody is on duty).
    private var unattendedDue: EpochMillis? {
        guard notices.webhooks[Self.noOperatorsWebhook] != nil, let settled = presence.settledAt, presence.onDuty.isEmpty else { return nil }
        return desk.open.values.filter { $0.status == .raised && !reportedUnattended.contains($0.code) }
            .map { max(settled, $0.raisedAt + Self.unattendedMillis) }.min()
    }

    static let noOperatorsWebhook = "no-operators"

    /// The whole queue, for a (re)connection: every open alarm, and clearing of recently closed ones.
    func queueSnapshot(now: EpochMillis) throws -> [MQTTMessage] {
        try publisher.snapshot(desk: desk, recentlyClosed: try alarms.closedAlarmCodes(since: now - 86_400_000), now: now, person: personName)
            + notices.snapshot { try self.alarms.userName($0) ?? $0 }
            + handOverSnapshot()
    }

    /// Each console's hand-over offer as the desk holds it, or none (clearing one an earlier run left).
    private func handOverSnapshot() throws -> [MQTTMessage] {
        try NoticeStore(store).operators().map { handOverBanner($0.id, desk.handOvers[$0.id]) }
    }

    /// The retained banner on `receiver`'s console: the offer, or an empty payload that removes it.
    private func handOverBanner(_ receiver: String, _ h: HandOver?) -> MQTTMessage {
        let payload = h.map { wire.encode(HandOverOffer(from: $0.from, to: $0.to, note: $0.note, alarms: $0.codes, at: $0.at)) } ?? []
        return MQTTMessage(topic: console.handOver(receiver), payload: payload, qos: 1, retain: true)
    }

    // MARK: Route

    private func handle(_ m: MQTTMessage, now: EpochMillis) throws(StoreError) -> [MQTTMessage] {
        switch router.route(m.topic) {
        case .deviceEvent(let device):
            return try deviceMessage(m, device: device, now: now) { [EventDecoder.decode($0, deviceID: $1, receivedAt: now)] }
        case .observation(let device):
            return try deviceMessage(m, device: device, now: now) { FHIRObservationDecoder.decodeMessage($0, deviceID: $1, receivedAt: now) }
        case .zigbee(let name):
            try zigbeeMessage(m, friendlyName: name, now: now)
            return []
        case .command(let op):
            return try command(m, from: op, now: now)
        case .queueEntry(let code):
            return staleQueueEntry(m, code: code)
        case .presence(let op):
            consolePresence(m, operator: op, now: now)
            return []
        case .responderReport(let responder):
            return try responderReport(m, from: responder, now: now)
        case .ignored(let reason):
            counters.ignored[reason, default: 0] += 1
            return []
        case .misaddressed:
            if !readAhead { try deadLetters.record(Rejection(.badTopic(m.topic)), topic: m.topic, device: nil, payload: m.payload, at: now, counters: &counters) }
            return []
        }
    }

    /// The retained queue is the database's view: an entry the broker retains for an alarm the desk
    /// does not hold open is cleared (an empty retained payload). After a restore the broker still
    /// holds the entries of alarms the restored file never had; consoles would show them and the
    /// daemon refuse every claim as "not an open alarm". Only retained deliveries are judged: a live
    /// one is the daemon's own publish coming back, and the ingest loop stops reading those.
    private func staleQueueEntry(_ m: MQTTMessage, code: String) -> [MQTTMessage] {
        guard m.retain, !m.payload.isEmpty, desk.open[code] == nil else { return [] }
        counters.queueEntriesCleared += 1
        logger.notice("cleared a retained queue entry for an alarm that is not open in this database", metadata: ["alarm.id": "\(code)"])
        return [MQTTMessage(topic: m.topic, payload: [], qos: 1, retain: true)]
    }

    /// A console came or went. A presence message naming another operator than its topic is ignored
    /// (the ACL lets each login write only its own topic; the payload must agree).
    private func consolePresence(_ m: MQTTMessage, operator op: String, now: EpochMillis) {
        // Only registered operators count: a device login could write a presence topic of its own name.
        guard !m.payload.isEmpty, let p = WireDecoder().decode(ConsolePresence.self, from: m.payload), p.operator == op,
              (try? alarms.operatorRole(op)) != nil else {
            counters.ignored["console-presence", default: 0] += 1
            return
        }
        presence.heard(p, operator: op, now: now)
        logger.info(p.online ? "console present" : "console gone", metadata: ["operator.id": "\(op)"])
    }

    /// A responder's handset: en route, on site, left. Answered on their replies topic.
    private func responderReport(_ m: MQTTMessage, from responder: String, now: EpochMillis) throws(StoreError) -> [MQTTMessage] {
        let replyTopic = responderTopics.replies(responder)
        func reply(_ r: ConsoleReply) -> [MQTTMessage] { [MQTTMessage(topic: replyTopic, payload: wire.encode(r))] }
        guard !m.retain, let report = WireDecoder().decode(ResponderReport.self, from: m.payload) else {
            counters.ignored["responder-unreadable", default: 0] += 1
            return []
        }
        guard (try? rota.responder(responder)) != nil else {
            return reply(ConsoleReply(request: report.request, ok: false, alarm: report.alarm, error: "\(responder) is not a registered responder."))
        }
        switch desk.responderReport(responder, alarm: report.alarm, stage: report.stage, now: now) {
        case .failure(let r):
            return reply(ConsoleReply(request: report.request, ok: false, alarm: report.alarm, error: r.message))
        case .success(let (alarm, actions)):
            try persist(actions)
            logger.info("responder report", metadata: ["responder.id": "\(responder)", "alarm.id": "\(alarm.code)", "visit.stage": "\(report.stage.rawValue)"])
            return reply(ConsoleReply(request: report.request, ok: true, alarm: alarm.code, state: report.stage.rawValue))
        }
    }

    // MARK: Device events

    /// Decode, then accept from a registered device; anything else is a dead letter and, when the
    /// event's id could be read, a `rejected` ack that says why. A message may hold several events (a
    /// FHIR Bundle): each is answered on its own, in order.
    private func deviceMessage(_ m: MQTTMessage, device: String, now: EpochMillis, decode: ([UInt8], String) -> [Result<DeviceEvent, Rejection>]) throws(StoreError) -> [MQTTMessage] {
        let ackTopic = router.devices.topic(device: device, .acks)
        func refuse(_ r: Rejection) throws(StoreError) -> Ack? {
            if !readAhead { try deadLetters.record(r, topic: m.topic, device: device, payload: m.payload, at: now, counters: &counters) }
            return r.eventID.map { Ack(eventID: $0, status: .rejected, error: r.reason.sentence, reason: r.reason.code) }
        }
        func answer(_ decoded: Result<DeviceEvent, Rejection>) throws(StoreError) -> Ack? {
            let event: DeviceEvent
            switch decoded {
            case .failure(let r):
                if diskLow { return held() }
                return try refuse(r)
            case .success(let e): event = e
            }
            if diskLow && !event.type.isEmergency { return held() }
            guard let registered = try store.device(device) else {
                let unknown = Rejection(.unknownDevice(device), eventID: event.eventID)
                guard event.type.isEmergency else { return try refuse(unknown) }
                return try unregisteredEmergency(event, unknown, topic: m.topic, payload: m.payload, now: now)
            }
            return try accept(event, payload: m.payload, from: registered, now: now)
        }
        func held() -> Ack? {
            counters.heldForDisk += 1
            return nil
        }
        var acks: [MQTTMessage] = []
        for decoded in decode(m.payload, device) {
            guard let ack = try answer(decoded) else { continue }
            // Read ahead, a duplicate means the persistent session stored the event first and has
            // answered it `accepted`; a second answer by the lane could overtake that one.
            if readAhead && ack.status == .duplicate { continue }
            acks.append(MQTTMessage(topic: ackTopic, payload: wire.encode(ack)))
        }
        return acks
    }

    /// The pipeline for one decoded event from a registered device. Returns its ack.
    private func accept(_ received: DeviceEvent, payload: [UInt8], from registered: RegisteredDevice, now: EpochMillis) throws(StoreError) -> Ack {
        var event = received
        // A door registered as a property exit is one, whether or not this event says so.
        if event.type == .door, event.detail.exit == nil, registered.propertyExit { event.detail.exit = true }
        // Dedupe: a device resends until it sees its ack, so a second copy is answered, not stored.
        if case .stored(let code)? = try events.existing(device: event.deviceID, eventID: event.eventID) {
            counters.duplicates += 1
            return Ack(eventID: event.eventID, status: .duplicate, alarm: code)
        }
        // Budget: past it an event is refused, unless it is an emergency (issue 12, section 9).
        if case .over(let started) = floods.admit(device: event.deviceID, kind: registered.kind, now: now) {
            if started { try flooding(event.deviceID, from: registered, now: now) }
            if !event.type.isEmergency { return rateLimited(event, kind: registered.kind) }
        }
        // Classify: triage with the person's own plan.
        let decision = try classifier.classify(event, user: registered.userID, now: now)
        // Contact: any message keeps supervision quiet, and brings a lost device back.
        try alarms.touch(device: event.deviceID, at: now, battery: event.battery, staleMillis: touchStaleMillis)
        let restored = supervision.heard(from: event.deviceID, registered, now: now) ? desk.contactRestored(device: event.deviceID, now: now) : .none
        // Desk: group, raise, cancel or clear.
        let decided = desk.ingest(event, user: registered.userID, decision: decision, now: now, year: years.year(now, in: clock), sentAt: RFC3339.millis(event.deviceTime))
        // Record: the desk's writes, then the event linked to the alarm it belongs to.
        try persist(restored.actions + decided.actions)
        try events.record(event, receivedAt: now, payload: payload, triage: decision.summary, alarm: (decided.alarm ?? restored.alarm)?.id)
        if let kg = event.detail.vitals.weightKg { try alarms.recordWeight(user: registered.userID, at: now, kg: kg) }
        if !event.warnings.isEmpty { try malformedData(event, from: registered, now: now) }
        counters.accepted += 1
        // Respond (published after the commit), naming every side field that was dropped.
        return Ack(eventID: event.eventID, status: .accepted, alarm: decided.alarm?.code, warnings: event.warnings)
    }

    /// Issue 12, section 1: the event was taken without its malformed side fields; the first such
    /// event of a device each local day also raises a P3 so the installer fixes the device. The notice
    /// is a `device_fault` event row of Vigil's own (id "!malformed:…", which device ids cannot be),
    /// so "already raised today" survives a restart.
    private func malformedData(_ event: DeviceEvent, from registered: RegisteredDevice, now: EpochMillis) throws(StoreError) {
        let prefix = "!malformed:"
        if let last = try events.lastNotice(device: event.deviceID, prefix: prefix), clock.localDay(last) == clock.localDay(now) { return }
        let alarm = try deviceFault(event.deviceID, user: registered.userID, prefix: prefix, reason: DeviceFault.malformed.reason(String(event.warnings[0].prefix(160))),
                                    payload: wire.encode(event.warnings), now: now)
        logger.notice("device sends malformed data", metadata: ["device.id": "\(event.deviceID)", "alarm.id": "\(alarm?.code ?? "-")"])
    }

    /// Issue 12, section 9: the first event past a device's budget raises a P3 "device flooding" for
    /// the installer, as malformed data does; not again until the device has kept within its budget
    /// for `quietMillis`. The notice row ("!flooding:…") keeps a restart in the middle of a flood
    /// from raising it twice.
    private func flooding(_ device: String, from registered: RegisteredDevice, now: EpochMillis) throws(StoreError) {
        let prefix = "!flooding:"
        counters.floods += 1
        if let last = try events.lastNotice(device: device, prefix: prefix), now - last < floods.limits.quietMillis { return }
        let budget = floods.limits.budget(registered.kind)
        let reason = DeviceFault.flooding.reason("more than \(budget.burst) events at once from a \(registered.kind.rawValue); events past its budget are refused (emergencies are still raised)")
        let alarm = try deviceFault(device, user: registered.userID, prefix: prefix, reason: reason, payload: wire.encode([RejectReason.rateLimited(burst: budget.burst, perMinute: budget.perMinute).sentence]), now: now)
        logger.warning("device flooding: events past its budget are refused", metadata: ["device.id": "\(device)", "alarm.id": "\(alarm?.code ?? "-")"])
    }

    /// Refused for the budget: counted and acked, neither stored as an event nor kept as a dead letter
    /// (a flood would fill the disk either way) nor logged one by one; the P3 and the counter say it.
    private func rateLimited(_ event: DeviceEvent, kind: DeviceKind) -> Ack {
        let budget = floods.limits.budget(kind)
        let reason = RejectReason.rateLimited(burst: budget.burst, perMinute: budget.perMinute)
        counters.rejected += 1
        counters.byReason[reason.code, default: 0] += 1
        return Ack(eventID: event.eventID, status: .rejected, error: reason.sentence, reason: reason.code)
    }

    /// A P3 `device_fault` of Vigil's own about a device: an event row with id "{prefix}{now}" (which
    /// device ids cannot be), so when it was last raised survives a restart.
    private func deviceFault(_ device: String, user: String, prefix: String, reason: String, payload: [UInt8], now: EpochMillis) throws(StoreError) -> Alarm? {
        let notice = DeviceEvent(deviceID: device, eventID: "\(prefix)\(now)", type: .deviceFault, deviceTime: RFC3339.format(millis: now))
        let decided = desk.ingest(notice, user: user, decision: .raise(.technical, reason: reason), now: now, year: years.year(now, in: clock))
        try persist(decided.actions)
        try events.record(notice, receivedAt: now, payload: payload, triage: "P3 \(reason)", alarm: decided.alarm?.id)
        return decided.alarm
    }

    /// An emergency from a device nobody registered is still an alarm: kept as a dead letter as every
    /// unknown device's message is, and raised P1 against the reserved unidentified caller so an
    /// operator finds out who it is (the device id is on the alarm). Resends are recognised by their
    /// dead letter and answered `duplicate`; repeats join the open alarm as any repeat does. Acked
    /// `accepted` with the alarm's code: it is being handled, so the device need not resend.
    private func unregisteredEmergency(_ event: DeviceEvent, _ unknown: Rejection, topic: String, payload: [UInt8], now: EpochMillis) throws(StoreError) -> Ack {
        let open = desk.open.values.first { $0.user == UnidentifiedCaller.userID && $0.device == event.deviceID && $0.type == event.type }
        if try store.hasDeadLetter(device: event.deviceID, eventID: event.eventID, reason: unknown.reason.code) {
            counters.duplicates += 1
            return Ack(eventID: event.eventID, status: .duplicate, alarm: open?.code)
        }
        // Kept where every unknown device's message is (events refer to registered devices only), but
        // counted and logged as accepted: it was answered, not refused.
        try store.deadLetter(topic: topic, deviceID: event.deviceID, eventID: event.eventID, reason: unknown.reason.code, detail: unknown.reason.sentence, payload: payload, at: now)
        counters.accepted += 1
        let alarm = try raiseUnidentified(event, caller: "unregistered device \(event.deviceID)", now: now)
        return Ack(eventID: event.eventID, status: .accepted, alarm: alarm?.code)
    }

    /// Raises (or joins) the P1 against the reserved unidentified caller for an emergency from `caller`.
    private func raiseUnidentified(_ event: DeviceEvent, caller: String, now: EpochMillis) throws(StoreError) -> Alarm? {
        let reason = "\(event.type.rawValue) alarm from \(caller): identify the caller"
        let decided = desk.ingest(event, user: UnidentifiedCaller.userID, decision: .raise(.emergency, reason: reason), now: now, year: years.year(now, in: clock),
                                  sentAt: RFC3339.millis(event.deviceTime))
        try persist(decided.actions)
        logger.warning("emergency from an unregistered device raised for identification", metadata: ["device.id": "\(event.deviceID)", "alarm.id": "\(decided.alarm?.code ?? "-")"])
        return decided.alarm
    }

    // MARK: Zigbee2MQTT

    /// A Zigbee2MQTT bridge reports a device's whole state; only transitions become events. The bridge
    /// reads no application ack, so what it gets is the MQTT PUBACK, which leaves after this commit.
    private func zigbeeMessage(_ m: MQTTMessage, friendlyName name: String, now: EpochMillis) throws(StoreError) {
        guard let z = try zigbeeStore.device(friendlyName: name) else { return try unregisteredZigbee(m, friendlyName: name, now: now) }
        let update: ZigbeeUpdate
        switch zigbeeAdapter.decode(m.payload, role: z.role, previous: try zigbeeStore.state(device: z.id)) {
        case .failure(let r):
            if diskLow { return counters.heldForDisk += 1 }
            try deadLetters.record(r, topic: m.topic, device: z.id, payload: m.payload, at: now, counters: &counters)
            return
        case .success(let u):
            update = u
        }
        // Short of disk, only a report that raises an emergency is stored. A bridge does not resend, so
        // what else it reported meanwhile is not kept; its state is not saved either, so the first
        // report after space returns is read against the last one stored.
        if diskLow && !update.events.contains(where: \.type.isEmergency) { return counters.heldForDisk += 1 }
        let registered = RegisteredDevice(userID: z.userID, kind: z.role.kind, heartbeatSeconds: z.heartbeatSeconds)
        if update.events.isEmpty {
            // A report with no transition is still contact.
            try alarms.touch(device: z.id, at: now, staleMillis: touchStaleMillis)
            if supervision.heard(from: z.id, registered, now: now) {
                let restored = desk.contactRestored(device: z.id, now: now)
                try persist(restored.actions)
                try events.systemEvent(device: z.id, note: "contact restored", at: now, alarm: restored.alarm?.id)
            }
        }
        let deviceTime = update.deviceTime ?? RFC3339.format(millis: now)
        for e in update.events {
            // Unique across the batch too: two reports from one sensor can share a receive time.
            zigbeeEvents += 1
            let event = e.deviceEvent(deviceID: z.id, eventID: ZigbeeEvent.eventID(receivedAt: now, index: zigbeeEvents), deviceTime: deviceTime)
            _ = try accept(event, payload: m.payload, from: registered, now: now)
        }
        if !update.unrecognised.isEmpty { try unrecognised(update.unrecognised, device: z.id, from: registered, payload: m.payload, now: now) }
        try zigbeeStore.save(update.state, device: z.id, at: now)
    }

    /// Issue 12, section 10: a registered device said something that looks like an alarm in words
    /// Vigil does not read (`fire_alarm: true`). Each activation is stored as a `device_fault` notice
    /// of Vigil's own ("!unrecognised:…") with the payload as received; the first of a local day raises
    /// a P3 so the installer finds out what the device means, later ones that day are recorded only.
    private func unrecognised(_ keys: [String], device: String, from registered: RegisteredDevice, payload: [UInt8], now: EpochMillis) throws(StoreError) {
        let prefix = UnrecognisedReports.prefix
        let reason = DeviceFault.unrecognised.reason(String(keys.joined(separator: ", ").prefix(160)))
        counters.unrecognised += 1
        if let last = try events.lastNotice(device: device, prefix: prefix), clock.localDay(last) == clock.localDay(now) {
            zigbeeEvents += 1
            let notice = DeviceEvent(deviceID: device, eventID: "\(prefix)\(now):\(zigbeeEvents)", type: .deviceFault, deviceTime: RFC3339.format(millis: now))
            try events.record(notice, receivedAt: now, payload: payload, triage: "recorded: \(reason)\(UnrecognisedReports.laterToday)", alarm: nil)
            return
        }
        let alarm = try deviceFault(device, user: registered.userID, prefix: prefix, reason: reason, payload: payload, now: now)
        logger.notice("device reports something Vigil does not understand", metadata: ["device.id": "\(device)", "keys": "\(keys.joined(separator: ","))", "alarm.id": "\(alarm?.code ?? "-")"])
    }

    /// A state report on a Zigbee2MQTT topic nobody registered: a bulb, a group, a sensor paired at the
    /// bridge and never entered. Counted per topic with its last payload instead of one dead letter
    /// each (the bridge republishes every device's state on every change). Read as a device of no
    /// particular kind, so an emergency it reports (smoke, CO, gas, SOS, a fall) becomes true is raised
    /// P1 against the unidentified caller, on the transition only, as for a registered device; that
    /// payload is also kept whole as a dead letter.
    private func unregisteredZigbee(_ m: MQTTMessage, friendlyName name: String, now: EpochMillis) throws(StoreError) {
        let topic = String(m.topic.prefix(256))
        let previous = try zigbeeStore.unregisteredState(topic: topic)
        let update = try? zigbeeAdapter.decode(m.payload, role: .unregistered, previous: previous).get()
        if diskLow && !(update?.events.contains(where: \.type.isEmergency) ?? false) { return counters.heldForDisk += 1 }
        try zigbeeStore.heardUnregistered(topic: topic, payload: m.payload, state: update?.state, at: now)
        counters.unregisteredZigbee += 1
        let emergencies = update?.events.filter(\.type.isEmergency) ?? []
        guard !emergencies.isEmpty else { return }
        let unknown = Rejection(.unknownDevice(topic))
        try store.deadLetter(topic: m.topic, deviceID: nil, eventID: nil, reason: unknown.reason.code, detail: unknown.reason.sentence, payload: m.payload, at: now)
        for e in emergencies {
            zigbeeEvents += 1
            let event = e.deviceEvent(deviceID: topic, eventID: ZigbeeEvent.eventID(receivedAt: now, index: zigbeeEvents), deviceTime: update?.deviceTime ?? RFC3339.format(millis: now))
            _ = try raiseUnidentified(event, caller: "unregistered Zigbee device \"\(name.prefix(64))\"", now: now)
        }
    }

    // MARK: Operator commands

    private func command(_ m: MQTTMessage, from op: String, now: EpochMillis) throws(StoreError) -> [MQTTMessage] {
        let replyTopic = console.replies(op)
        func reply(_ r: ConsoleReply) -> [MQTTMessage] { [MQTTMessage(topic: replyTopic, payload: wire.encode(r))] }
        func refuse(_ message: String, _ c: ConsoleCommand) throws(StoreError) -> [MQTTMessage] {
            try persist([.audit(AuditEntry(at: now, alarmID: desk.open[c.alarm]?.id, actor: .operator(op), action: .refused, detail: "\(c.action.rawValue): \(message)"))])
            logger.notice("command refused", metadata: ["operator.id": "\(op)", "alarm.id": "\(c.alarm)", "command": "\(c.action.rawValue)"])
            return reply(ConsoleReply(request: c.request, ok: false, alarm: c.alarm, error: message))
        }
        if m.retain {
            // A retained command would be carried out again on every reconnect (issue 12, section 11).
            counters.ignored["console-retained", default: 0] += 1
            guard case .success(let c) = ConsoleCommand.decode(m.payload) else { return [] }
            return reply(ConsoleReply(request: c.request, ok: false, alarm: c.alarm, error: "Ignored: the command arrived as a retained message, which the broker replays on every reconnect. Publish commands without the retain flag."))
        }
        switch try commands.read(m.payload, from: op) {
        case .unreadable(let request, let message):
            return request.map { reply(ConsoleReply(request: $0, ok: false, error: message)) } ?? []
        case .refused(let message, let c):
            return try refuse(message, c)
        case .acknowledge(let code, let c):
            guard let alarm = desk.open[code] else { return reply(ConsoleReply(request: c.request, ok: false, alarm: code, error: "\(code) is not an open alarm; its notice has gone.")) }
            guard try notices.acknowledge(alarm, by: op, at: now) else {
                return reply(ConsoleReply(request: c.request, ok: false, alarm: code, error: "You have no notice about \(code) to acknowledge."))
            }
            try persist([.audit(AuditEntry(at: now, alarmID: alarm.id, actor: .operator(op), action: .noticeAcknowledged))])
            return reply(ConsoleReply(request: c.request, ok: true, alarm: code, state: alarm.status.rawValue))
        case .handOver(let to, let note, let identity, let c):
            switch desk.offerHandOver(by: identity, to: to, note: note, now: now) {
            case .failure(let r): return try refuse(r.message, c)
            case .success(let (h, actions)):
                try persist(actions)
                logger.info("hand-over offered", metadata: ["operator.id": "\(op)", "to": "\(to.id)", "alarms": "\(h.codes.count)"])
                return reply(ConsoleReply(request: c.request, ok: true, state: "offered \(h.codes.count) to \(to.id)"))
            }
        case .acceptHandOver(let identity, let c):
            switch desk.acceptHandOver(by: identity, now: now) {
            case .failure(let r): return try refuse(r.message, c)
            case .success(let (moved, actions)):
                try persist(actions)
                logger.info("hand-over taken", metadata: ["operator.id": "\(op)", "alarms": "\(moved.count)"])
                return reply(ConsoleReply(request: c.request, ok: true, state: "took \(moved.count)"))
            }
        case .moveClaims(let from, let to, let identity, let c):
            switch desk.moveClaims(of: from, to: to, by: identity, note: c.text, now: now) {
            case .failure(let r): return try refuse(r.message, c)
            case .success(let (moved, actions)):
                try persist(actions)
                logger.info("claims moved", metadata: ["operator.id": "\(op)", "from": "\(from)", "to": "\(to.id)", "alarms": "\(moved.count)"])
                return reply(ConsoleReply(request: c.request, ok: true, state: "moved \(moved.count) to \(to.id)"))
            }
        case .call(let code, let callee, let result, let identity, let c):
            guard let alarm = desk.open[code] else { return try refuse("\(code) is not an open alarm.", c) }
            guard alarm.claimedBy == op || identity.role == .supervisor else { return try refuse("Claim \(code) before recording a call for it.", c) }
            try alarms.recordCall(alarm: alarm.id, operator: op, callee: callee, result: result, at: now)
            try persist([.audit(AuditEntry(at: now, alarmID: alarm.id, actor: .operator(op), action: .call, detail: "\(callee): \(result.rawValue)"))])
            return reply(ConsoleReply(request: c.request, ok: true, alarm: code, state: alarm.status.rawValue))
        case .dispatch(let code, let named, let identity, let c):
            guard let alarm = desk.open[code] else { return try refuse("\(code) is not an open alarm.", c) }
            let responder: String
            do {
                if let named {
                    guard try rota.responder(named) != nil else { return try refuse("\(named) is not a registered responder (see `vigil responders add`).", c) }
                    responder = named
                } else {
                    guard let area = try alarms.whereabouts(alarm.user)?.area else {
                        return try refuse("\(alarm.user) has no area, so there is no rota to ask: name the responder with \"to\".", c)
                    }
                    guard let first = try rota.onCall(area: area, at: now).first else {
                        return try refuse("Nobody is on call for area \(area) now: name a responder with \"to\", and tell a supervisor about the gap.", c)
                    }
                    responder = first.id
                }
            } catch let e as StoreError { throw e } catch { return try refuse("The rota could not be read: \(error)", c) }
            return try carryOut(.dispatch(code, responder: responder), identity, c, op: op, now: now, reply: reply, refuse: refuse)
        case .detail(let code, let c):
            // Read-only: not audited as an action, but only for registered operators and open alarms.
            guard let alarm = desk.open[code] else { return reply(ConsoleReply(request: c.request, ok: false, alarm: code, error: "\(code) is not an open alarm.")) }
            pendingDetails.append((replyTopic, c, alarm))
            return []
        case .desk(let deskCommand, let identity, let c):
            return try carryOut(deskCommand, identity, c, op: op, now: now, reply: reply, refuse: refuse)
        }
    }

    private func carryOut(_ deskCommand: OperatorCommand, _ identity: OperatorIdentity, _ c: ConsoleCommand, op: String, now: EpochMillis,
                             reply: (ConsoleReply) -> [MQTTMessage], refuse: (String, ConsoleCommand) throws(StoreError) -> [MQTTMessage]) throws(StoreError) -> [MQTTMessage] {
        // Carried out once: a redelivered or resent command finds its request id (issue 12, section 11).
        if let at = try consoleRequests.executed(operator: op, request: c.request) {
            return try refuse("Request \(c.request) was already carried out at \(RotaTime.format(at, zone: clock.timeZone)); it is not done twice. Send a new request id.", c)
        }
        try consoleRequests.remember(operator: op, request: c.request, at: now)
        switch desk.command(deskCommand, by: identity, now: now) {
        case .failure(let refusal):
            return try refuse(refusal.message, c)
        case .success(let (alarm, actions)):
            try persist(actions)
            if alarm.isNoContact, alarm.status == .resolved, let followUp = supervision.rearm(alarm.device, now: now) {
                try events.systemEvent(device: alarm.device, note: "supervision re-armed: \(alarm.code) resolved while the device is still silent; raised again at \(RotaTime.format(followUp, zone: clock.timeZone)) unless heard from", at: now, alarm: alarm.id)
            }
            logger.info("command", metadata: ["operator.id": "\(op)", "alarm.id": "\(alarm.code)", "command": "\(c.action.rawValue)"])
            return reply(ConsoleReply(request: c.request, ok: true, alarm: alarm.code, state: alarm.status.rawValue))
        }
    }

    // MARK: Timers

    /// Devices registered since the last look, heartbeat deadlines and escalation steps due by `now`.
    private func tick(now: EpochMillis) throws(StoreError) {
        if now >= supervision.scanDue {
            let desk = desk
            do { try supervision.scanRegistry(alarms, now: now, startingUp: false) { desk.noContactAlarm(device: $0) != nil } }
            catch let e as StoreError { throw e } catch { logger.warning("registry scan failed; will retry", metadata: ["error": "\(error)"]) }
        }
        for finding in supervision.due(now: now) {
            switch finding {
            case .lost(let device, let user, let silent):
                let lost = desk.noContact(device: device, user: user, silentSeconds: silent, now: now, year: years.year(now, in: clock))
                try persist(lost.actions)
                try events.systemEvent(device: device, note: "no contact", at: now, alarm: lost.alarm?.id)
                logger.notice("device out of contact", metadata: ["device.id": "\(device)", "alarm.id": "\(lost.alarm?.code ?? "-")"])
            case .muted(let device, _, let hub):
                // Recorded, not queued: the hub that carries this device's radio link is itself lost.
                try events.systemEvent(device: device, note: "muted: hub \(hub) out of contact", at: now, alarm: nil)
            }
        }
        try persist(desk.tick(now: now))
        try persist(desk.visitTick(now: now))
        try claimLeases(now: now)
        try unattended(now: now)
        if now >= cover.due { try coverCheck(now: now) }
    }

    /// Areas with nobody on call in the next 24 hours, as last checked (a gauge).
    var areasWithoutCover: Int { cover.areasWithGap }

    private func coverCheck(now: EpochMillis) throws(StoreError) {
        do {
            let (audit, messages) = try cover.check(now: now, zone: clock.timeZone)
            try persist(audit.map { .audit($0) })
            pendingCover += messages
            for a in audit { logger.warning("gap in the responder rota", metadata: ["detail": "\(a.detail)"]) }
        } catch let e as StoreError { throw e } catch {
            logger.warning("the rota could not be checked for gaps; will retry", metadata: ["error": "\(error)"])
        }
    }

    /// A claim whose holder's console has been gone longer than the lease goes back to the queue.
    private func claimLeases(now: EpochMillis) throws(StoreError) {
        // Every turn: look at each open alarm once, and order only those whose holder has gone.
        let lapsed = desk.open.values.compactMap { a -> (alarm: Alarm, holder: String, away: EpochMillis)? in
            guard let holder = a.claimedBy, let away = presence.away(holder, now: now), away >= leaseMillis else { return nil }
            return (a, holder, away)
        }
        for (a, holder, away) in lapsed.sorted(by: { Alarm.inQueueOrder($0.alarm, $1.alarm) }) {
            try persist(desk.expireClaim(a.code, awayMillis: away, now: now))
            logger.warning("claim released: its operator's console is gone", metadata: ["alarm.id": "\(a.code)", "operator.id": "\(holder)"])
        }
    }

    /// Nobody on duty and an alarm nobody has claimed for 30 s: the "no-operators" webhook, once per alarm.
    private func unattended(now: EpochMillis) throws(StoreError) {
        guard notices.webhooks[Self.noOperatorsWebhook] != nil else { return }
        guard presence.nobodyOnDuty(now: now) else {
            reportedUnattended.removeAll()
            return
        }
        for a in desk.queue where a.status == .raised && now - a.raisedAt >= Self.unattendedMillis && !reportedUnattended.contains(a.code) {
            reportedUnattended.insert(a.code)
            try persist([.notify(Notice(alarm: a, to: [.webhook(Self.noOperatorsWebhook)], why: "no operator is on duty; P\(a.priority.rawValue) \(a.type.rawValue) unanswered for \(Notice.span(now - a.raisedAt))", at: now))])
        }
    }

    // MARK: Record

    /// Writes the desk's decisions in the open transaction and notes what consoles must be told.
    func persist(_ actions: [DeskAction]) throws(StoreError) {
        guard !actions.isEmpty else { return }
        try alarms.perform(actions)
        publisher.note(actions)
        for action in actions {
            switch action {
            case .notify(let n):
                try alarms.perform(try notices.deliver(n, person: try alarms.userName(n.alarm.user) ?? n.alarm.user))
            case .update(let a) where a.status == .resolved:
                try notices.closed(a)
                reportedUnattended.remove(a.code)
            case .openVisit(let v):
                // The job goes on the responder's handset: who, where, how to get in, why.
                let alarm = desk.open[v.alarmCode]
                let person = try alarms.whereabouts(alarm?.user ?? "")
                let job = ResponderJob(alarm: v.alarmCode, person: person?.name ?? "", address: person?.address ?? "", access: person?.access ?? "",
                                       reason: alarm?.reason ?? "", dispatchedAt: v.dispatchedAt)
                pendingJobs.append(MQTTMessage(topic: responderTopics.job(v.responder, alarm: v.alarmCode), payload: wire.encode(job), qos: 1, retain: true))
            case .updateVisit(let v) where !v.isOpen:
                pendingJobs.append(MQTTMessage(topic: responderTopics.job(v.responder, alarm: v.alarmCode), payload: [], qos: 1, retain: true))
            case .offerHandOver(let h):
                pendingHandOvers.append(handOverBanner(h.to, h))
            case .withdrawHandOver(let receiver):
                pendingHandOvers.append(handOverBanner(receiver, nil))
            default:
                break
            }
        }
        for case .audit(let entry) in actions where entry.action == .escalated || entry.action == .reminder {
            let priority = desk.open.values.first { $0.id == entry.alarmID }?.priority.rawValue ?? 0
            counters.escalationSteps["\(priority)/\(entry.action.rawValue)", default: 0] += 1
        }
        for case .open(let alarm) in actions {
            counters.alarmsRaised += 1
            counters.raisedByPriority[alarm.priority, default: 0] += 1
            logger.info("alarm raised", metadata: ["alarm.id": "\(alarm.code)", "device.id": "\(alarm.device)", "alarm.priority": "\(alarm.priority.rawValue)"])
        }
    }

    // MARK: After the commit

    /// Detail replies (read now, outside the write transaction) and the queue updates of the batch.
    /// A failed read costs a console a refresh, never an ack: it is logged, and the rest still leaves.
    private func afterCommit(now: EpochMillis) -> [MQTTMessage] {
        var out: [MQTTMessage] = []
        for (topic, c, alarm) in pendingDetails {
            let reply: ConsoleReply
            do {
                reply = ConsoleReply(request: c.request, ok: true, alarm: alarm.code, state: alarm.status.rawValue, detail: try DetailReader(store, timeZone: clock.timeZone).detail(alarm: alarm))
            } catch {
                logger.warning("could not read an alarm's detail", metadata: ["alarm.id": "\(alarm.code)", "error": "\(error)"])
                reply = ConsoleReply(request: c.request, ok: false, alarm: alarm.code, error: "The detail of \(alarm.code) could not be read just now; select it again.")
            }
            out.append(MQTTMessage(topic: topic, payload: wire.encode(reply)))
        }
        pendingDetails.removeAll()
        let (noticeMessages, calls) = notices.take()
        out += noticeMessages + pendingJobs + pendingCover + pendingHandOvers
        pendingJobs.removeAll()
        pendingCover.removeAll()
        pendingHandOvers.removeAll()
        webhookCalls += calls
        do { out += try publisher.updates(desk: desk, now: now, person: personName) } catch {
            logger.warning("could not build queue updates; consoles catch up on the next change", metadata: ["error": "\(error)"])
        }
        return out
    }

    private func personName(_ user: String) throws -> PersonLabel {
        PersonLabel(name: try alarms.userName(user) ?? user,
                    status: try alarms.personStatus(user, today: Day(daysSinceEpoch: Int(clock.localDay(clock.now())))))
    }
}
