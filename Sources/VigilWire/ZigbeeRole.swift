import VigilCore

/// What a Zigbee device is registered as. The same Zigbee2MQTT key means different things on
/// different devices: `contact` is a property exit only on an exit door, `occupancy` is a person
/// leaving the bed on a bed sensor but simply movement on a PIR.
public struct ZigbeeRole: Sendable, Equatable, Hashable {
    public var kind: DeviceKind
    /// A door sensor on a door out of the property (wire v1 `detail.exit`). Triage raises an opened
    /// exit door; an internal door opening is only recorded.
    public var propertyExit: Bool

    public init(_ kind: DeviceKind, propertyExit: Bool = false) {
        self.kind = kind
        self.propertyExit = propertyExit
    }

    /// A friendly name nobody registered: read with no kind-specific keys (a smoke key is smoke, a
    /// door's contact or a bed's occupancy means nothing), so only the alarms any device can report count.
    public static let unregistered = ZigbeeRole(.hub)
}
