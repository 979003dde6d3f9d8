/// Writes Zigbee2MQTT device-state payloads, as the bridge publishes them on `{base}/{friendlyName}`,
/// for the simulator.
public enum Zigbee2MQTTEncoder {
    /// The payload for `fields` (keys sorted). With `batteryAsString`, a numeric `battery` is written
    /// as a two-decimal string ("100.00"), as some Tuya devices report it.
    public static func encode(_ fields: [String: JSONValue], batteryAsString: Bool = false) -> [UInt8] {
        var fields = fields
        if batteryAsString, case .number(let b)? = fields["battery"] { fields["battery"] = .string(twoDecimals(b)) }
        return Array(JSONValue.object(fields).jsonText().utf8)
    }

    /// A device's full state, as Zigbee2MQTT republishes it on every change, plus a one-off `action`
    /// (never part of the cached state) and any extra keys (`linkquality`, `voltage`, `last_seen`…).
    public static func encode(_ state: ZigbeeState, action: String? = nil, extra: [String: JSONValue] = [:], batteryAsString: Bool = false) -> [UInt8] {
        var f = extra
        for (key, path) in ZigbeeReading.boolKeys { if let b = state[keyPath: path] { f[key] = .bool(b) } }
        if let s = state.fallDownStatus { f["fall_down_status"] = .string(s) }
        if let s = state.status { f["status"] = .string(s) }
        if let b = state.battery { f["battery"] = .number(b) }
        if let t = state.temperature { f["temperature"] = .number(t) }
        if let action { f["action"] = .string(action) }
        return encode(f, batteryAsString: batteryAsString)
    }

    static func twoDecimals(_ x: Double) -> String {
        let hundredths = Int((x * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let a = abs(hundredths)
        let frac = a % 100
        return "\(sign)\(a / 100).\(frac < 10 ? "0" : "")\(frac)"
    }
}
