import VigilCore

/// An internal event found in a Zigbee2MQTT payload. Zigbee2MQTT payloads carry no event id and no
/// reliable device time, so this is a `DeviceEvent` without them: the engine assigns both.
public struct ZigbeeEvent: Sendable, Equatable {
    public var type: EventType
    public var detail: EventDetail
    /// The device's last reported battery percent, rounded.
    public var battery: Int?

    public init(type: EventType, detail: EventDetail = EventDetail(), battery: Int? = nil) {
        self.type = type
        self.detail = detail
        self.battery = battery
    }

    public func deviceEvent(deviceID: String, eventID: String, deviceTime: String) -> DeviceEvent {
        DeviceEvent(deviceID: deviceID, eventID: eventID, type: type, deviceTime: deviceTime, battery: battery, detail: detail)
    }

    /// The id the engine should give the `index`-th event of a payload received at `receivedAt`
    /// (Vigil's clock): `z2m-{millis}-{index}`, a valid wire id. It is unique as long as the engine
    /// handles one payload per device per millisecond; it cannot make a redelivered payload a
    /// duplicate, which is why the engine stores the returned `ZigbeeState` with the events.
    public static func eventID(receivedAt: EpochMillis, index: Int) -> String {
        "z2m-\(receivedAt)-\(index)"
    }
}

/// What one Zigbee2MQTT payload meant for one device.
public struct ZigbeeUpdate: Sendable, Equatable {
    /// Events in the order to record them: alarms first, then state changes, then clears.
    public var events: [ZigbeeEvent]
    /// To pass back as `previous` with the device's next payload.
    public var state: ZigbeeState
    /// A PIR saw someone (`occupancy: true`): the engine restarts the person's inactivity timer.
    /// Inactivity itself is the absence of this over time, which only the engine's clock can tell.
    public var movement: Bool
    /// The payload's `last_seen` (Zigbee2MQTT `advanced.last_seen`: ISO 8601 or epoch ms) as RFC 3339,
    /// when present and readable; otherwise the engine uses its receive time.
    public var deviceTime: String?
    /// Keys that look like an alarm but are none Vigil reads, each just become active, as
    /// `key: value` ("fire_alarm: true"): the engine stores them and tells the installer.
    public var unrecognised: [String]

    public init(events: [ZigbeeEvent], state: ZigbeeState, movement: Bool = false, deviceTime: String? = nil, unrecognised: [String] = []) {
        self.events = events
        self.state = state
        self.movement = movement
        self.deviceTime = deviceTime
        self.unrecognised = unrecognised
    }
}
