/// Counts of what ingest did, by outcome and by reason.
public struct IngestCounters: Sendable, Equatable {
    public var accepted = 0
    public var duplicates = 0
    public var rejected = 0
    public var alarmsRaised = 0
    /// Dead letters by rejection reason.
    public var byReason: [String: Int] = [:]
    /// Messages under a subscription that Vigil does not act on, by reason (the Zigbee2MQTT bridge's own topics).
    public var ignored: [String: Int] = [:]

    public init() {}
}
