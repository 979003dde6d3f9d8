/// The `type` of a wire v1 event: what the device is reporting.
public enum EventType: String, CaseIterable, Sendable, Hashable, Codable {
    case button, fall, smoke, heat, co, gas, flood, temperature, door, bed, chair, inactivity
    case epilepsy, enuresis, medication, vitals
    case lowBattery = "low_battery"
    case power, tamper, heartbeat, cancel, clear
}
