/// A device-state payload as a Zigbee2MQTT bridge publishes it on `{base}/{friendlyName}`: the keys
/// Vigil reads, plus the bookkeeping a bridge always adds (`linkquality`, `voltage`, `last_seen`).
/// Unset keys are left out. The simulator sends these; Vigil reads bridge payloads with
/// `Zigbee2MQTTAdapter`, which rejects a known key of the wrong type with a reason.
public struct Zigbee2MQTTMessage: Codable, Sendable, Equatable {
    /// Percent: a number, or a decimal string as some Tuya devices report it ("100.00").
    public enum Battery: Codable, Sendable, Equatable {
        case number(Double)
        case string(String)

        /// Two decimals, as those devices write it.
        public static func string(percent x: Double) -> Battery {
            let hundredths = Int((x * 100).rounded())
            let sign = hundredths < 0 ? "-" : ""
            let a = abs(hundredths)
            let frac = a % 100
            return .string("\(sign)\(a / 100).\(frac < 10 ? "0" : "")\(frac)")
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let s = try? c.decode(String.self) { self = .string(s) } else { self = .number(try c.decode(Double.self)) }
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .number(let n): try c.encode(n)
            case .string(let s): try c.encode(s)
            }
        }
    }

    public var smoke: Bool?
    public var waterLeak: Bool?
    public var carbonMonoxide: Bool?
    public var gas: Bool?
    public var contact: Bool?
    public var occupancy: Bool?
    public var sos: Bool?
    public var tamper: Bool?
    public var batteryLow: Bool?
    public var fallDownStatus: String?
    public var status: String?
    public var battery: Battery?
    public var temperature: Double?
    /// A one-off event such as a button press; never part of the cached state.
    public var action: String?
    public var linkquality: Int?
    /// Millivolts.
    public var voltage: Int?
    public var lastSeen: String?

    public init() {}

    /// A device's full state, as Zigbee2MQTT republishes it on every change, with a one-off `action`.
    public init(_ state: ZigbeeState, action: String? = nil, linkquality: Int? = nil, batteryAsString: Bool = false) {
        smoke = state.smoke
        waterLeak = state.waterLeak
        carbonMonoxide = state.carbonMonoxide
        gas = state.gas
        contact = state.contact
        occupancy = state.occupancy
        sos = state.sos
        tamper = state.tamper
        batteryLow = state.batteryLow
        fallDownStatus = state.fallDownStatus
        status = state.status
        battery = state.battery.map { batteryAsString ? .string(percent: $0) : .number($0) }
        temperature = state.temperature
        self.action = action
        self.linkquality = linkquality
    }

    enum CodingKeys: String, CodingKey {
        case smoke, gas, contact, occupancy, sos, tamper, status, battery, temperature, action, linkquality, voltage
        case waterLeak = "water_leak"
        case carbonMonoxide = "carbon_monoxide"
        case batteryLow = "battery_low"
        case fallDownStatus = "fall_down_status"
        case lastSeen = "last_seen"
    }
}
