import Foundation

/// Where one webhook POSTs and how hard to try: the config's `webhooks:` entry, as the delivery
/// component needs it (the engine maps its own settings onto this, so the arrow points inward).
public struct WebhookTarget: Sendable, Hashable {
    public var name: String
    public var url: URL
    /// The whole attempt, connection included.
    public var timeoutSeconds: Double
    /// Attempts in all, the first included (1 = never retried).
    public var maxAttempts: Int

    public init(name: String, url: URL, timeoutSeconds: Double, maxAttempts: Int) {
        self.name = name
        self.url = url
        self.timeoutSeconds = timeoutSeconds
        self.maxAttempts = maxAttempts
    }
}

/// One call to deliver: the body (Alertmanager's JSON, already encoded on the ingest thread) and the
/// alarm it is about, which every report names so the engine can audit it against that alarm.
public struct WebhookJob: Sendable, Equatable {
    /// Numbered by the queue, in the order they were taken.
    public var id: UInt64
    public var target: WebhookTarget
    /// The caller's lasting name for the call (the engine's outbox row), handed back in every report
    /// so the call can be settled once it is delivered or given up.
    public var callID: Int64
    public var alarmID: Int64
    public var alarmCode: String
    public var body: [UInt8]

    public init(id: UInt64, target: WebhookTarget, callID: Int64, alarmID: Int64, alarmCode: String, body: [UInt8]) {
        self.id = id
        self.target = target
        self.callID = callID
        self.alarmID = alarmID
        self.alarmCode = alarmCode
        self.body = body
    }
}
