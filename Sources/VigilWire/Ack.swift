/// The application-level acknowledgement Vigil publishes after an event is durably committed:
/// `{"alarm":…,"error":…,"id":…,"reason":…,"status":…,"warnings":[…]}`, with `alarm`, `error`, `reason` and `warnings`
/// left out when there is none. `warnings` names each optional field of an accepted event that was
/// malformed and dropped (the event itself was stored and triaged; the raw payload is kept).
public struct Ack: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case accepted, duplicate, rejected
    }

    public var eventID: String
    public var status: Status
    public var alarm: String?
    public var error: String?
    /// With `rejected`: the reason's stable code (`rate_limited`, `unknown_type`, …), for the device's
    /// firmware to act on; the sentence in `error` is for people.
    public var reason: String?
    /// Nil rather than empty, so an ack with nothing to warn about has no `warnings` key.
    public var warnings: [String]?

    public init(eventID: String, status: Status, alarm: String? = nil, error: String? = nil, reason: String? = nil, warnings: [String] = []) {
        self.eventID = eventID
        self.reason = reason
        self.status = status
        self.alarm = alarm
        self.error = error
        self.warnings = warnings.isEmpty ? nil : warnings
    }

    enum CodingKeys: String, CodingKey {
        case eventID = "id"
        case status, alarm, error, reason, warnings
    }
}
