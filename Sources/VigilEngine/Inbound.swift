import VigilWire

/// What an inbound message is, read from its topic once. Every stage downstream routes on this
/// value; nothing parses a topic again.
enum Inbound: Equatable, Sendable {
    /// A wire v1 event on `{prefix}/v1/devices/{device}/events`.
    case deviceEvent(device: String)
    /// One FHIR R4 Observation on `{prefix}/v1/devices/{device}/observations`.
    case observation(device: String)
    /// A Zigbee2MQTT device's state on `{base}/{friendlyName}`.
    case zigbee(friendlyName: String)
    /// A console command on `{prefix}/v1/console/{operator}/commands`.
    case command(operator: String)
    /// A retained queue entry on `{prefix}/v1/queue/alarms/{code}`: the daemon's own, echoed back, or
    /// one left at the broker by a database that is no longer the live one (a restore).
    case queueEntry(code: String)
    /// A console's retained presence (or its last will) on `{prefix}/v1/console/{operator}/presence`.
    case presence(operator: String)
    /// A responder's handset on `{prefix}/v1/responders/{id}/reports`.
    case responderReport(responder: String)
    /// Under a subscription but not for Vigil to act on (the bridge's own topics, availability,
    /// `…/set` commands): counted by reason, nothing stored.
    case ignored(reason: String)
    /// Under the device tree but not a topic of the contract (an unknown channel, an invalid device
    /// id, an ack published to us): a dead letter.
    case misaddressed
}

/// Parses a topic into an `Inbound`. Pure: the topic grammar lives in VigilWire.
struct InboundRouter: Sendable {
    let devices: Topics
    let console: ConsoleTopics
    let zigbee: ZigbeeTopics
    let responders: ResponderTopics

    init(topics: Topics, zigbee: ZigbeeTopics) {
        devices = topics
        console = ConsoleTopics(prefix: topics.prefix)
        responders = ResponderTopics(prefix: topics.prefix)
        self.zigbee = zigbee
    }

    func route(_ topic: String) -> Inbound {
        // Device events first: nearly every message is one, and no other topic parses as a device's.
        switch devices.parse(topic) {
        case (let device, .events)?: return .deviceEvent(device: device)
        case (let device, .observations)?: return .observation(device: device)
        case (_, .acks)?: return .misaddressed
        case nil: break
        }
        if let op = console.commandOperator(topic) { return .command(operator: op) }
        if let code = console.alarmCode(topic) { return .queueEntry(code: code) }
        if let op = console.presenceOperator(topic) { return .presence(operator: op) }
        if let id = responders.reportingResponder(topic) { return .responderReport(responder: id) }
        if topic.hasPrefix(zigbee.base + "/") {
            guard let name = zigbee.friendlyName(of: topic) else { return .ignored(reason: "zigbee2mqtt-bridge") }
            return .zigbee(friendlyName: name)
        }
        return .misaddressed
    }
}
