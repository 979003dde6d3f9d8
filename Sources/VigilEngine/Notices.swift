import Mosquitto
import VigilCore
import VigilStore
import VigilWire

/// A webhook the engine has decided to call, once the batch is committed: which one, about what, and
/// the Alertmanager JSON to POST. It is kept in the outbox (`outboxID`) until it is settled, so a
/// daemon that stops first sends it when it starts again. The daemon's delivery component
/// (VigilWebhook) POSTs it.
public struct WebhookCall: Sendable, Equatable {
    public var outboxID: Int64
    public var webhook: WebhookSettings
    public var alarm: Alarm
    public var why: String
    public var at: EpochMillis
    public var body: [UInt8]
}

/// The notice stage: a desk's `.notify` becomes, for each person it names, a notice row, an audit
/// row and a retained message on their console's notice topic (sent after the commit), and for each
/// configured webhook a call. An alarm that closes takes its notices off every console; an operator
/// acknowledging one takes it off theirs. Nobody named — no supervisor registered, say — never means
/// nobody told: the notice goes to every operator instead, and says so in the audit trail.
struct NoticeDelivery {
    let store: NoticeStore
    let webhookOutbox: WebhookOutbox
    let topics: ConsoleTopics
    let wire: WireEncoder
    let webhooks: [String: WebhookSettings]
    /// This host, as the webhook bodies name it.
    let node: String
    /// Retained notices (and clearings) to publish after the commit.
    private(set) var outbox: [MQTTMessage] = []
    /// Webhooks to call after the commit.
    private(set) var calls: [WebhookCall] = []
    private(set) var sent = 0

    init(store: NoticeStore, webhookOutbox: WebhookOutbox, topics: ConsoleTopics, wire: WireEncoder, webhooks: [String: WebhookSettings], node: String) {
        self.store = store
        self.webhookOutbox = webhookOutbox
        self.topics = topics
        self.wire = wire
        self.webhooks = webhooks
        self.node = node
    }

    /// Delivers one notice; returns the audit rows to write with it.
    mutating func deliver(_ n: Notice, person: String) throws(StoreError) -> [DeskAction] {
        let operators = try store.operators()
        var to: [String] = []
        var audits: [DeskAction] = []
        func audit(_ action: AuditAction, _ detail: String) {
            audits.append(.audit(AuditEntry(at: n.at, alarmID: n.alarm.id, actor: .system, action: action, detail: detail)))
        }
        for target in n.to {
            switch target {
            case .supervisors:
                let supervisors = operators.filter { $0.role == .supervisor }.map(\.id)
                if supervisors.isEmpty {
                    audit(.noticeSent, "no supervisor is registered: every operator is told instead")
                    to += operators.map(\.id)
                } else {
                    to += supervisors
                }
            case .operators:
                to += operators.map(\.id)
            case .holder:
                if let holder = n.alarm.claimedBy { to.append(holder) }
            case .webhook(let name):
                // A default step's webhook is called only if the centre configured one of that name.
                guard let hook = webhooks[name] else { continue }
                let body = wire.encode(AlertmanagerWebhook(alarm: n.alarm, person: person, why: n.why, receiver: name, node: node))
                let id = try webhookOutbox.add(alarm: n.alarm.id, webhook: name, why: n.why, body: body, at: n.at)
                calls.append(WebhookCall(outboxID: id, webhook: hook, alarm: n.alarm, why: n.why, at: n.at, body: body))
                audit(.webhook, "\(name): queued: \(n.why)")
            }
        }
        var seen = Set<String>()
        for op in to where seen.insert(op).inserted {
            try store.record(alarm: n.alarm.id, to: op, why: n.why, at: n.at)
            audit(.noticeSent, "to \(op): \(n.why)")
            outbox.append(message(ConsoleNotice(alarm: n.alarm.code, to: op, person: person, priority: n.alarm.priority, type: n.alarm.type.rawValue, why: n.why, at: n.at)))
            sent += 1
        }
        return audits
    }

    /// The alarm closed: its notices leave every console that still shows one.
    mutating func closed(_ alarm: Alarm) throws(StoreError) {
        for op in try store.unacknowledged(alarm: alarm.id) {
            outbox.append(MQTTMessage(topic: topics.notice(op, alarm: alarm.code), payload: [], qos: 1, retain: true))
        }
    }

    /// `op` has seen the notice about `alarm`. False when they had none outstanding.
    mutating func acknowledge(_ alarm: Alarm, by op: String, at now: EpochMillis) throws(StoreError) -> Bool {
        guard try store.acknowledge(alarm: alarm.id, by: op, at: now) else { return false }
        outbox.append(MQTTMessage(topic: topics.notice(op, alarm: alarm.code), payload: [], qos: 1, retain: true))
        return true
    }

    /// Every notice still outstanding on an open alarm, for a (re)connection.
    func snapshot(person: (String) throws -> String) throws -> [MQTTMessage] {
        try store.pendingOnOpenAlarms().map { p in
            message(ConsoleNotice(alarm: p.alarm.code, to: p.operatorID, person: try person(p.alarm.user), priority: p.alarm.priority,
                                  type: p.alarm.type.rawValue, why: p.why, at: p.sentAt))
        }
    }

    /// What the batch produced; cleared for the next one.
    mutating func take() -> (messages: [MQTTMessage], calls: [WebhookCall]) {
        defer { outbox.removeAll(); calls.removeAll() }
        return (outbox, calls)
    }

    /// A rolled-back batch sends nothing.
    mutating func discard() {
        outbox.removeAll()
        calls.removeAll()
    }

    private func message(_ n: ConsoleNotice) -> MQTTMessage {
        MQTTMessage(topic: topics.notice(n.to, alarm: n.alarm), payload: wire.encode(n), qos: 1, retain: true)
    }
}

/// Which consoles are present, from their retained presence messages and last wills. An operator
/// never heard from is unknown, not away: their claims are left alone.
struct Presence {
    private var online: [String: Bool] = [:]
    private var awaySince: [String: EpochMillis] = [:]
    /// When the presence picture can be trusted: a little after the broker connection, once the
    /// retained presence messages have arrived.
    private(set) var settledAt: EpochMillis?
    static let settleMillis: EpochMillis = 10_000

    mutating func connected(now: EpochMillis) {
        settledAt = now + Self.settleMillis
    }

    mutating func lost() { settledAt = nil }

    mutating func heard(_ p: ConsolePresence, operator op: String, now: EpochMillis) {
        let was = online[op]
        online[op] = p.online
        if p.online {
            awaySince[op] = nil
        } else if was != false {
            // A will is written at connect time; the daemon counts from when it learnt of the absence.
            awaySince[op] = now
        }
    }

    /// How long `op` has been away, or nil when present or never heard from.
    func away(_ op: String, now: EpochMillis) -> EpochMillis? { awaySince[op].map { now - $0 } }

    func awaySince(_ op: String) -> EpochMillis? { awaySince[op] }

    var onDuty: [String] { online.filter(\.value).map(\.key).sorted() }

    /// True only when the picture is settled and nobody is present.
    func nobodyOnDuty(now: EpochMillis) -> Bool {
        guard let settledAt, now >= settledAt else { return false }
        return onDuty.isEmpty
    }
}
