/// The topics Zigbee2MQTT publishes device state on: `{base}/{friendlyName}`, base `zigbee2mqtt` by
/// default (Zigbee2MQTT's `mqtt.base_topic`). A friendly name may itself contain `/`.
public struct ZigbeeTopics: Sendable, Equatable {
    public var base: String

    public init(base: String = "zigbee2mqtt") {
        self.base = base
    }

    /// Everything under the base; `friendlyName(of:)` filters out what is not device state.
    public var subscription: String { "\(base)/#" }

    public func topic(friendlyName: String) -> String { "\(base)/\(friendlyName)" }

    /// Sub-topics that are commands to a device or its online/offline flag, not its state.
    static let reservedLastSegments: Set<String> = ["set", "get", "availability"]

    /// The friendly name of a device-state topic; nil for the bridge's own topics
    /// (`{base}/bridge/...`), commands (`.../set`, `.../get`, also `.../set/{attribute}`),
    /// availability, and anything outside the base.
    public func friendlyName(of topic: String) -> String? {
        let head = base + "/"
        guard topic.hasPrefix(head) else { return nil }
        let name = String(topic.dropFirst(head.utf8.count))
        let segments = name.split(separator: "/", omittingEmptySubsequences: false)
        guard let first = segments.first, first != "bridge",
              !segments.contains(where: { $0.isEmpty || $0.contains("+") || $0.contains("#") }) else { return nil }
        if let last = segments.last, Self.reservedLastSegments.contains(String(last)) { return nil }
        if segments.count >= 2, ["set", "get"].contains(String(segments[segments.count - 2])) { return nil }
        return name
    }
}
