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
