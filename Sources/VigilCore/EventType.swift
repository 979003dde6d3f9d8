/// The `type` of a wire v1 event: what the device is reporting.
public enum EventType: String, CaseIterable, Sendable, Hashable, Codable {
    case button, fall, smoke, heat, co, gas, flood, temperature, door, bed, chair, inactivity
    case epilepsy, enuresis, medication, vitals
    case lowBattery = "low_battery"
    case power, tamper, heartbeat, cancel, clear
    /// Raised by Vigil itself, never sent by a device: the device needs its installer (it reports
    /// something Vigil does not understand). A P3.
    case deviceFault = "device_fault"
}

extension EventType {
    /// Types that are an emergency by themselves, whatever their detail says: a person pressed for
    /// help, fell or had a seizure, or the home has smoke, heat, CO or gas. Triage raises them P1, and
    /// they are raised even from a device nobody registered.
    public static let emergencies: Set<EventType> = [.button, .fall, .smoke, .heat, .co, .gas, .epilepsy]

    public var isEmergency: Bool { Self.emergencies.contains(self) }
}

extension EventType {
    /// The priority triage gives this type when its detail says nothing more (a door opened at night
    /// is raised higher than this, a reading in range not at all). For alarms imported from a previous
    /// system that recorded no priority.
    public var usualPriority: Priority {
        switch self {
        case .button, .fall, .smoke, .heat, .co, .gas, .epilepsy: .emergency
        case .door, .bed, .chair, .inactivity, .flood, .temperature, .vitals: .urgent
        case .enuresis, .medication, .lowBattery, .power, .tamper, .heartbeat, .cancel, .clear, .deviceFault: .technical
        }
    }
}
