import VigilCore
import VigilWire

/// One event a simulated device will send, at a virtual time.
public struct ScheduledEvent: Sendable, Equatable {
    public var at: EpochMillis
    public var type: EventType
    /// The wire v1 `detail` object (empty: none is sent).
    public var detail: [String: JSONValue]
    /// Telehealth readings, kept typed so that they can also be sent as FHIR Observations.
    public var vitals: VitalSigns?
    /// Battery percent, filled in by the device's `BatteryDrain` when it has one.
    public var battery: Int?

    public init(at: EpochMillis, type: EventType, detail: [String: JSONValue] = [:], vitals: VitalSigns? = nil, battery: Int? = nil) {
        self.at = at
        self.type = type
        self.detail = detail
        self.vitals = vitals
        self.battery = battery
    }
}

/// A device's behaviour on virtual time. Pure: the same seed and the same windows give the same
/// events; nothing reads a clock. Windows are half-open, `[from, to)`, and must follow each other.
public protocol DeviceModel: Sendable {
    mutating func events(from: EpochMillis, to: EpochMillis, rng: inout SplitMix64) -> [ScheduledEvent]
}

public enum VirtualTime {
    public static let second: EpochMillis = 1_000
    public static let minute: EpochMillis = 60_000
    public static let hour: EpochMillis = 3_600_000
    public static let day: EpochMillis = 86_400_000

    /// Minutes after local midnight at `t`, with local time `offset` ahead of UTC.
    public static func minuteOfDay(_ t: EpochMillis, offset: EpochMillis = 0) -> Int {
        Int((((t + offset) % day) + day) % day / minute)
    }

    /// The start of the local day that contains `t`.
    public static func dayStart(_ t: EpochMillis, offset: EpochMillis = 0) -> EpochMillis {
        let local = t + offset
        return local - ((local % day) + day) % day - offset
    }
}
