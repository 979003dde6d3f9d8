import VigilCore

/// Writes wire v1 events, as a device or the simulator sends them.
public enum EventEncoder {
    public static func encode(id: String, ts: String, type: EventType, battery: Int? = nil, detailJSON: String? = nil) -> [UInt8] {
        var s = "{\"id\":" + JSONText.quote(id) + ",\"ts\":" + JSONText.quote(ts) + ",\"type\":\"" + type.rawValue + "\""
        if let battery { s += ",\"battery\":\(battery)" }
        if let detailJSON { s += ",\"detail\":" + detailJSON }
        s += "}"
        return Array(s.utf8)
    }
}
