import VigilCore

/// Counts of what ingest did, by outcome and by reason.
struct IngestCounters: Sendable, Equatable {
    var accepted = 0
    var duplicates = 0
    var rejected = 0
    var alarmsRaised = 0
    /// Dead letters by rejection reason.
    var byReason: [String: Int] = [:]
    /// Messages under a subscription that Vigil does not act on, by reason (the Zigbee2MQTT bridge's own topics).
    var ignored: [String: Int] = [:]
    /// Alarms raised, by priority (for the metrics).
    var raisedByPriority: [Priority: Int] = [:]
    /// Escalation steps fired, keyed "{priority}/{escalated|reminder}" (for the metrics).
    var escalationSteps: [String: Int] = [:]
    /// Retained queue entries cleared because their alarm is not open here (after a restore).
    var queueEntriesCleared = 0
    /// Floods begun: a device's first event past its budget since it last kept within it.
    var floods = 0
    /// Messages from Zigbee2MQTT topics nobody registered (counted per topic in the database too).
    var unregisteredZigbee = 0
    /// Alarm-looking Zigbee keys Vigil does not read, as they became active.
    var unrecognised = 0
    /// Messages left unacknowledged because the database disk was below its free-space floor.
    var heldForDisk = 0

}
