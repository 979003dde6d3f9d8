/// The application-level acknowledgement Vigil publishes after an event is durably committed.
public struct Ack: Sendable, Equatable {
    public enum Status: String, Sendable {
        case accepted, duplicate, rejected
    }

    public var eventID: String
    public var status: Status
    public var alarm: String?
    public var error: String?

    public init(eventID: String, status: Status, alarm: String? = nil, error: String? = nil) {
        self.eventID = eventID
        self.status = status
        self.alarm = alarm
        self.error = error
    }

    /// `{"id":…,"status":…,"alarm":…,"error":…}`, keys in that order, absent ones left out.
    public func encoded() -> [UInt8] {
        var s = "{\"id\":" + JSONText.quote(eventID) + ",\"status\":\"" + status.rawValue + "\""
        if let alarm { s += ",\"alarm\":" + JSONText.quote(alarm) }
        if let error { s += ",\"error\":" + JSONText.quote(error) }
        s += "}"
        return Array(s.utf8)
    }

    /// Reads an ack as a device would. Nil when it is not one.
    public static func decode(_ payload: [UInt8]) -> Ack? {
        guard case .object(let o)? = JSONValue.parse(payload),
              case .string(let id)? = o["id"], case .string(let st)? = o["status"],
              let status = Status(rawValue: st) else { return nil }
        var alarm: String?
        var error: String?
        if case .string(let a)? = o["alarm"] { alarm = a }
        if case .string(let e)? = o["error"] { error = e }
        return Ack(eventID: id, status: status, alarm: alarm, error: error)
    }
}

/// JSON string quoting (RFC 8259 section 7).
public enum JSONText {
    public static func quote(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
