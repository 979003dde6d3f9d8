import Foundation
import Mosquitto
import VigilCore
import VigilEngine
import VigilWire

/// How a scenario reaches Vigil and how its time passes. The same steps and checks run live (a real
/// Mosquitto and `vigil serve`, wall-clock seconds) or in-process (the engine on a manual clock,
/// virtual seconds), as HummingbirdTesting runs one test against `.router` or `.live`.
public protocol ScenarioDriver: AnyObject {
    /// Seconds since the run started, on the driver's clock.
    var elapsed: Double { get }
    /// Vigil's notion of now (device timestamps in the scenario's events use it).
    var now: EpochMillis { get }
    /// Connects, or whatever else must happen before the first step. False: the run cannot start.
    func start() -> Bool
    /// Lets time pass until `seconds` after the start.
    func wait(until seconds: Double)
    /// Lets a little time pass while Vigil works (an expectation is retried after each pause).
    func pause()
    /// Publishes an event as a device does and returns its ack (nil: none came).
    func sendEvent(device: String, eventID: String, payload: [UInt8]) -> Ack?
    /// Publishes bytes no ack can answer (no readable id).
    func sendRaw(device: String, payload: [UInt8])
    /// Publishes a Zigbee2MQTT device's state as its bridge does (QoS 1, no ack to wait for). True when
    /// Vigil has certainly read it by the time this returns (in-process); false when only the database
    /// can tell (live).
    func sendZigbee(friendlyName: String, payload: [UInt8]) -> Bool
    /// The topic the bridge publishes that friendly name's state on.
    func zigbeeTopic(friendlyName: String) -> String
    /// Publishes an operator's command and returns the reply (nil: none came).
    func sendCommand(operator: String, _ command: ConsoleCommand) -> ConsoleReply?
    /// Publishes a responder's handset report and returns the reply on their replies topic (nil: none came).
    func sendReport(responder: String, _ report: ResponderReport) -> ConsoleReply?
    /// The topic prefix Vigil uses (`telecare`).
    var prefix: String { get }
    /// What a console or handset subscribing to `topic` now would be given as retained: a queue
    /// notice, a cover notice, a hand-over offer, a responder's job (nil: nothing).
    func retained(_ topic: String) -> [UInt8]?
    func finish()
}

/// Live: a broker on the network and the daemon behind it.
final class LiveDriver: ScenarioDriver {
    let publisher: AckingPublisher
    let console: MosquittoClient
    let topics: Topics
    let consoleTopics: ConsoleTopics
    let zigbee: ZigbeeTopics
    let responderTopics: ResponderTopics
    var acks: [String: Ack] = [:]
    var replies: [String: ConsoleReply] = [:]
    /// Handsets' replies, by request id.
    var handsetReplies: [String: ConsoleReply] = [:]
    /// The last payload seen on each watched retained topic (empty: cleared).
    var retainedTopics: [String: [UInt8]] = [:]
    /// Every subscription must be acknowledged before the first step.
    let subscriptions: Int
    let reader = WireDecoder()
    var started: UInt64 = monotonicNanos()

    init(broker host: String, port: Int32, prefix: String, zigbee: ZigbeeTopics) throws {
        topics = Topics(prefix: prefix)
        self.zigbee = zigbee
        consoleTopics = ConsoleTopics(prefix: prefix)
        responderTopics = ResponderTopics(prefix: prefix)
        // Resend after 2 s, doubling: the alarm-unit behaviour; acks come in milliseconds normally.
        publisher = try AckingPublisher(broker: host, port: port, topics: topics, resendAfterMilliseconds: 2_000)
        console = try MosquittoClient(.init(host: host, port: port))
        // Replies to consoles and handsets, and what consoles and handsets are shown as retained.
        let topics = [consoleTopics.replies("+"), consoleTopics.allNotices, consoleTopics.covers("+"), consoleTopics.handOver("+"),
                      responderTopics.replies("+"), responderTopics.jobs("+")]
        for t in topics { try console.subscribe(t, qos: 1) }
        subscriptions = topics.count
        self.prefix = prefix
        publisher.onAck = { [unowned self] device, ack in self.acks["\(device)/\(ack.eventID)"] = ack }
    }

    let prefix: String
    var elapsed: Double { Double(monotonicNanos() - started) / 1e9 }
    var now: EpochMillis { EpochMillis(Date().timeIntervalSince1970 * 1000) }

    func start() -> Bool {
        guard publisher.waitUntilReady(seconds: 10), waitForConsole(seconds: 10) else { return false }
        started = monotonicNanos()
        return true
    }

    func wait(until seconds: Double) {
        let due = started + UInt64(max(0, seconds) * 1e9)
        while monotonicNanos() < due { pump(10) }
    }

    func pause() { pump(50) }

    func sendEvent(device: String, eventID: String, payload: [UInt8]) -> Ack? {
        let key = "\(device)/\(eventID)"
        acks[key] = nil
        publisher.send(device: device, eventID: eventID, payload: payload)
        let deadline = monotonicNanos() + 15_000_000_000
        while acks[key] == nil && monotonicNanos() < deadline { pump(10) }
        return acks[key]
    }

    func sendRaw(device: String, payload: [UInt8]) {
        _ = try? publisher.client.publish(topics.topic(device: device, .events), payload, qos: 1)
    }

    func sendZigbee(friendlyName: String, payload: [UInt8]) -> Bool {
        _ = try? publisher.client.publish(zigbee.topic(friendlyName: friendlyName), payload, qos: 1)
        return false
    }

    func zigbeeTopic(friendlyName: String) -> String { zigbee.topic(friendlyName: friendlyName) }

    func sendCommand(operator op: String, _ command: ConsoleCommand) -> ConsoleReply? {
        replies[command.request] = nil // a request id sent again waits for its own answer
        _ = try? console.publish(consoleTopics.commands(op), publisher.wire.encode(command), qos: 1)
        let deadline = monotonicNanos() + 10_000_000_000
        while replies[command.request] == nil && monotonicNanos() < deadline { pump(10) }
        return replies[command.request]
    }

    func sendReport(responder: String, _ report: ResponderReport) -> ConsoleReply? {
        handsetReplies[report.request] = nil
        _ = try? console.publish(responderTopics.reports(responder), publisher.wire.encode(report), qos: 1)
        let deadline = monotonicNanos() + 10_000_000_000
        while handsetReplies[report.request] == nil && monotonicNanos() < deadline { pump(10) }
        return handsetReplies[report.request]
    }

    func retained(_ topic: String) -> [UInt8]? {
        retainedTopics[topic].flatMap { $0.isEmpty ? nil : $0 }
    }

    func finish() {
        publisher.client.disconnect()
        console.disconnect()
    }

    private func pump(_ ms: Int32) {
        publisher.service(timeoutMilliseconds: ms)
        for case .message(let m) in console.pump(timeoutMilliseconds: 0) { heard(m) }
    }

    private func heard(_ m: MQTTMessage) {
        if m.topic.hasSuffix("/replies") {
            guard let r = reader.decode(ConsoleReply.self, from: m.payload) else { return }
            if m.topic.hasPrefix("\(prefix)/v1/responders/") { handsetReplies[r.request] = r }
            else { replies[r.request] = r }
        } else {
            retainedTopics[m.topic] = m.payload
        }
    }

    private func waitForConsole(seconds: Double) -> Bool {
        let deadline = monotonicNanos() + UInt64(seconds * 1e9)
        var acknowledged = 0
        while monotonicNanos() < deadline {
            for e in console.pump(timeoutMilliseconds: 20) {
                switch e {
                case .subscribed: acknowledged += 1
                case .message(let m): heard(m)
                default: break
                }
            }
            if acknowledged >= subscriptions { return true }
        }
        return false
    }
}

/// In-process: the engine itself on a manual clock. A step at 4.0 s happens at virtual 4.0 s, and
/// an escalation due then fires then, however fast or loaded the machine is.
final class InProcessDriver: ScenarioDriver {
    let centre: VirtualCentre
    let start0: EpochMillis
    /// How far an expectation's retry moves the clock.
    static let pauseMillis: EpochMillis = 50

    init(_ centre: VirtualCentre) {
        self.centre = centre
        start0 = centre.now
    }

    var elapsed: Double { Double(centre.now - start0) / 1000 }
    var now: EpochMillis { centre.now }
    func start() -> Bool { true }
    func wait(until seconds: Double) { try? centre.advance(to: start0 + EpochMillis(max(0, seconds) * 1000)) }
    func pause() { try? centre.advance(by: Self.pauseMillis) }

    func sendEvent(device: String, eventID: String, payload: [UInt8]) -> Ack? {
        try? centre.send(device: device, payload)
    }

    func sendRaw(device: String, payload: [UInt8]) {
        _ = try? centre.send(device: device, payload)
    }

    func sendZigbee(friendlyName: String, payload: [UInt8]) -> Bool {
        (try? centre.send(zigbee: friendlyName, payload)) != nil
    }

    func zigbeeTopic(friendlyName: String) -> String { centre.zigbeeTopic(friendlyName: friendlyName) }

    func sendCommand(operator op: String, _ command: ConsoleCommand) -> ConsoleReply? {
        try? centre.send(operator: op, command)
    }

    func sendReport(responder: String, _ report: ResponderReport) -> ConsoleReply? {
        try? centre.send(responder: responder, report)
    }

    var prefix: String { centre.prefix }
    func retained(_ topic: String) -> [UInt8]? { centre.retainedPayload(topic) }

    func finish() {}
}
