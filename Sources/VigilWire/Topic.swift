/// The topic grammar of the device contract: `{prefix}/v1/devices/{deviceId}/{events|acks|observations}`.
public struct Topics: Sendable, Equatable {
    public var prefix: String

    public init(prefix: String = "telecare") {
        self.prefix = prefix
    }

    public enum Channel: String, Sendable {
        case events, acks, observations
    }

    /// The subscription the daemon holds for device events.
    public var allEvents: String { "\(prefix)/v1/devices/+/events" }
    /// The subscription the daemon holds for telehealth observations.
    public var allObservations: String { "\(prefix)/v1/devices/+/observations" }
    /// The subscription a device simulator holds for acks.
    public var allAcks: String { "\(prefix)/v1/devices/+/acks" }

    public func topic(device: String, _ channel: Channel) -> String {
        "\(prefix)/v1/devices/\(device)/\(channel.rawValue)"
    }

    /// The device id and channel of a device topic, or nil when the topic does not follow the grammar
    /// or names a device id that is not a valid id.
    ///
    /// Every message the daemon reads passes here first, so it walks the UTF-8 bytes in place and
    /// builds no strings but the device id and the (small, unallocated) channel name.
    public func parse(_ topic: String) -> (device: String, channel: Channel)? {
        let u = topic.utf8
        guard u.starts(with: prefix.utf8) else { return nil }
        let middle = u.index(u.startIndex, offsetBy: prefix.utf8.count)
        guard u[middle...].starts(with: Self.devicesSegment.utf8) else { return nil }
        let start = u.index(middle, offsetBy: Self.devicesSegment.utf8.count)
        guard let slash = u[start...].firstIndex(of: UInt8(ascii: "/")) else { return nil }
        guard let channel = Channel(rawValue: String(topic[u.index(after: slash)...])) else { return nil }
        let device = String(topic[start..<slash])
        guard Identifier.isValid(device) else { return nil }
        return (device, channel)
    }

    private static let devicesSegment = "/v1/devices/"
}

/// Event and device ids: 1–64 characters of `[A-Za-z0-9._:-]`.
public enum Identifier {
    public static let maxLength = 64

    public static func isValid(_ s: String) -> Bool {
        let u = s.utf8
        guard !u.isEmpty, u.count <= maxLength else { return false }
        return u.allSatisfy { c in
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
                || c == UInt8(ascii: ".") || c == UInt8(ascii: "_") || c == UInt8(ascii: ":") || c == UInt8(ascii: "-")
        }
    }
}
