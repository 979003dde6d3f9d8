import Histogram
import Mosquitto
import VigilWire

/// Publishes wire v1 events the way an alarm unit does: QoS 1, then resend (with backoff) until
/// Vigil's application ack arrives. Measures publish → ack latency from the first send.
public final class AckingPublisher {
    struct Pending {
        var device: String
        var topic: String
        var payload: [UInt8]
        var firstSent: UInt64
        var nextResend: UInt64
        var resendDelay: UInt64
    }

    public struct Counts: Sendable, Equatable {
        public var sent = 0
        public var resends = 0
        public var acked = 0
        public var accepted = 0
        public var duplicates = 0
        public var rejected = 0
        /// Acks for events already settled (the answer to a resend that crossed the first ack).
        public var lateAcks = 0
    }

    public let client: MosquittoClient
    let topics: Topics
    let resendAfterNanos: UInt64
    var pending: [String: Pending] = [:]
    public private(set) var counts = Counts()
    /// Microseconds from first publish to ack.
    public private(set) var latency = Histogram<UInt64>(highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)
    /// Called for every ack of a pending event: device, ack.
    public var onAck: ((String, Ack) -> Void)?
    public private(set) var subscribed = false
    /// One for every message this publisher sends and every ack it reads.
    public let wire = WireEncoder()
    let reader = WireDecoder()

    public init(broker host: String, port: Int32, topics: Topics, clientID: String? = nil, resendAfterMilliseconds: UInt64 = 2_000,
                username: String? = nil, password: String? = nil) throws {
        client = try MosquittoClient(.init(host: host, port: port, clientID: clientID, cleanSession: true, keepAliveSeconds: 30,
                                           username: username, password: password, maxInflight: 0))
        self.topics = topics
        resendAfterNanos = resendAfterMilliseconds * 1_000_000
        try client.subscribe(topics.allAcks, qos: 1)
    }

    public var outstanding: Int { pending.count }

    /// Runs the connection until the ack subscription is in place (or `seconds` pass).
    public func waitUntilReady(seconds: Double) -> Bool {
        let deadline = monotonicNanos() + UInt64(seconds * 1e9)
        while !subscribed && monotonicNanos() < deadline { service(timeoutMilliseconds: 20) }
        return subscribed
    }

    /// Publishes on the device's `events` topic (wire v1) or `observations` topic (FHIR).
    public func send(device: String, eventID: String, payload: [UInt8], channel: Topics.Channel = .events) {
        let now = monotonicNanos()
        let topic = topics.topic(device: device, channel)
        pending["\(device)/\(eventID)"] = Pending(device: device, topic: topic, payload: payload, firstSent: now, nextResend: now + resendAfterNanos, resendDelay: resendAfterNanos)
        counts.sent += 1
        _ = try? client.publish(topic, payload, qos: 1)
    }

    /// A wire v1 event, until acked.
    public func send(device: String, _ event: EventMessage) {
        send(device: device, eventID: event.id, payload: wire.encode(event))
    }

    /// A FHIR Observation on the device's `observations` topic, until acked (its id is the event id).
    public func send(device: String, _ observation: FHIRObservation) {
        send(device: device, eventID: observation.id, payload: wire.encode(observation), channel: .observations)
    }

    /// One turn: send what is queued, read acks, resend what is overdue.
    public func service(timeoutMilliseconds: Int32) {
        for e in client.pump(timeoutMilliseconds: timeoutMilliseconds) {
            switch e {
            case .subscribed: subscribed = true
            case .message(let m): receive(m)
            default: break
            }
        }
        resendOverdue()
    }

    private func receive(_ m: MQTTMessage) {
        guard let (device, channel) = topics.parse(m.topic), channel == .acks, let ack = reader.decode(Ack.self, from: m.payload) else { return }
        guard let p = pending.removeValue(forKey: "\(device)/\(ack.eventID)") else {
            counts.lateAcks += 1
            return
        }
        counts.acked += 1
        switch ack.status {
        case .accepted: counts.accepted += 1
        case .duplicate: counts.duplicates += 1
        case .rejected: counts.rejected += 1
        }
        _ = latency.record((monotonicNanos() - p.firstSent) / 1_000)
        onAck?(device, ack)
    }

    private func resendOverdue() {
        let now = monotonicNanos()
        for (key, var p) in pending where p.nextResend <= now {
            // Backoff as an alarm unit does: double the wait, up to 30 s.
            p.resendDelay = min(p.resendDelay * 2, 30_000_000_000)
            p.nextResend = now + p.resendDelay
            pending[key] = p
            counts.resends += 1
            _ = try? client.publish(p.topic, p.payload, qos: 1)
        }
    }

    /// Keys (`device/eventID`) still waiting for an ack.
    public var unacked: [String] { Array(pending.keys).sorted() }
}
