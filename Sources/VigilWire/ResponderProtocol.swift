import Foundation
import VigilCore

/// A mobile responder's handset over MQTT, bound to their login by the broker's ACL like a console:
///
/// - `{prefix}/v1/responders/{id}/jobs/{code}`  Vigil → handset, retained: the visit they are sent on,
///   until it is closed (an empty retained payload removes it).
/// - `{prefix}/v1/responders/{id}/reports`      handset → Vigil, QoS 1: en route, on site, access gained, left.
/// - `{prefix}/v1/responders/{id}/replies`      Vigil → handset, QoS 1: taken, or refused and why.
public struct ResponderTopics: Sendable, Equatable {
    public var prefix: String

    public init(prefix: String = "telecare") {
        self.prefix = prefix
    }

    public func job(_ responder: String, alarm code: String) -> String { "\(prefix)/v1/responders/\(responder)/jobs/\(code)" }
    public func jobs(_ responder: String) -> String { "\(prefix)/v1/responders/\(responder)/jobs/+" }
    public func reports(_ responder: String) -> String { "\(prefix)/v1/responders/\(responder)/reports" }
    public func replies(_ responder: String) -> String { "\(prefix)/v1/responders/\(responder)/replies" }
    public var allReports: String { "\(prefix)/v1/responders/+/reports" }

    /// The responder id of a reports topic, or nil.
    public func reportingResponder(_ topic: String) -> String? {
        let head = "\(prefix)/v1/responders/", tail = "/reports"
        guard topic.hasPrefix(head), topic.hasSuffix(tail), topic.count > head.count + tail.count else { return nil }
        let id = String(topic.dropFirst(head.count).dropLast(tail.count))
        return Identifier.isValid(id) ? id : nil
    }
}

/// What a responder's handset shows for a visit: who, where, how to get in, why.
public struct ResponderJob: Codable, Sendable, Equatable {
    public var alarm: String
    public var person: String
    public var address: String
    public var access: String
    public var reason: String
    public var dispatchedAt: EpochMillis

    public init(alarm: String, person: String, address: String, access: String, reason: String, dispatchedAt: EpochMillis) {
        self.alarm = alarm
        self.person = person
        self.address = address
        self.access = access
        self.reason = reason
        self.dispatchedAt = dispatchedAt
    }

    enum CodingKeys: String, CodingKey {
        case alarm, person, address, access, reason
        case dispatchedAt = "dispatched_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(alarm: try c.decode(String.self, forKey: .alarm), person: try c.decode(String.self, forKey: .person),
                  address: try c.decode(String.self, forKey: .address), access: try c.decode(String.self, forKey: .access),
                  reason: try c.decode(String.self, forKey: .reason), dispatchedAt: try c.decode(time: .dispatchedAt))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(alarm, forKey: .alarm)
        try c.encode(person, forKey: .person)
        try c.encode(address, forKey: .address)
        try c.encode(access, forKey: .access)
        try c.encode(reason, forKey: .reason)
        try c.encode(time: dispatchedAt, forKey: .dispatchedAt)
    }
}

/// `{"alarm":"A-2026-000001","request":"h-1","stage":"on-site"}` from a handset.
public struct ResponderReport: Codable, Sendable, Equatable {
    public var request: String
    public var alarm: String
    public var stage: Visit.Stage

    public init(request: String, alarm: String, stage: Visit.Stage) {
        self.request = request
        self.alarm = alarm
        self.stage = stage
    }
}
