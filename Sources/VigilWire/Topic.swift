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
    public func parse(_ topic: String) -> (device: String, channel: Channel)? {
        let head = "\(prefix)/v1/devices/"
        guard topic.hasPrefix(head) else { return nil }
        let rest = topic.dropFirst(head.count)
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        let device = String(rest[..<slash])
        guard let channel = Channel(rawValue: String(rest[rest.index(after: slash)...])),
              Identifier.isValid(device) else { return nil }
        return (device, channel)
    }
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
