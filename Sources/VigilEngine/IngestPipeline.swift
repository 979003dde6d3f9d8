import Logging
import Mosquitto
import VigilCore
import VigilStore
import VigilWire

/// Counts of what ingest did, by outcome and by rejection reason.
public struct IngestCounters: Sendable, Equatable {
    public var accepted = 0
    public var duplicates = 0
    public var rejected = 0
    public var alarmsRaised = 0
    public var byReason: [String: Int] = [:]

    public init() {}
}

/// What the pipeline decided for one message: the ack to publish (if an id could be read).
public struct IngestOutcome: Sendable, Equatable {
    public var ackTopic: String?
    public var ack: Ack?
}

/// decode → look up device → store (idempotent) → triage → group → ack. Runs inside the caller's
/// open transaction; every message that is not accepted leaves a dead-letter row with its reason.
public final class IngestPipeline {
    public let store: IngestStore
    let topics: Topics
    let policy: TriagePolicy
    let clock: any WallClock
    let logger: Logger
    public private(set) var counters = IngestCounters()

    /// Outcome codes written when a device withdraws an alarm nobody has picked up.
    public static let cancelledAtDevice = "cancelled-at-device"
    public static let clearedAtDevice = "cleared-at-device"

    public init(store: IngestStore, topics: Topics, policy: TriagePolicy, clock: any WallClock, logger: Logger) {
        self.store = store
        self.topics = topics
        self.policy = policy
        self.clock = clock
        self.logger = logger
    }

    public func handle(_ m: MQTTMessage, receivedAt now: EpochMillis) throws(StoreError) -> IngestOutcome {
        guard let (device, channel) = topics.parse(m.topic), channel == .events else {
            try reject(Rejection(.badTopic(m.topic)), topic: m.topic, device: nil, payload: m.payload, at: now)
            return IngestOutcome()
        }
        let ackTopic = topics.topic(device: device, .acks)
        let event: DeviceEvent
        switch EventDecoder.decode(m.payload, deviceID: device) {
        case .failure(let r):
            try reject(r, topic: m.topic, device: device, payload: m.payload, at: now)
            return rejectedOutcome(r, ackTopic)
        case .success(let e):
            event = e
        }
        guard let registered = try store.device(device) else {
            let r = Rejection(.unknownDevice(device), eventID: event.eventID)
            try reject(r, topic: m.topic, device: device, payload: m.payload, at: now)
            return rejectedOutcome(r, ackTopic)
        }
        let decision = policy.classify(event, minuteOfDay: clock.minuteOfDay(now))
        switch try store.insert(event, receivedAt: now, payload: m.payload, triage: decision.summary) {
        case .duplicate(let alarm):
            counters.duplicates += 1
            return IngestOutcome(ackTopic: ackTopic, ack: Ack(eventID: event.eventID, status: .duplicate, alarm: alarm))
        case .inserted(let seq):
            counters.accepted += 1
            let alarm = try apply(decision, seq: seq, event: event, user: registered.userID, at: now)
            return IngestOutcome(ackTopic: ackTopic, ack: Ack(eventID: event.eventID, status: .accepted, alarm: alarm))
        }
    }

    /// Opens, attaches or closes alarms as triage decided. Returns the alarm code the event belongs to.
    private func apply(_ decision: TriageDecision, seq: Int64, event: DeviceEvent, user: String, at now: EpochMillis) throws(StoreError) -> String? {
        switch decision {
        case .record:
            return nil
        case .raise(let priority, let reason):
            // A repeat of the same condition for the same person joins the open alarm.
            if let open = try store.openAlarm(user: user, type: event.type) {
                try store.attach(seq: seq, to: open)
                return open.code
            }
            let alarm = try store.raise(seq: seq, event: event, user: user, priority: priority, reason: reason, at: now, year: clock.year(now))
            counters.alarmsRaised += 1
            logger.info("alarm raised", metadata: ["alarm.id": "\(alarm.code)", "device.id": "\(event.deviceID)", "alarm.priority": "\(priority.rawValue)"])
            return alarm.code
        case .cancel, .clear:
            let outcome = decision == .cancel ? Self.cancelledAtDevice : Self.clearedAtDevice
            let open = try store.openAlarms(device: event.deviceID)
            // The event is kept with a claimed alarm first, so the operator handling it sees the cancel.
            guard let target = open.first(where: \.claimed) ?? open.first else { return nil }
            try store.attach(seq: seq, to: target)
            // Closed only if nobody has claimed it; a claimed alarm stays with its operator.
            for alarm in open where !alarm.claimed {
                _ = try store.closeUnclaimed(alarm, outcome: outcome, at: now)
            }
            return target.code
        }
    }

    private func rejectedOutcome(_ r: Rejection, _ ackTopic: String) -> IngestOutcome {
        guard let id = r.eventID else { return IngestOutcome() }
        return IngestOutcome(ackTopic: ackTopic, ack: Ack(eventID: id, status: .rejected, error: r.reason.sentence))
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
