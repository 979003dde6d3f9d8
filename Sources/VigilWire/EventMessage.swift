import VigilCore

/// A wire v1 event as a device sends it on `{prefix}/v1/devices/{id}/events`:
/// `{"battery":81,"detail":{…},"id":"7f3a-000184","ts":"2026-11-22T02:14:07Z","type":"fall"}`, with
/// `battery` and `detail` left out when there is none. The simulators send these; Vigil reads events
/// with `EventDecoder`, which checks each field of what an unknown device sent and says what is wrong.
public struct EventMessage: Codable, Sendable, Equatable {
    public var id: String
    /// The device's clock, RFC 3339.
    public var ts: String
    /// An `EventType` name, as a string so that a test can send a type Vigil does not know.
    public var type: String
    public var battery: Int?
    /// Each type defines its own keys (EventDecoder lists them); a device may add more, which Vigil
    /// keeps in the stored payload. So the object stays open here.
    public var detail: [String: JSONValue]?

    public init(id: String, ts: String, type: String, battery: Int? = nil, detail: [String: JSONValue]? = nil) {
        self.id = id
        self.ts = ts
        self.type = type
        self.battery = battery
        self.detail = detail
    }

    public init(id: String, ts: String, type: EventType, battery: Int? = nil, detail: [String: JSONValue]? = nil) {
        self.init(id: id, ts: ts, type: type.rawValue, battery: battery, detail: detail)
    }
}
