import Logging
import Mosquitto
import VigilCore
import VigilStore
import VigilWebhook
import VigilWire

/// The engine with no broker, on a manual clock, over a real SQLite file: messages go in as the
/// ingest loop would hand them over, and what would be published comes back (and is kept, with
/// the retained topics as a console subscribing now would see them). Time moves only through
/// `advance`, which stops at every timer on the way, so an escalation step fires at its own
/// virtual second. The engine's tests and in-process scenario runs use it; `vigil serve` uses the
/// same `AlarmEngine.process` through the ingest loop.
public final class VirtualCentre {
    let clock: ManualClock
    private(set) var settings: EngineSettings
    let databasePath: String
    private(set) var engine: AlarmEngine
    /// Every message the engine asked to publish, in order.
    private(set) var published: [MQTTMessage] = []
    /// Retained topics and their last payload (a removed queue entry is gone from here).
    private(set) var retained: [String: [UInt8]] = [:]
    /// Every webhook call the engine decided on, in order (the daemon's delivery component would POST them).
    private(set) var webhookCalls: [WebhookCall] = []
    let logger: Logger
    let wire = WireEncoder()
    let reader = WireDecoder()

    public init(databasePath: String, settings: EngineSettings = EngineSettings(), clock: ManualClock, logger: Logger? = nil) throws {
        self.clock = clock
        self.settings = settings
        self.databasePath = databasePath
        self.logger = logger ?? Logger(label: "vigil.virtual") { _ in SwiftLogNoOpLogHandler() }
        engine = try AlarmEngine(store: try IngestStore(path: databasePath, now: clock.now()), settings: settings, clock: clock, logger: self.logger)
        engine.brokerConnected(now: clock.now())
        keep(try engine.queueSnapshot(now: clock.now()))
    }

    public var now: EpochMillis { clock.now() }
    /// The topic prefix the engine reads and publishes under.
    public var prefix: String { settings.topics.prefix }

    /// Delivers one message at the current virtual time. Returns what the engine publishes for it.
    @discardableResult
    func deliver(topic: String, payload: [UInt8], retain: Bool = false) throws -> [MQTTMessage] {
        let out = try engine.process([MQTTMessage(topic: topic, payload: payload, retain: retain)], now: clock.now())
        keep(out)
        return out
    }

    /// A device's event; returns Vigil's ack, or nil when none could be sent (no readable id).
    public func send(device: String, _ payload: [UInt8], channel: Topics.Channel = .events) throws -> Ack? {
        let out = try deliver(topic: settings.topics.topic(device: device, channel), payload: payload)
        let ackTopic = settings.topics.topic(device: device, .acks)
        return out.first { $0.topic == ackTopic }.flatMap { reader.decode(Ack.self, from: $0.payload) }
    }

    /// A Zigbee2MQTT device's state as its bridge publishes it, on `{zigbee base}/{friendlyName}`.
    /// The bridge reads no ack, so nothing is returned.
    public func send(zigbee friendlyName: String, _ payload: [UInt8]) throws {
        try deliver(topic: zigbeeTopic(friendlyName: friendlyName), payload: payload)
    }

    public func zigbeeTopic(friendlyName: String) -> String { settings.zigbee.topic(friendlyName: friendlyName) }

    /// An operator's console command; returns the reply.
    public func send(operator op: String, _ command: ConsoleCommand) throws -> ConsoleReply? {
        let console = ConsoleTopics(prefix: settings.topics.prefix)
        let out = try deliver(topic: console.commands(op), payload: wire.encode(command))
        return out.first { $0.topic == console.replies(op) }.flatMap { reader.decode(ConsoleReply.self, from: $0.payload) }
    }

    /// A responder's handset reporting progress on `{prefix}/v1/responders/{id}/reports`; returns the
    /// reply on their replies topic.
    public func send(responder: String, _ report: ResponderReport) throws -> ConsoleReply? {
        let topics = ResponderTopics(prefix: settings.topics.prefix)
        let out = try deliver(topic: topics.reports(responder), payload: wire.encode(report))
        return out.first { $0.topic == topics.replies(responder) }.flatMap { reader.decode(ConsoleReply.self, from: $0.payload) }
    }

    /// What a client subscribing to `topic` now would receive as retained (nil: nothing).
    public func retainedPayload(_ topic: String) -> [UInt8]? { retained[topic] }

    /// A console announcing itself (its retained presence), or going (its last will, or its goodbye).
    public func console(_ op: String, online: Bool) throws {
        let topic = ConsoleTopics(prefix: settings.topics.prefix).presence(op)
        try deliver(topic: topic, payload: wire.encode(ConsolePresence(operator: op, online: online, at: clock.now())), retain: true)
    }

    /// What the delivery component would report about earlier calls, handed to the engine as the
    /// ingest loop hands them over: audited in a batch of their own at the current virtual time.
    public func webhookReports(_ reports: [WebhookReport]) throws {
        keep(try engine.process([], reports: reports, now: clock.now()))
    }

    /// Moves the clock forward by `ms`, running every timer at the moment it falls due.
    public func advance(by ms: EpochMillis) throws {
        try advance(to: clock.now() + ms)
    }

    public func advance(to target: EpochMillis) throws {
        while let due = engine.nextDue, due <= target {
            clock.set(max(due, clock.now()))
            keep(try engine.process([], now: clock.now()))
            // Everything due by now has run; a timer that stays due would be a bug, not a reason to spin.
            if let next = engine.nextDue, next <= clock.now() { break }
        }
        clock.set(max(target, clock.now()))
    }

    /// A broker outage of `ms`: no message reaches the engine while timers keep falling due (as they
    /// do in the ingest loop while a TCP connection waits for its CONNACK), then the broker accepts
    /// the connection again.
    func brokerOutage(for ms: EpochMillis) throws {
        engine.brokerLost()
        try advance(by: ms)
        engine.brokerConnected(now: clock.now())
        keep(try engine.queueSnapshot(now: clock.now()))
    }

    /// Stops and starts the daemon on the same database: everything it knows comes back from there.
    /// `settings`: the config it starts with, when the centre changed it in between.
    func restart(settings changed: EngineSettings? = nil) throws {
        if let changed { settings = changed }
        engine = try AlarmEngine(store: try IngestStore(path: databasePath, now: clock.now()), settings: settings, clock: clock, logger: logger)
        engine.brokerConnected(now: clock.now())
        keep(try engine.queueSnapshot(now: clock.now()))
    }

    private func keep(_ messages: [MQTTMessage]) {
        webhookCalls += engine.takeWebhookCalls()
        published += messages
        for m in messages where m.retain {
            if m.payload.isEmpty { retained[m.topic] = nil } else { retained[m.topic] = m.payload }
        }
    }
}
