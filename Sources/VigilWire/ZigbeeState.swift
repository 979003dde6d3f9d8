/// The last value Vigil saw for each Zigbee2MQTT key it reads, per device. The adapter compares a new
/// payload with this to find transitions; the engine keeps it between messages (and should store it
/// in the same transaction as the events it produced, so a redelivered payload finds no transition).
/// Coded with Zigbee2MQTT's own key names; nil means never seen.
public struct ZigbeeState: Sendable, Equatable, Codable {
    public var smoke: Bool?
    public var waterLeak: Bool?
    public var carbonMonoxide: Bool?
    public var gas: Bool?
    /// true = closed (the magnet is next to the reed switch).
    public var contact: Bool?
    public var occupancy: Bool?
    public var sos: Bool?
    public var tamper: Bool?
    public var batteryLow: Bool?
    /// Tuya radar fall detectors: "none", "maybe_fall", "fall".
    public var fallDownStatus: String?
    /// OWON fall detectors (read only for the fall-detector role): "falling" on a fall.
    public var status: String?
    /// Percent, as the device last reported it.
    public var battery: Double?
    /// °C.
    public var temperature: Double?
    /// Where the last temperature sat against the cold/hot thresholds, with hysteresis applied.
    public var temperatureBand: TemperatureBand?
    /// Alarm-looking keys Vigil does not read, with their last value as text (`"fire_alarm": "true"`).
    public var unrecognised: [String: String]?

    public enum TemperatureBand: String, Sendable, Codable {
        case cold, normal, hot
    }

    public init(smoke: Bool? = nil, waterLeak: Bool? = nil, carbonMonoxide: Bool? = nil, gas: Bool? = nil, contact: Bool? = nil,
                occupancy: Bool? = nil, sos: Bool? = nil, tamper: Bool? = nil, batteryLow: Bool? = nil, fallDownStatus: String? = nil,
                status: String? = nil, battery: Double? = nil, temperature: Double? = nil, temperatureBand: TemperatureBand? = nil) {
        self.smoke = smoke
        self.waterLeak = waterLeak
        self.carbonMonoxide = carbonMonoxide
        self.gas = gas
        self.contact = contact
        self.occupancy = occupancy
        self.sos = sos
        self.tamper = tamper
        self.batteryLow = batteryLow
        self.fallDownStatus = fallDownStatus
        self.status = status
        self.battery = battery
        self.temperature = temperature
        self.temperatureBand = temperatureBand
    }

    enum CodingKeys: String, CodingKey {
        case smoke, gas, contact, occupancy, sos, tamper, status, battery, temperature
        case waterLeak = "water_leak"
        case carbonMonoxide = "carbon_monoxide"
        case batteryLow = "battery_low"
        case fallDownStatus = "fall_down_status"
        case temperatureBand = "vigil_temperature_band"
        case unrecognised = "vigil_unrecognised"
    }
}
