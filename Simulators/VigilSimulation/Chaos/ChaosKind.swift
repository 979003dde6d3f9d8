/// What a chaos message is, and what Vigil must answer to it.
public enum ChaosKind: String, CaseIterable, Sendable {
    case valid
    /// The same event again at once, as a unit whose ack was lost resends it.
    case duplicate
    /// An event acked long ago, sent again (a unit replaying its log after a reboot).
    case replay
    /// A valid event whose device clock is hours behind the events already sent.
    case outOfOrder = "out-of-order"
    case malformedJSON = "malformed-json"
    case invalidUTF8 = "invalid-utf8"
    /// Over the 16 KiB limit, with a readable id.
    case oversized
    case unknownType = "unknown-type"
    case unknownDevice = "unknown-device"
    /// A registered device's event published on another registered device's topic.
    case foreignTopic = "foreign-topic"
    /// Valid events sent straight after the broker restarts.
    case burstAfterRestart = "burst-after-restart"

    /// The ack Vigil must send: nil when no id can be read, so no ack is possible.
    public var expectedAck: String? {
        switch self {
        case .valid, .outOfOrder, .burstAfterRestart, .foreignTopic: "accepted"
        case .duplicate, .replay: "duplicate"
        case .oversized, .unknownType, .unknownDevice: "rejected"
        case .malformedJSON, .invalidUTF8: nil
        }
    }

    /// The dead-letter reason Vigil must record, if any.
    public var deadLetterReason: String? {
        switch self {
        case .malformedJSON: "invalid_json"
        case .invalidUTF8: "invalid_utf8"
        case .oversized: "payload_too_large"
        case .unknownType: "unknown_type"
        case .unknownDevice: "unknown_device"
        default: nil
        }
    }

    /// Valid events must be stored and acked; the rest must never be accepted.
    public var isValid: Bool { expectedAck == "accepted" || expectedAck == "duplicate" }

    /// Share of the mix, in percent (the burst is sent separately).
    var weight: Int {
        switch self {
        case .valid: 45
        case .duplicate: 10
        case .replay: 5
        case .outOfOrder: 10
        case .malformedJSON, .invalidUTF8, .oversized: 4
        case .unknownType, .unknownDevice, .foreignTopic: 6
        case .burstAfterRestart: 0
        }
    }
}
