import VigilCore
import VigilWire

/// One alarm as the retained queue topic carries it.
public struct QueueEntry: Sendable, Equatable {
    public var code: String
    public var user: String
    public var person: String
    public var device: String
    public var type: String
    public var priority: Priority
    public var state: String
    public var reason: String
    public var raisedAt: EpochMillis
    public var escalation: Int
    public var breached: Bool
    public var events: Int
    public var claimedBy: String?

    public init(code: String, user: String, person: String, device: String, type: String, priority: Priority, state: String, reason: String, raisedAt: EpochMillis, escalation: Int = 0, breached: Bool = false, events: Int = 1, claimedBy: String? = nil) {
        self.code = code
        self.user = user
        self.person = person
        self.device = device
        self.type = type
        self.priority = priority
        self.state = state
        self.reason = reason
        self.raisedAt = raisedAt
        self.escalation = escalation
        self.breached = breached
        self.events = events
        self.claimedBy = claimedBy
    }

    /// What operators read in the TYPE column.
    public var typeLabel: String { type == "heartbeat" ? "no contact" : type.replacingOccurrences(of: "_", with: " ") }

    public static func decode(_ payload: [UInt8]) -> QueueEntry? {
        guard case .object(let o)? = JSONValue.parse(payload) else { return nil }
        func s(_ k: String) -> String? { if case .string(let v)? = o[k] { v } else { nil } }
        func n(_ k: String) -> Int? { if case .number(let v)? = o[k] { Int(v) } else { nil } }
        guard let code = s("id"), let user = s("user"), let type = s("type"), let p = n("priority").flatMap(Priority.init(rawValue:)),
              let raised = s("raised_at").flatMap(RFC3339.millis) else { return nil }
        var breached = false
        if case .bool(let b)? = o["breached"] { breached = b }
        return QueueEntry(code: code, user: user, person: s("person") ?? user, device: s("device") ?? "", type: type, priority: p,
                          state: s("state") ?? "raised", reason: s("reason") ?? "", raisedAt: raised, escalation: n("escalation") ?? 0,
                          breached: breached, events: n("events") ?? 1, claimedBy: s("claimed_by"))
    }
}

extension String {
    func replacingOccurrences(of a: String, with b: String) -> String {
        split(separator: Character(a), omittingEmptySubsequences: false).joined(separator: b)
    }
}

/// The retained summary: counts and the last hour's answer shares.
public struct QueueSummary: Sendable, Equatable {
    public var p1 = 0, p2 = 0, p3 = 0
    public var answered60: Double?
    public var answered180: Double?

    public init(p1: Int = 0, p2: Int = 0, p3: Int = 0, answered60: Double? = nil, answered180: Double? = nil) {
        self.p1 = p1
        self.p2 = p2
        self.p3 = p3
        self.answered60 = answered60
        self.answered180 = answered180
    }

    public static func decode(_ payload: [UInt8]) -> QueueSummary? {
        guard case .object(let o)? = JSONValue.parse(payload) else { return nil }
        func n(_ k: String) -> Double? { if case .number(let v)? = o[k] { v } else { nil } }
        return QueueSummary(p1: Int(n("p1") ?? 0), p2: Int(n("p2") ?? 0), p3: Int(n("p3") ?? 0), answered60: n("answered_60s_pct"), answered180: n("answered_180s_pct"))
    }
}

/// The selected alarm's person and history, fetched from the daemon with a `detail` command.
public struct AlarmDetail: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public var left: String
        public var right: String
        public init(_ left: String, _ right: String) {
            self.left = left
            self.right = right
        }
    }

    public var person: String
    public var address: String
    public var access: String
    public var conditions: String
    public var groups: [String]
    public var devices: [Line]
    public var responders: [Line]
    public var recent: [Line]
    public var events: [Line]
    public var audit: [Line]

    public init(person: String, address: String = "", access: String = "", conditions: String = "", groups: [String] = [], devices: [Line] = [], responders: [Line] = [], recent: [Line] = [], events: [Line] = [], audit: [Line] = []) {
        self.person = person
        self.address = address
        self.access = access
        self.conditions = conditions
        self.groups = groups
        self.devices = devices
        self.responders = responders
        self.recent = recent
        self.events = events
        self.audit = audit
    }

    public static func decode(_ v: JSONValue) -> AlarmDetail? {
        guard case .object(let o) = v else { return nil }
        func s(_ k: String) -> String { if case .string(let x)? = o[k] { x } else { "" } }
        func lines(_ k: String) -> [Line] {
            guard case .array(let a)? = o[k] else { return [] }
            return a.compactMap { item in
                guard case .array(let pair) = item, pair.count == 2, case .string(let l) = pair[0], case .string(let r) = pair[1] else { return nil }
                return Line(l, r)
            }
        }
        var groups: [String] = []
        if case .array(let g)? = o["groups"] { groups = g.compactMap { if case .string(let x) = $0 { x } else { nil } } }
        return AlarmDetail(person: s("person"), address: s("address"), access: s("access"), conditions: s("conditions"), groups: groups,
                           devices: lines("devices"), responders: lines("responders"), recent: lines("recent"), events: lines("events"), audit: lines("audit"))
    }
}
