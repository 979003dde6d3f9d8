import Logging
import Mosquitto
import VigilCore
import VigilStore
import VigilWire

/// The single owner of alarm state. It lives on the ingest thread: every device event, operator
/// command and timer step is decided here, written in the loop's open transaction, and its
/// messages (acks, replies, queue updates) are handed back to be published after the commit.
///
/// Stages for a device message: topic → decode → device lookup → store (idempotent) → supervision
/// contact → triage (with the person's plan) → desk (group, cancel, clear) → ack. Anything that is not
/// accepted leaves a dead-letter row with its reason.
public final class AlarmCentre {
    let store: IngestStore
    let alarms: AlarmStore
    let topics: Topics
    let console: ConsoleTopics
    let zigbee: ZigbeeTopics
    let zigbeeStore: ZigbeeStore
    let zigbeeAdapter: Zigbee2MQTTAdapter
    let policy: TriagePolicy
    let clock: any WallClock
    let logger: Logger
    public private(set) var desk: AlarmDesk
    public private(set) var supervisor: Supervisor
    public private(set) var counters = IngestCounters()
    private var supervisedUpTo: Int64 = 0
    private var lastRegistryScan: EpochMillis = 0
    /// Alarms whose retained queue entry must be refreshed after the commit.
    private var changed: Set<String> = []
    private var names: [String: String] = [:]
    /// Numbers Zigbee2MQTT events (which carry no id of their own) within this process.
    private var zigbeeEvents = 0
    /// (raised, first claimed) of alarms raised in the last hour, by alarm id.
    private var recent: [Int64: (raised: EpochMillis, claimed: EpochMillis?, answerable: Bool)] = [:]

    public init(store: IngestStore, topics: Topics, zigbee: ZigbeeTopics = ZigbeeTopics(), policy: TriagePolicy, escalation: EscalationPolicy, graceSeconds: Int, clock: any WallClock, logger: Logger) throws {
        self.store = store
        alarms = try AlarmStore(store.db)
        self.topics = topics
        console = ConsoleTopics(prefix: topics.prefix)
        self.zigbee = zigbee
        zigbeeStore = try ZigbeeStore(store.db)
        zigbeeAdapter = Zigbee2MQTTAdapter(policy: policy)
        self.policy = policy
        self.clock = clock
        self.logger = logger
        let now = clock.now()
        // Recovery: the queue, claims and escalation steps already fired come back from the database.
        let open = try alarms.openAlarms()
        desk = AlarmDesk(open: open, nextID: try alarms.maxAlarmID() + 1, escalation: escalation)
        supervisor = Supervisor(graceSeconds: graceSeconds)
        for t in try alarms.answerTimes(since: now - 3_600_000) {
            recent[t.id] = (t.raised, t.claimed, !t.withdrawn)
        }
        try scanRegistry(now: now, startingUp: true)
        logger.info("alarm state rebuilt", metadata: ["alarms.open": "\(open.count)", "devices.supervised": "\(supervisor.count)"])
    }

    // MARK: Device events

    public func handleDeviceMessage(_ m: MQTTMessage, now: EpochMillis) throws(StoreError) -> [MQTTMessage] {
        guard let (device, channel) = topics.parse(m.topic), channel != .acks else {
            try reject(Rejection(.badTopic(m.topic)), topic: m.topic, device: nil, payload: m.payload, at: now)
            return []
        }
        let ackTopic = topics.topic(device: device, .acks)
        let event: DeviceEvent
        // A telehealth kit sends one FHIR Observation per message; everything else speaks wire v1.
        let decoded = channel == .observations ? FHIRObservationDecoder.decode(m.payload, deviceID: device) : EventDecoder.decode(m.payload, deviceID: device)
        switch decoded {
        case .failure(let r):
            try reject(r, topic: m.topic, device: device, payload: m.payload, at: now)
            return rejectedAck(r, ackTopic)
        case .success(let e):
            event = e
        }
        guard let registered = try store.device(device) else {
            let r = Rejection(.unknownDevice(device), eventID: event.eventID)
            try reject(r, topic: m.topic, device: device, payload: m.payload, at: now)
            return rejectedAck(r, ackTopic)
        }
        let ack = try accept(event, payload: m.payload, device: registered, now: now)
        return [MQTTMessage(topic: ackTopic, payload: ack.encoded())]
    }

    /// Stores a decoded event from a registered device and lets triage and the desk act on it.
    private func accept(_ event: DeviceEvent, payload: [UInt8], device registered: RegisteredDevice, now: EpochMillis) throws(StoreError) -> Ack {
        let device = event.deviceID
        let person = try alarms.triage(user: registered.userID)
        var weights: [(at: EpochMillis, kg: Double)] = []
        if person.heartFailure, event.detail.vitals.weightKg != nil {
            weights = try alarms.weights(user: registered.userID, since: now - PersonTriage.weightWindowMillis)
        }
        let decision = policy.classify(event, minuteOfDay: clock.minuteOfDay(now), person: person, now: now, recentWeights: weights)
        switch try store.insert(event, receivedAt: now, payload: payload, triage: decision.summary) {
        case .duplicate(let alarm):
            counters.duplicates += 1
            return Ack(eventID: event.eventID, status: .duplicate, alarm: alarm)
        case .inserted(let seq):
            counters.accepted += 1
            if let kg = event.detail.vitals.weightKg { try alarms.recordWeight(user: registered.userID, at: now, kg: kg) }
            try heard(from: device, registered, seq: seq, battery: event.battery, now: now)
            let (alarm, actions) = desk.ingest(seq: seq, event: event, user: registered.userID, decision: decision, now: now, year: clock.year(now))
            try apply(actions)
            return Ack(eventID: event.eventID, status: .accepted, alarm: alarm)
        }
    }

    /// Any message from a device is contact: it keeps heartbeat supervision quiet.
    private func heard(from device: String, _ registered: RegisteredDevice, seq: Int64?, battery: Int? = nil, now: EpochMillis) throws(StoreError) {
        try alarms.touch(device: device, at: now, battery: battery)
        if let interval = registered.heartbeatSeconds, !supervisor.isSupervised(device) {
            supervisor.supervise(device: device, user: registered.userID, intervalSeconds: interval, isHub: registered.kind == .hub, lastContact: now)
        }
        if supervisor.contact(device, at: now) {
            let link: Int64
            if let seq { link = seq } else {
                link = try alarms.systemEvent(device: device, note: "contact restored", at: now, timestamp: RFC3339.format(millis: now))
            }
            try apply(desk.contactRestored(device: device, seq: link, now: now))
        }
    }

    // MARK: Zigbee2MQTT

    /// A Zigbee2MQTT bridge reports a device's whole state; only transitions become events. The bridge
    /// reads no application ack, so what it gets is the MQTT PUBACK, which leaves after this commit.
    public func handleZigbee(_ m: MQTTMessage, now: EpochMillis) throws(StoreError) -> [MQTTMessage] {
        guard let name = zigbee.friendlyName(of: m.topic) else { return [] } // bridge/…, …/set, …/availability
        guard let z = try zigbeeStore.device(friendlyName: name) else {
            try reject(Rejection(.unknownDevice(name)), topic: m.topic, device: nil, payload: m.payload, at: now)
            return []
        }
        let previous = try zigbeeStore.state(device: z.id)
        switch zigbeeAdapter.decode(m.payload, role: z.role, previous: previous) {
        case .failure(let r):
            try reject(r, topic: m.topic, device: z.id, payload: m.payload, at: now)
            return []
        case .success(let update):
            let registered = RegisteredDevice(userID: z.userID, kind: z.role.kind, heartbeatSeconds: z.heartbeatSeconds)
            let deviceTime = update.deviceTime ?? RFC3339.format(millis: now)
            if update.events.isEmpty { try heard(from: z.id, registered, seq: nil, now: now) }
            for e in update.events {
                // Unique across the batch too: two reports from one sensor can share a receive time.
                zigbeeEvents += 1
                let event = e.deviceEvent(deviceID: z.id, eventID: ZigbeeEvent.eventID(receivedAt: now, index: zigbeeEvents), deviceTime: deviceTime)
                _ = try accept(event, payload: m.payload, device: registered, now: now)
            }
            try zigbeeStore.save(update.state, device: z.id, at: now)
            return []
        }
    }

    // MARK: Operator commands

    public func handleCommand(_ m: MQTTMessage, now: EpochMillis) throws(StoreError) -> [MQTTMessage] {
        guard let op = console.commandOperator(m.topic) else { return [] }
        let replyTopic = console.replies(op)
        func reply(_ r: ConsoleReply) -> [MQTTMessage] { [MQTTMessage(topic: replyTopic, payload: r.encoded())] }
        counters.commands += 1
        let command: ConsoleCommand
        switch ConsoleCommand.decode(m.payload) {
        case .failure(let e):
            counters.refusals += 1
            return e.request.map { reply(ConsoleReply(request: $0, ok: false, error: e.message)) } ?? []
        case .success(let c):
            command = c
        }
        func refuse(_ message: String) throws(StoreError) -> [MQTTMessage] {
            counters.refusals += 1
            try alarms.audit(AuditEntry(at: now, alarmID: desk.open[command.alarm]?.id, actor: op, action: "refused", detail: "\(command.action.rawValue): \(message)"))
            logger.notice("command refused", metadata: ["operator.id": "\(op)", "alarm.id": "\(command.alarm)", "command": "\(command.action.rawValue)"])
            return reply(ConsoleReply(request: command.request, ok: false, alarm: command.alarm, error: message))
        }
        guard let role = try alarms.operatorRole(op) else {
            return try refuse("Operator \(op) is not registered; a supervisor can add them with `vigil operators add`.")
        }
        let identity = OperatorIdentity(id: op, role: role)
        let deskCommand: OperatorCommand
        switch command.action {
        case .detail:
            // Read-only: not audited as an action, but only for registered operators and open alarms.
            guard let alarm = desk.open[command.alarm] else { return reply(ConsoleReply(request: command.request, ok: false, alarm: command.alarm, error: "\(command.alarm) is not an open alarm.")) }
            let json = (try? DetailReader(store.db).detailJSON(alarm: alarm)) ?? "{}"
            return reply(ConsoleReply(request: command.request, ok: true, alarm: alarm.code, state: alarm.state.rawValue, detailJSON: json))
        case .claim: deskCommand = .claim(command.alarm)
        case .release: deskCommand = .release(command.alarm)
        case .note: deskCommand = .note(command.alarm, text: command.text ?? "")
        case .resolve:
            if let o = command.outcome, Outcome(rawValue: o) == nil {
                return try refuse("\(o) is not an outcome. Choose one of: \(Outcome.operatorChoices.map(\.rawValue).joined(separator: ", ")).")
            }
            deskCommand = .resolve(command.alarm, outcome: command.outcome.flatMap(Outcome.init(rawValue:)))
        case .reassign:
            // Checked here as well as by the broker's ACL: only supervisors reassign.
            guard role == .supervisor else { return try refuse("Only a supervisor can reassign an alarm.") }
            guard let to = command.to, let targetRole = try alarms.operatorRole(to) else {
                return try refuse("Reassign needs \"to\": the id of a registered operator.")
            }
            deskCommand = .reassign(command.alarm, to: OperatorIdentity(id: to, role: targetRole))
        }
        switch desk.command(deskCommand, by: identity, now: now) {
        case .failure(let refusal):
            return try refuse(refusal.message)
        case .success(let (alarm, actions)):
            try apply(actions)
            if command.action == .resolve, let text = command.text, !text.allSatisfy(\.isWhitespace) {
                try alarms.audit(AuditEntry(at: now, alarmID: alarm.id, actor: op, action: "note", detail: String(text.prefix(AlarmDesk.maxNoteLength))))
            }
            logger.info("command", metadata: ["operator.id": "\(op)", "alarm.id": "\(alarm.code)", "command": "\(command.action.rawValue)"])
            return reply(ConsoleReply(request: command.request, ok: true, alarm: alarm.code, state: alarm.state.rawValue))
        }
    }

    // MARK: Time

    /// Escalation steps and heartbeat deadlines that have fallen due; new supervised devices.
    public func tick(now: EpochMillis) throws(StoreError) {
        if now - lastRegistryScan >= 5_000 {
            do { try scanRegistry(now: now, startingUp: false) } catch let e as StoreError { throw e } catch {}
        }
        for finding in supervisor.due(now: now) {
            switch finding {
            case .lost(let device, let user, let silent):
                let seq = try alarms.systemEvent(device: device, note: "no contact", at: now, timestamp: RFC3339.format(millis: now))
                let (code, actions) = desk.noContact(device: device, user: user, silentSeconds: silent, now: now, year: clock.year(now))
                try apply(actions)
                if let id = desk.open[code]?.id { try apply([.attach(seq: seq, alarm: id)]) }
                logger.notice("device out of contact", metadata: ["device.id": "\(device)", "alarm.id": "\(code)"])
            case .muted(let device, _, let hub):
                _ = try alarms.systemEvent(device: device, note: "muted: hub \(hub) out of contact", at: now, timestamp: RFC3339.format(millis: now))
            }
        }
        try apply(desk.tick(now: now))
    }

    public var nextDue: EpochMillis? {
        [desk.nextDue, supervisor.nextDue, lastRegistryScan + 5_000].compactMap { $0 }.min()
    }

    private func scanRegistry(now: EpochMillis, startingUp: Bool) throws {
        lastRegistryScan = now
        for d in try alarms.supervisedDevices(afterRow: supervisedUpTo) {
            supervisedUpTo = max(supervisedUpTo, d.rowID)
            guard !supervisor.isSupervised(d.device) else { continue }
            // After a restart every device gets at least the grace period to be heard from (the broker
            // is still delivering what they sent while Vigil was down) before it counts as silent.
            let interval = EpochMillis(d.heartbeatSeconds) * 1000
            let last = startingUp ? max(d.lastContact ?? now, now - interval) : (d.lastContact ?? now)
            supervisor.supervise(device: d.device, user: d.user, intervalSeconds: d.heartbeatSeconds, isHub: d.isHub, lastContact: last,
                                 lost: desk.noContactAlarm(device: d.device) != nil)
        }
    }

    // MARK: Applying decisions

    private func apply(_ actions: [DeskAction]) throws(StoreError) {
        guard !actions.isEmpty else { return }
        try alarms.perform(actions)
        for a in actions {
            switch a {
            case .open(let alarm, _):
                changed.insert(alarm.code)
                counters.alarmsRaised += 1
                recent[alarm.id] = (alarm.raisedAt, nil, true)
                logger.info("alarm raised", metadata: ["alarm.id": "\(alarm.code)", "device.id": "\(alarm.device)", "alarm.priority": "\(alarm.priority.rawValue)"])
            case .update(let alarm):
                changed.insert(alarm.code)
                if let r = recent[alarm.id] {
                    // An alarm withdrawn at the device before anyone answered is not an answered call.
                    let withdrawn = alarm.state == .resolved && alarm.firstClaimedAt == nil
                    recent[alarm.id] = (r.raised, alarm.firstClaimedAt, !withdrawn)
                }
            default:
                break
            }
        }
    }

    /// Retained queue updates for what changed since the last call (to publish after the commit).
    public func queueUpdates(now: EpochMillis) throws -> [MQTTMessage] {
        guard !changed.isEmpty else { return [] }
        defer { changed.removeAll() }
        var out: [MQTTMessage] = []
        for code in changed.sorted() {
            if let a = desk.open[code] {
                out.append(MQTTMessage(topic: console.alarm(code), payload: QueueItemMessage.encode(a, person: try name(a.user)), qos: 1, retain: true))
            } else {
                out.append(MQTTMessage(topic: console.alarm(code), payload: [], qos: 1, retain: true))
            }
        }
        out.append(summary(now: now))
        return out
    }

    /// The whole queue, for a (re)connection: every open alarm, and clearing of recently closed ones.
    public func queueSnapshot(now: EpochMillis) throws -> [MQTTMessage] {
        var out: [MQTTMessage] = []
        for code in try alarms.closedAlarmCodes(since: now - 86_400_000) where desk.open[code] == nil {
            out.append(MQTTMessage(topic: console.alarm(code), payload: [], qos: 1, retain: true))
        }
        for a in desk.queue {
            out.append(MQTTMessage(topic: console.alarm(a.code), payload: QueueItemMessage.encode(a, person: try name(a.user)), qos: 1, retain: true))
        }
        changed.removeAll()
        out.append(summary(now: now))
        return out
    }

    private func summary(now: EpochMillis) -> MQTTMessage {
        recent = recent.filter { $0.value.raised >= now - 3_600_000 }
        let q = desk.queue
        func count(_ p: Priority) -> Int { q.filter { $0.priority == p }.count }
        // Of the last hour's alarms whose 60 s (180 s) window has passed or that were answered:
        // the share answered within it.
        func share(_ seconds: EpochMillis) -> String {
            let window = seconds * 1000
            let decided = recent.values.filter { $0.answerable && ($0.claimed != nil || now - $0.raised >= window) }
            guard !decided.isEmpty else { return "null" }
            let within = decided.filter { c in c.claimed.map { $0 - c.raised <= window } ?? false }.count
            return String(Double(within * 1000 / decided.count) / 10)
        }
        let json = "{\"at\":\(JSONText.quote(RFC3339.format(millis: now))),\"open\":\(q.count),\"p1\":\(count(.emergency)),\"p2\":\(count(.urgent)),\"p3\":\(count(.technical)),\"claimed\":\(q.filter { $0.state == .claimed }.count),\"escalated\":\(q.filter { $0.escalation > 0 }.count),\"answered_60s_pct\":\(share(60)),\"answered_180s_pct\":\(share(180))}"
        return MQTTMessage(topic: console.summary, payload: Array(json.utf8), qos: 1, retain: true)
    }

    private func name(_ user: String) throws -> String {
        if let n = names[user] { return n }
        let n = try store.db.prepare("SELECT name FROM users WHERE id = ?").all([.text(user)]) { $0.text(0) }.first ?? user
        names[user] = n
        return n
    }

    // MARK: Rejections

    private func rejectedAck(_ r: Rejection, _ ackTopic: String) -> [MQTTMessage] {
        guard let id = r.eventID else { return [] }
        return [MQTTMessage(topic: ackTopic, payload: Ack(eventID: id, status: .rejected, error: r.reason.sentence).encoded())]
    }

    private func reject(_ r: Rejection, topic: String, device: String?, payload: [UInt8], at now: EpochMillis) throws(StoreError) {
        counters.rejected += 1
        counters.byReason[r.reason.code, default: 0] += 1
        try store.deadLetter(topic: topic, deviceID: device, eventID: r.eventID, reason: r.reason.code, detail: r.reason.sentence, payload: payload, at: now)
        logger.notice("event rejected", metadata: ["device.id": "\(device ?? "-")", "event.id": "\(r.eventID ?? "-")", "reject.reason": "\(r.reason.code)"])
    }
}

extension TriageDecision {
    /// One line stored with each event: what triage made of it.
    var summary: String {
        switch self {
        case .raise(let p, let reason): "P\(p.rawValue): \(reason)"
        case .cancel: "cancel"
        case .clear: "clear"
        case .record(let reason): "recorded: \(reason)"
        }
    }
}
