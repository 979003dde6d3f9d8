/// A message to publish once the batch that produced it is committed.
public struct Outbound: Sendable, Equatable {
    public var topic: String
    public var payload: [UInt8]
    public var qos: Int32
    public var retain: Bool

    public init(topic: String, payload: [UInt8], qos: Int32 = 1, retain: Bool = false) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
    }
}

/// Counts of what ingest did, by outcome and by rejection reason.
public struct IngestCounters: Sendable, Equatable {
    public var accepted = 0
    public var duplicates = 0
    public var rejected = 0
    public var alarmsRaised = 0
    public var commands = 0
    public var refusals = 0
    public var byReason: [String: Int] = [:]

    public init() {}
}
