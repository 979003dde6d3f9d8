import VigilCore
import VigilWire

/// Speaks for one simulated device as a Zigbee2MQTT bridge would: it keeps the device's cached state
/// and publishes the whole of it on every change, so Vigil's adapter sees the same transitions a real
/// bridge shows it; a heartbeat is the periodic battery report. Events with no Zigbee2MQTT key (vitals, medication, inactivity, power…) return nil:
/// those devices are not Zigbee devices and speak wire v1.
public struct ZigbeeEmitter: Sendable {
    public let kind: DeviceKind
    public private(set) var state = ZigbeeState()

    public init(kind: DeviceKind) {
        self.kind = kind
    }

    /// The state messages the bridge publishes for `event` (the last one carries the event), or nil
    /// when this event cannot be said in Zigbee2MQTT.
    public mutating func messages(for event: ScheduledEvent) -> [Zigbee2MQTTMessage]? {
        var action: String?
        var before: [Zigbee2MQTTMessage] = []
        if let b = event.battery {
            state.battery = Double(b)
            // A new battery: the bridge reports battery_low false with the next message.
            if b > 20, state.batteryLow == true { state.batteryLow = false }
        }
        switch (event.type, kind) {
        case (.heartbeat, _): break  // a periodic report: the whole state again, with the battery
        case (.smoke, _): state.smoke = true
        case (.co, _): state.carbonMonoxide = true
        case (.gas, _): state.gas = true
        case (.flood, _): state.waterLeak = true
        case (.clear, .smoke): state.smoke = false
        case (.clear, .co): state.carbonMonoxide = false
        case (.clear, .gas): state.gas = false
        case (.clear, .flood): state.waterLeak = false
        case (.button, _): action = "emergency"
        case (.fall, _): state.fallDownStatus = "fall"
        case (.tamper, _): state.tamper = true
        case (.lowBattery, _): state.batteryLow = true
        case (.door, _):
            guard case .string(let s)? = event.detail["state"] else { return nil }
            state.contact = s == "closed"
        case (.bed, _), (.chair, _):
            guard case .string(let s)? = event.detail["state"] else { return nil }
            // A pressure mat reports every change: the person lay down (or sat) before getting up.
            if s == "vacated", state.occupancy != true {
                state.occupancy = true
                before.append(message(event, action: nil))
            }
            state.occupancy = s == "occupied"
        case (.temperature, _):
            guard case .number(let c)? = event.detail["celsius"] else { return nil }
            state.temperature = c
        default:
            return nil
        }
        var out = before + [message(event, action: action)]
        // A fall radar goes back to "none" once it has reported, so the next fall is a new transition.
        if event.type == .fall {
            state.fallDownStatus = "none"
            out.append(message(event, action: nil))
        }
        return out
    }

    func message(_ event: ScheduledEvent, action: String?) -> Zigbee2MQTTMessage {
        Zigbee2MQTTMessage(state, action: action, linkquality: Int(60 + event.at % 40))
    }
}
