import VigilCore

/// What `vigil serve` retains on `{prefix}/v1/vigil/status` every few seconds (QoS 1), for anyone
/// watching the centre: whether it is online, on which host, its counts since it started, with
/// rejections by reason code (`unknown_device`, …). The same type, with `online` false, is the
/// daemon's MQTT last will, so the broker says so when the daemon dies without a word.
public struct DaemonStatus: Codable, Sendable, Equatable {
    /// False in the last will and in the goodbye of a clean shutdown.
    public var online: Bool
    /// The host the daemon runs on (so an operator can tell which machine to look at).
    public var node: String
    /// When the daemon wrote this, on its own clock.
    public var at: EpochMillis
    public var started: EpochMillis
    public var accepted: Int
    public var duplicates: Int
    public var rejected: Int
    public var alarmsRaised: Int
    public var rejectedByReason: [String: Int]
    /// What every console must show while it lasts (the database disk nearly full); absent when all is well.
    public var warning: String?

    public init(online: Bool = true, node: String = "", at: EpochMillis, started: EpochMillis, accepted: Int, duplicates: Int, rejected: Int, alarmsRaised: Int, rejectedByReason: [String: Int]) {
        self.online = online
        self.node = node
        self.at = at
        self.started = started
        self.accepted = accepted
        self.duplicates = duplicates
        self.rejected = rejected
        self.alarmsRaised = alarmsRaised
        self.rejectedByReason = rejectedByReason
    }

    enum CodingKeys: String, CodingKey {
        case online, node, at, started, accepted, duplicates, rejected
        case alarmsRaised = "alarms_raised"
        case rejectedByReason = "rejected_by_reason"
        case warning
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // A status retained by a daemon older than these fields was only ever written while it ran;
        // whether it is still alive is then judged by its age alone.
        online = try c.decodeIfPresent(Bool.self, forKey: .online) ?? true
        node = try c.decodeIfPresent(String.self, forKey: .node) ?? ""
        at = try c.decode(time: .at)
        started = try c.decode(time: .started)
        accepted = try c.decode(Int.self, forKey: .accepted)
        duplicates = try c.decode(Int.self, forKey: .duplicates)
        rejected = try c.decode(Int.self, forKey: .rejected)
        alarmsRaised = try c.decode(Int.self, forKey: .alarmsRaised)
        rejectedByReason = try c.decode([String: Int].self, forKey: .rejectedByReason)
        warning = try c.decodeIfPresent(String.self, forKey: .warning)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(online, forKey: .online)
        try c.encode(node, forKey: .node)
        try c.encode(time: at, forKey: .at)
        try c.encode(time: started, forKey: .started)
        try c.encode(accepted, forKey: .accepted)
        try c.encode(duplicates, forKey: .duplicates)
        try c.encode(rejected, forKey: .rejected)
        try c.encode(alarmsRaised, forKey: .alarmsRaised)
        try c.encode(rejectedByReason, forKey: .rejectedByReason)
        try c.encodeIfPresent(warning, forKey: .warning)
    }
}
