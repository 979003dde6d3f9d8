import VigilCore

/// What `vigil serve` retains on `{prefix}/v1/vigil/status` every few seconds, for anyone watching the
/// centre: its counts since it started, with rejections by reason code (`unknown_device`, …).
public struct DaemonStatus: Codable, Sendable, Equatable {
    public var at: EpochMillis
    public var started: EpochMillis
    public var accepted: Int
    public var duplicates: Int
    public var rejected: Int
    public var alarmsRaised: Int
    public var rejectedByReason: [String: Int]

    public init(at: EpochMillis, started: EpochMillis, accepted: Int, duplicates: Int, rejected: Int, alarmsRaised: Int, rejectedByReason: [String: Int]) {
        self.at = at
        self.started = started
        self.accepted = accepted
        self.duplicates = duplicates
        self.rejected = rejected
        self.alarmsRaised = alarmsRaised
        self.rejectedByReason = rejectedByReason
    }

    enum CodingKeys: String, CodingKey {
        case at, started, accepted, duplicates, rejected
        case alarmsRaised = "alarms_raised"
        case rejectedByReason = "rejected_by_reason"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        at = try c.decode(time: .at)
        started = try c.decode(time: .started)
        accepted = try c.decode(Int.self, forKey: .accepted)
        duplicates = try c.decode(Int.self, forKey: .duplicates)
        rejected = try c.decode(Int.self, forKey: .rejected)
        alarmsRaised = try c.decode(Int.self, forKey: .alarmsRaised)
        rejectedByReason = try c.decode([String: Int].self, forKey: .rejectedByReason)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(time: at, forKey: .at)
        try c.encode(time: started, forKey: .started)
        try c.encode(accepted, forKey: .accepted)
        try c.encode(duplicates, forKey: .duplicates)
        try c.encode(rejected, forKey: .rejected)
        try c.encode(alarmsRaised, forKey: .alarmsRaised)
        try c.encode(rejectedByReason, forKey: .rejectedByReason)
    }
}
