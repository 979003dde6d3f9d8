/// Milliseconds since the Unix epoch. Vigil keeps every time it records in this unit.
public typealias EpochMillis = Int64

/// A validated event from a device, in the shape every adapter (wire v1, Zigbee2MQTT, FHIR) produces.
public struct DeviceEvent: Sendable, Equatable {
    public var deviceID: String
    /// The device's idempotency key: unique per device.
    public var eventID: String
    public var type: EventType
    /// The device's own clock, as sent (RFC 3339). Never used for a service-level timer.
    public var deviceTime: String
    public var battery: Int?
    public var detail: EventDetail
    /// Optional fields that were malformed and dropped, one sentence each ("battery 80.5 is not a whole
    /// percent; ignored"). The event is still stored and triaged: an emergency is never refused for a
    /// field it does not need. The ack names them, and the raw payload keeps them as sent.
    public var warnings: [String]

    public init(deviceID: String, eventID: String, type: EventType, deviceTime: String, battery: Int? = nil, detail: EventDetail = EventDetail(), warnings: [String] = []) {
        self.deviceID = deviceID
        self.eventID = eventID
        self.type = type
        self.deviceTime = deviceTime
        self.battery = battery
        self.detail = detail
        self.warnings = warnings
    }
}

/// The typed parts of `detail` that triage reads. Unknown keys stay in the stored raw payload.
public struct EventDetail: Sendable, Equatable {
    public var state: String?
    public var exit: Bool?
    public var celsius: Double?
    public var minutes: Double?
    public var confidence: Double?
    public var vitals: VitalSigns

    public init(state: String? = nil, exit: Bool? = nil, celsius: Double? = nil, minutes: Double? = nil, confidence: Double? = nil, vitals: VitalSigns = VitalSigns()) {
        self.state = state
        self.exit = exit
        self.celsius = celsius
        self.minutes = minutes
        self.confidence = confidence
        self.vitals = vitals
    }
}

/// A set of telehealth readings; any may be missing.
public struct VitalSigns: Sendable, Equatable {
    public var spo2: Double?
    public var pulse: Double?
    public var systolic: Double?
    public var diastolic: Double?
    public var respiration: Double?
    public var temperature: Double?
    public var weightKg: Double?
    public var glucoseMmol: Double?
    public var consciousness: Consciousness?
    /// Supplemental oxygen at the time of the reading (NEWS2 scores 2 for oxygen).
    public var onOxygen: Bool?

    public init(spo2: Double? = nil, pulse: Double? = nil, systolic: Double? = nil, diastolic: Double? = nil, respiration: Double? = nil, temperature: Double? = nil, weightKg: Double? = nil, glucoseMmol: Double? = nil, consciousness: Consciousness? = nil, onOxygen: Bool? = nil) {
        self.spo2 = spo2
        self.pulse = pulse
        self.systolic = systolic
        self.diastolic = diastolic
        self.respiration = respiration
        self.temperature = temperature
        self.weightKg = weightKg
        self.glucoseMmol = glucoseMmol
        self.consciousness = consciousness
        self.onOxygen = onOxygen
    }

    public var isEmpty: Bool { self == VitalSigns() }
}

/// ACVPU: alert, or new confusion / responds to voice / pain / unresponsive (NEWS2 scores any of those 3).
public enum Consciousness: String, Sendable, CaseIterable {
    case alert = "A", confusion = "C", voice = "V", pain = "P", unresponsive = "U"
}
