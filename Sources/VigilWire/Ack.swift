/// The application-level acknowledgement Vigil publishes after an event is durably committed:
/// `{"alarm":…,"error":…,"id":…,"status":…}`, with `alarm` and `error` left out when there is none.
public struct Ack: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case accepted, duplicate, rejected
    }

    public var eventID: String
    public var status: Status
    public var alarm: String?
    public var error: String?

    public init(eventID: String, status: Status, alarm: String? = nil, error: String? = nil) {
        self.eventID = eventID
        self.status = status
        self.alarm = alarm
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case eventID = "id"
        case status, alarm, error
    }
}
