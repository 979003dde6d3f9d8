import VigilCore

/// The keys of one Zigbee2MQTT payload that Vigil reads, type-checked. `null` (which Zigbee2MQTT sends
/// for a value it has not received yet) counts as absent.
struct ZigbeeReading {
    struct Invalid: Error {
        var reason: RejectReason
    }

    var values = ZigbeeState()
    var action: String?
    var occupancy: Bool? { values.occupancy }
    var lastSeen: String?
    /// Keys that look like an alarm but are none Vigil reads, with their value as text (see `unrecognised(_:)`).
    var unrecognised: [String: String] = [:]

    /// Computed, not stored: key paths are not Sendable, so a stored static table would not be concurrency-safe.
    static var boolKeys: [(String, WritableKeyPath<ZigbeeState, Bool?>)] {
        [
            ("smoke", \.smoke), ("water_leak", \.waterLeak), ("carbon_monoxide", \.carbonMonoxide), ("gas", \.gas),
            ("contact", \.contact), ("occupancy", \.occupancy), ("sos", \.sos), ("tamper", \.tamper), ("battery_low", \.batteryLow),
        ]
    }

    /// Other converters' names for the same conditions: Tuya multi-zone leak and gas sensors number
    /// their alarms (`water_leak_alarm_1`, `gas_alarm_1`). Any of them true makes the condition true.
    static var aliasBoolKeys: [(String, WritableKeyPath<ZigbeeState, Bool?>)] {
        [
            ("water_leak_alarm_1", \.waterLeak), ("water_leak_alarm_2", \.waterLeak),
            ("gas_alarm_1", \.gas), ("gas_alarm_2", \.gas),
        ]
    }

    /// `action` values that are a press of an emergency or panic button (keypads send `panic`).
    static let emergencyActions: Set<String> = ["emergency", "panic", "sos"]

    init(_ fields: [String: JSONValue], role: ZigbeeRole) throws(Invalid) {
        for (key, path) in Self.boolKeys + Self.aliasBoolKeys {
            guard let v = fields[key], v != .null else { continue }
            guard case .bool(let b) = v else { throw Invalid(reason: .wrongType(field: key, expected: "true or false", found: v.typeName)) }
            values[keyPath: path] = (values[keyPath: path] ?? false) || b
        }
        // Devices that report a level instead of battery_low: "low" is low, any other level is not.
        if let level = try Self.string("battery_state", fields), values.batteryLow == nil {
            values.batteryLow = level.lowercased() == "low"
        }
        action = try Self.string("action", fields)
        values.fallDownStatus = try Self.string("fall_down_status", fields)
        // Radar fall sensors that say `fall_status: "fall_alarm"` (or "normal") mean the same as fall_down_status.
        if values.fallDownStatus == nil, let status = try Self.string("fall_status", fields) {
            values.fallDownStatus = ["fall_alarm", "fall"].contains(status) ? "fall" : status
        }
        // `status` is a common key with other meanings (valves, locks); it is OWON's fall flag only on a fall detector.
        if role.kind == .fallDetector { values.status = try Self.string("status", fields) }
        values.battery = try Self.battery(fields["battery"])
        if let t = fields["temperature"], t != .null {
            guard case .number(let c) = t, c.isFinite else {
                throw Invalid(reason: .wrongType(field: "temperature", expected: "a number of °C", found: t.typeName))
            }
            // Below absolute zero is no reading: the Zigbee Cluster Library's "invalid" value 0x8000 arrives as -327.68.
            guard c > -273.15 else {
                throw Invalid(reason: .invalidValue(field: "temperature", expected: "a reading in °C above absolute zero", found: VitalParameter.show(c)))
            }
            values.temperature = c
        }
        lastSeen = Self.lastSeen(fields["last_seen"])
        unrecognised = Self.unrecognised(fields)
    }

    /// Every key this type reads; the rest of a payload is ignored unless it looks like an alarm.
    static var readKeys: Set<String> {
        Set((boolKeys + aliasBoolKeys).map(\.0)).union(["battery_state", "action", "fall_down_status", "fall_status", "status", "battery", "temperature", "last_seen"])
    }

    /// Words of the converters' alarm vocabulary. A key containing one (`fire_alarm`, `smoke_state`,
    /// `sos_alarm`, `intrusion`) that Vigil does not read is something the device says about danger
    /// that nobody would otherwise hear.
    static let alarmWords = ["alarm", "alert", "smoke", "fire", "gas", "leak", "flood", "fall", "sos", "panic", "emergency", "tamper", "intrusion", "carbon_monoxide"]

    /// Endings of settings and measurements that contain an alarm word but report no alarm
    /// (`alarm_volume`, `fall_sensitivity`, `smoke_density`, `alarm_switch`).
    static let settingEndings = ["_switch", "_enable", "_enabled", "_mode", "_sensitivity", "_volume", "_time", "_timeout", "_duration",
                                 "_ringtone", "_melody", "_level", "_threshold", "_delay", "_interval", "_count", "_value", "_concentration", "_density"]

    /// String values that mean "this is happening now" (`smoke_state: "alarm"`).
    static let activeWords: Set<String> = ["alarm", "alarming", "alert", "detected", "triggered", "fire", "emergency", "panic", "sos", "fall", "falling", "leak", "leaking"]

    /// The keys of a payload that look like an alarm but are not ones Vigil reads, each with its value
    /// as text: true for a flag, the word for a state. A false flag or a quiet state is kept too ("false",
    /// "normal"), so the key's next activation is a new one. Numbers are readings, never alarms.
    ///
    /// Keys are kept to 64 characters, so two long keys can meet under one name: the active value wins,
    /// else the key first in order. Never the dictionary's order, which differs between two parses of
    /// the same payload: the same message read twice must give the same state.
    static func unrecognised(_ fields: [String: JSONValue]) -> [String: String] {
        var found: [(key: String, text: String)] = []
        for (key, value) in fields where !readKeys.contains(key) {
            let k = key.lowercased()
            guard alarmWords.contains(where: { k.contains($0) }) || k == "co" || k.hasPrefix("co_"),
                  !settingEndings.contains(where: { k.hasSuffix($0) }) else { continue }
            switch value {
            case .bool(let b): found.append((key, b ? "true" : "false"))
            case .string(let s): found.append((key, String(s.prefix(40))))
            default: continue
            }
        }
        // Sorted here, among the few alarm-like keys, not over every key of every state report.
        var out: [String: String] = [:]
        for (key, text) in found.sorted(by: { $0.key < $1.key }) {
            let name = String(key.prefix(64))
            if let kept = out[name], isActive(kept) || !isActive(text) { continue }
            out[name] = text
        }
        return out
    }

    /// Whether an unrecognised key's value is an activation rather than a quiet state.
    static func isActive(_ value: String) -> Bool {
        value == "true" || activeWords.contains(value.lowercased())
    }

    func apply(to state: inout ZigbeeState) {
        for (_, path) in Self.boolKeys where values[keyPath: path] != nil { state[keyPath: path] = values[keyPath: path] }
        if let v = values.fallDownStatus { state.fallDownStatus = v }
        if let v = values.status { state.status = v }
        if let v = values.battery { state.battery = v }
        if let v = values.temperature { state.temperature = v }
        if !unrecognised.isEmpty { state.unrecognised = (state.unrecognised ?? [:]).merging(unrecognised) { $1 } }
    }

    private static func string(_ key: String, _ fields: [String: JSONValue]) throws(Invalid) -> String? {
        guard let v = fields[key], v != .null else { return nil }
        guard case .string(let s) = v else { throw Invalid(reason: .wrongType(field: key, expected: "a string", found: v.typeName)) }
        return s
    }

    /// Percent, as a number or as the decimal string some Tuya devices send ("100.00").
    private static func battery(_ v: JSONValue?) throws(Invalid) -> Double? {
        let expected = "a percentage from 0 to 100, as a number or a decimal string such as \"100.00\""
        let n: Double
        switch v {
        case nil, .null?: return nil
        case .number(let x)?: n = x
        case .string(let s)?:
            // Double("nan") and Double("inf") parse; the range check below refuses them.
            guard let x = Double(s.trimmingASCIISpaces()) else {
                throw Invalid(reason: .invalidValue(field: "battery", expected: expected, found: "\"\(s.prefix(40))\""))
            }
            n = x
        case let other?:
            throw Invalid(reason: .wrongType(field: "battery", expected: expected, found: other.typeName))
        }
        guard n.isFinite, (0...100).contains(n) else {
            throw Invalid(reason: .invalidValue(field: "battery", expected: expected, found: n.isFinite ? VitalParameter.show(n) : "not a finite number"))
        }
        return n
    }

    /// `last_seen` as RFC 3339, or nil. It is bookkeeping, not a reading: an unreadable one is ignored
    /// rather than rejecting a payload that may carry an alarm.
    private static func lastSeen(_ v: JSONValue?) -> String? {
        switch v {
        case .string(let s)? where RFC3339.isValid(s): return s
        // Epoch milliseconds, accepted from 2000 to 2100.
        case .number(let ms)? where ms >= 946_684_800_000 && ms < 4_102_444_800_000: return RFC3339.format(millis: Int64(ms))
        default: return nil
        }
    }
}

extension String {
    func trimmingASCIISpaces() -> Substring {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return s
    }
}
