import Foundation
import VigilCore

/// The console protocol over MQTT: the queue as retained messages, commands and replies per operator.
///
/// - `{prefix}/v1/queue/alarms/{code}`   retained, one open alarm each; an empty retained payload
///   removes it. A console subscribing to `{prefix}/v1/queue/alarms/+` receives the whole queue at once.
/// - `{prefix}/v1/queue/summary`         retained: counts by priority and the last hour's answer shares.
/// - `{prefix}/v1/console/{operator}/commands`  operator → Vigil, QoS 1
/// - `{prefix}/v1/console/{operator}/replies`   Vigil → operator, QoS 1
public struct ConsoleTopics: Sendable, Equatable {
    public var prefix: String

    public init(prefix: String = "telecare") {
        self.prefix = prefix
    }

    public var allAlarms: String { "\(prefix)/v1/queue/alarms/+" }
    public func alarm(_ code: String) -> String { "\(prefix)/v1/queue/alarms/\(code)" }
    public var summary: String { "\(prefix)/v1/queue/summary" }
    /// The daemon's retained `DaemonStatus` (and its last will).
    public var daemonStatus: String { "\(prefix)/v1/vigil/status" }
    public var allCommands: String { "\(prefix)/v1/console/+/commands" }
    public func commands(_ op: String) -> String { "\(prefix)/v1/console/\(op)/commands" }
    public func replies(_ op: String) -> String { "\(prefix)/v1/console/\(op)/replies" }
    /// Retained, one per alarm an operator has been told about and not yet acknowledged.
    public func notice(_ op: String, alarm code: String) -> String { "\(prefix)/v1/console/\(op)/notices/\(code)" }
    public func notices(_ op: String) -> String { "\(prefix)/v1/console/\(op)/notices/+" }
    /// Every operator's notices: a supervisor's console lists the unacknowledged ones.
    public var allNotices: String { "\(prefix)/v1/console/+/notices/+" }
    /// A console's retained `ConsolePresence` (and its last will).
    public func presence(_ op: String) -> String { "\(prefix)/v1/console/\(op)/presence" }
    public var allPresence: String { "\(prefix)/v1/console/+/presence" }

    /// The operator id of a presence topic, or nil.
    public func presenceOperator(_ topic: String) -> String? { operatorID(topic, tail: "/presence") }

    /// The operator and alarm code of a notice topic, or nil.
    public func noticeAddress(_ topic: String) -> (operator: String, alarm: String)? {
        let head = "\(prefix)/v1/console/"
        guard topic.hasPrefix(head) else { return nil }
        let parts = topic.dropFirst(head.count).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[1] == "notices", Identifier.isValid(String(parts[0])), !parts[2].isEmpty else { return nil }
        return (String(parts[0]), String(parts[2]))
    }

    /// The claims another operator offers this one as they go off shift: retained until taken.
    public func handOver(_ op: String) -> String { "\(prefix)/v1/console/\(op)/handover" }
    public func handOverOperator(_ topic: String) -> String? { operatorID(topic, tail: "/handover") }

    /// A gap in the responder rota, told to a supervisor: one retained message per area.
    public func cover(_ op: String, area: Int) -> String { "\(prefix)/v1/console/\(op)/cover/\(area)" }
    public func covers(_ op: String) -> String { "\(prefix)/v1/console/\(op)/cover/+" }

    /// The area of a cover topic, or nil.
    public func coverArea(_ topic: String) -> Int? {
        let head = "\(prefix)/v1/console/"
        guard topic.hasPrefix(head) else { return nil }
        let parts = topic.dropFirst(head.count).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[1] == "cover", let area = Int(parts[2]), (1...8).contains(area) else { return nil }
        return area
    }

    private func operatorID(_ topic: String, tail: String) -> String? {
        let head = "\(prefix)/v1/console/"
        guard topic.hasPrefix(head), topic.hasSuffix(tail), topic.count > head.count + tail.count else { return nil }
        let op = String(topic.dropFirst(head.count).dropLast(tail.count))
        return Identifier.isValid(op) ? op : nil
    }

    /// The operator id of a command topic, or nil.
    public func commandOperator(_ topic: String) -> String? { operatorID(topic, tail: "/commands") }

    /// The alarm code of a queue topic, or nil.
    public func alarmCode(_ topic: String) -> String? {
        let head = "\(prefix)/v1/queue/alarms/"
        guard topic.hasPrefix(head) else { return nil }
        let code = String(topic.dropFirst(head.count))
        return code.isEmpty ? nil : code
    }
}

/// `{"action":"claim","alarm":"A-2026-000001","outcome":…,"request":"r-1","text":…,"to":…}`, the
/// optional keys left out when unset.
public struct ConsoleCommand: Codable, Sendable, Equatable {
    public enum Action: String, Codable, Sendable, CaseIterable {
        case claim, release, note, reassign, resolve
        /// Read-only: the person, devices, responders and history behind an alarm, for the console's detail pane.
        case detail
        /// The operator has seen the notice about this alarm (it leaves their console and is audited).
        case acknowledge
        /// Send a mobile responder: `to` names them; without it, the one on call for the person's area.
        case dispatch
        /// A responder's progress told by phone: `to` the responder, `outcome` the stage (en-route,
        /// on-site, access-gained, left, cancelled), `text` why a visit is cancelled.
        case visit
        /// A call the operator made: `to` who was called, `outcome` how it ended (answered, no-answer,
        /// voicemail, will-attend, declined, wrong-number).
        case call
        /// Going off shift: offer every claim you hold to `to`, with `text` as the note. No `alarm`.
        case handOver = "handover"
        /// Take the claims offered to you. No `alarm`.
        case acceptHandOver = "accept-handover"
        /// Supervisors: move every claim of `from` (an operator who is away) to `to`. No `alarm`.
        case moveClaims = "move-claims"

        /// Acts on the operator's claims, not on one alarm.
        public var isHandOver: Bool { self == .handOver || self == .acceptHandOver || self == .moveClaims }
    }

    public var request: String
    public var action: Action
    public var alarm: String
    public var outcome: String?
    public var text: String?
    public var to: String?
    /// The operator whose claims a supervisor moves (`move-claims`).
    public var from: String?

    public init(request: String, action: Action, alarm: String, outcome: String? = nil, text: String? = nil, to: String? = nil, from: String? = nil) {
        self.request = request
        self.action = action
        self.alarm = alarm
        self.outcome = outcome
        self.text = text
        self.to = to
        self.from = from
    }

    public static let maxPayloadBytes = 8 * 1024

    /// Decodes a command; the error is a sentence for the operator (with the request id when readable).
    /// Commands come at the pace people type, so this makes its own decoder.
    public static func decode(_ payload: [UInt8]) -> Result<ConsoleCommand, CommandError> {
        guard payload.count <= maxPayloadBytes else { return .failure(CommandError(request: nil, message: "The command is larger than \(maxPayloadBytes) bytes.")) }
        // JSONDecoder keeps one copy of a repeated key and refuses `1e400` without naming it: read the
        // payload strictly first, so a command means one thing and a bad number is named.
        if case .failure(let rejection) = JSONValue.readStrict(payload) {
            let r = rejection.reason
            var request: String?
            if r != .duplicateKey("request"), case .object(let o)? = JSONValue.parse(payload), case .string(let s)? = o["request"],
               !s.isEmpty, s.utf8.count <= 64 { request = s }
            return .failure(CommandError(request: request, message: r == .invalidJSON ? "The command is not a JSON object." : r.sentence))
        }
        do {
            return .success(try JSONDecoder().decode(ConsoleCommand.self, from: Data(payload)))
        } catch let e as CommandError {
            return .failure(e)
        } catch {
            return .failure(CommandError(request: nil, message: "The command is not a JSON object."))
        }
    }

    enum CodingKeys: String, CodingKey {
        case request, action, alarm, outcome, text, to, from
    }

    /// A console is a program someone else may write, so a bad command is answered with what to fix
    /// (a `CommandError`), not refused silently. Optional keys of the wrong type count as absent.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func string(_ key: CodingKeys) -> String? { try? c.decodeIfPresent(String.self, forKey: key) }
        guard let request = string(.request), !request.isEmpty, request.utf8.count <= 64 else {
            throw CommandError(request: nil, message: "The command needs a \"request\" id (a string of 1–64 bytes).")
        }
        guard let a = string(.action), let action = Action(rawValue: a) else {
            throw CommandError(request: request, message: "The command needs an \"action\": one of \(Action.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        let alarm = string(.alarm) ?? ""
        guard !alarm.isEmpty || action.isHandOver else {
            throw CommandError(request: request, message: "The command needs the \"alarm\" code, e.g. A-2026-000913.")
        }
        self.init(request: request, action: action, alarm: alarm, outcome: string(.outcome), text: string(.text), to: string(.to), from: string(.from))
    }
}

/// A command that could not be read; `request` is set when its id could be.
public struct CommandError: Error, Sendable, Equatable {
    public var request: String?
    public var message: String
}

/// `{"alarm":"A-…","ok":true,"request":"r-1","state":"claimed"}` or `{"error":"…","ok":false,"request":"r-1"}`;
/// the answer to a `detail` command also carries the `detail` object.
public struct ConsoleReply: Codable, Sendable, Equatable {
    public var request: String
    public var ok: Bool
    public var alarm: String?
    public var state: String?
    public var error: String?
    public var detail: AlarmDetail?

    public init(request: String, ok: Bool, alarm: String? = nil, state: String? = nil, error: String? = nil, detail: AlarmDetail? = nil) {
        self.request = request
        self.ok = ok
        self.alarm = alarm
        self.state = state
        self.error = error
        self.detail = detail
    }
}

/// What an operator's console is told about an alarm, retained on
/// `{prefix}/v1/console/{operator}/notices/{code}` until they acknowledge it or the alarm closes (an
/// empty retained payload removes it): the bell rings and a banner names the alarm and why.
public struct ConsoleNotice: Codable, Sendable, Equatable {
    public var alarm: String
    public var to: String
    public var person: String
    public var priority: Priority
    public var type: String
    public var why: String
    public var at: EpochMillis

    public init(alarm: String, to: String, person: String, priority: Priority, type: String, why: String, at: EpochMillis) {
        self.alarm = alarm
        self.to = to
        self.person = person
        self.priority = priority
        self.type = type
        self.why = why
        self.at = at
    }

    enum CodingKeys: String, CodingKey { case alarm, to, person, priority, type, why, at }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(alarm: try c.decode(String.self, forKey: .alarm), to: try c.decode(String.self, forKey: .to), person: try c.decode(String.self, forKey: .person),
                  priority: try c.decode(Priority.self, forKey: .priority), type: try c.decode(String.self, forKey: .type),
                  why: try c.decode(String.self, forKey: .why), at: try c.decode(time: .at))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(alarm, forKey: .alarm)
        try c.encode(to, forKey: .to)
        try c.encode(person, forKey: .person)
        try c.encode(priority, forKey: .priority)
        try c.encode(type, forKey: .type)
        try c.encode(why, forKey: .why)
        try c.encode(time: at, forKey: .at)
    }
}

/// A console's presence, retained on `{prefix}/v1/console/{operator}/presence`: published online when
/// it connects, and set as its last will with `online` false, so the broker says when a console
/// crashes or its network goes (within the keep-alive). The daemon releases the claims of an
/// operator gone longer than the claim lease.
public struct ConsolePresence: Codable, Sendable, Equatable {
    public var `operator`: String
    public var online: Bool
    public var at: EpochMillis

    public init(operator op: String, online: Bool, at: EpochMillis) {
        self.operator = op
        self.online = online
        self.at = at
    }

    enum CodingKeys: String, CodingKey { case `operator`, online, at }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(operator: try c.decode(String.self, forKey: .operator), online: try c.decode(Bool.self, forKey: .online), at: try c.decode(time: .at))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(self.operator, forKey: .operator)
        try c.encode(online, forKey: .online)
        try c.encode(time: at, forKey: .at)
    }
}

/// A gap in the responder rota: nobody is on call for `area` from `from` until `until` (within the
/// next 24 hours). Retained on `{prefix}/v1/console/{operator}/cover/{area}` for each supervisor while
/// the gap lasts; an empty retained payload when the area is covered again. Not acknowledged: it
/// stays on the console for as long as it is true.
public struct CoverNotice: Codable, Sendable, Equatable {
    public var area: Int
    public var from: EpochMillis
    public var until: EpochMillis
    public var at: EpochMillis

    public init(area: Int, from: EpochMillis, until: EpochMillis, at: EpochMillis) {
        self.area = area
        self.from = from
        self.until = until
        self.at = at
    }

    enum CodingKeys: String, CodingKey { case area, from, until, at }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(area: try c.decode(Int.self, forKey: .area), from: try c.decode(time: .from), until: try c.decode(time: .until), at: try c.decode(time: .at))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(area, forKey: .area)
        try c.encode(time: from, forKey: .from)
        try c.encode(time: until, forKey: .until)
        try c.encode(time: at, forKey: .at)
    }
}

/// Claims offered by an operator going off shift, retained on `{prefix}/v1/console/{to}/handover`
/// until the receiver takes them (`accept-handover`) or the offer is withdrawn (an empty payload).
public struct HandOverOffer: Codable, Sendable, Equatable {
    public var from: String
    public var to: String
    public var note: String
    public var alarms: [String]
    public var at: EpochMillis

    public init(from: String, to: String, note: String, alarms: [String], at: EpochMillis) {
        self.from = from
        self.to = to
        self.note = note
        self.alarms = alarms
        self.at = at
    }

    enum CodingKeys: String, CodingKey { case from, to, note, alarms, at }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(from: try c.decode(String.self, forKey: .from), to: try c.decode(String.self, forKey: .to), note: try c.decode(String.self, forKey: .note),
                  alarms: try c.decode([String].self, forKey: .alarms), at: try c.decode(time: .at))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(from, forKey: .from)
        try c.encode(to, forKey: .to)
        try c.encode(note, forKey: .note)
        try c.encode(alarms, forKey: .alarms)
        try c.encode(time: at, forKey: .at)
    }
}
