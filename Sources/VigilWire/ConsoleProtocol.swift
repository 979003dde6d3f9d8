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
    public var allCommands: String { "\(prefix)/v1/console/+/commands" }
    public func commands(_ op: String) -> String { "\(prefix)/v1/console/\(op)/commands" }
    public func replies(_ op: String) -> String { "\(prefix)/v1/console/\(op)/replies" }

    /// The operator id of a command topic, or nil.
    public func commandOperator(_ topic: String) -> String? {
        let head = "\(prefix)/v1/console/", tail = "/commands"
        guard topic.hasPrefix(head), topic.hasSuffix(tail), topic.count > head.count + tail.count else { return nil }
        let op = String(topic.dropFirst(head.count).dropLast(tail.count))
        return Identifier.isValid(op) ? op : nil
    }

    /// The alarm code of a queue topic, or nil.
    public func alarmCode(_ topic: String) -> String? {
        let head = "\(prefix)/v1/queue/alarms/"
        guard topic.hasPrefix(head) else { return nil }
        let code = String(topic.dropFirst(head.count))
        return code.isEmpty ? nil : code
    }
}

/// `{"request":"r-1","action":"claim","alarm":"A-2026-000001","outcome":…,"text":…,"to":…}`
public struct ConsoleCommand: Sendable, Equatable {
    public enum Action: String, Sendable, CaseIterable {
        case claim, release, note, reassign, resolve
        /// Read-only: the person, devices, responders and history behind an alarm, for the console's detail pane.
        case detail
    }

    public var request: String
    public var action: Action
    public var alarm: String
    public var outcome: String?
    public var text: String?
    public var to: String?

    public init(request: String, action: Action, alarm: String, outcome: String? = nil, text: String? = nil, to: String? = nil) {
        self.request = request
        self.action = action
        self.alarm = alarm
        self.outcome = outcome
        self.text = text
        self.to = to
    }

    public static let maxPayloadBytes = 8 * 1024

    public func encoded() -> [UInt8] {
        var s = "{\"request\":\(JSONText.quote(request)),\"action\":\"\(action.rawValue)\",\"alarm\":\(JSONText.quote(alarm))"
        if let outcome { s += ",\"outcome\":\(JSONText.quote(outcome))" }
        if let text { s += ",\"text\":\(JSONText.quote(text))" }
        if let to { s += ",\"to\":\(JSONText.quote(to))" }
        return Array((s + "}").utf8)
    }

    /// Decodes a command; the error is a sentence for the operator (with the request id when readable).
    public static func decode(_ payload: [UInt8]) -> Result<ConsoleCommand, CommandError> {
        guard payload.count <= maxPayloadBytes else { return .failure(CommandError(request: nil, message: "The command is larger than \(maxPayloadBytes) bytes.")) }
        guard case .object(let o)? = JSONValue.parse(payload) else { return .failure(CommandError(request: nil, message: "The command is not a JSON object.")) }
        guard case .string(let request)? = o["request"], !request.isEmpty, request.utf8.count <= 64 else {
            return .failure(CommandError(request: nil, message: "The command needs a \"request\" id (a string of 1–64 bytes)."))
        }
        func string(_ k: String) -> String? { if case .string(let s)? = o[k] { s } else { nil } }
        guard let a = string("action"), let action = Action(rawValue: a) else {
            return .failure(CommandError(request: request, message: "The command needs an \"action\": one of \(Action.allCases.map(\.rawValue).joined(separator: ", "))."))
        }
        guard let alarm = string("alarm"), !alarm.isEmpty else { return .failure(CommandError(request: request, message: "The command needs the \"alarm\" code, e.g. A-2026-000913.")) }
        return .success(ConsoleCommand(request: request, action: action, alarm: alarm, outcome: string("outcome"), text: string("text"), to: string("to")))
    }
}

/// A command that could not be read; `request` is set when its id could be.
public struct CommandError: Error, Sendable, Equatable {
    public var request: String?
    public var message: String
}

/// `{"request":"r-1","ok":true,"alarm":"A-…","state":"claimed"}` or `{"request":"r-1","ok":false,"error":"…"}`
public struct ConsoleReply: Sendable, Equatable {
    public var request: String
    public var ok: Bool
    public var alarm: String?
    public var state: String?
    public var error: String?
    /// For `detail`: a JSON object (already encoded) describing the alarm and its person.
    public var detailJSON: String?

    public init(request: String, ok: Bool, alarm: String? = nil, state: String? = nil, error: String? = nil, detailJSON: String? = nil) {
        self.request = request
        self.ok = ok
        self.alarm = alarm
        self.state = state
        self.error = error
        self.detailJSON = detailJSON
    }

    public func encoded() -> [UInt8] {
        var s = "{\"request\":\(JSONText.quote(request)),\"ok\":\(ok)"
        if let alarm { s += ",\"alarm\":\(JSONText.quote(alarm))" }
        if let state { s += ",\"state\":\(JSONText.quote(state))" }
        if let error { s += ",\"error\":\(JSONText.quote(error))" }
        if let detailJSON { s += ",\"detail\":" + detailJSON }
        return Array((s + "}").utf8)
    }

    /// The `detail` object of a reply, if it has one.
    public static func detail(_ payload: [UInt8]) -> JSONValue? {
        guard case .object(let o)? = JSONValue.parse(payload) else { return nil }
        return o["detail"]
    }

    public static func decode(_ payload: [UInt8]) -> ConsoleReply? {
        guard case .object(let o)? = JSONValue.parse(payload), case .string(let r)? = o["request"], case .bool(let ok)? = o["ok"] else { return nil }
        func string(_ k: String) -> String? { if case .string(let s)? = o[k] { s } else { nil } }
        return ConsoleReply(request: r, ok: ok, alarm: string("alarm"), state: string("state"), error: string("error"))
    }
}

/// One open alarm on the retained queue topic.
public enum QueueItemMessage {
    public static func encode(_ a: Alarm, person: String) -> [UInt8] {
        var s = "{\"id\":\(JSONText.quote(a.code)),\"user\":\(JSONText.quote(a.user)),\"person\":\(JSONText.quote(person)),\"device\":\(JSONText.quote(a.device))"
        s += ",\"type\":\"\(a.type.rawValue)\",\"priority\":\(a.priority.rawValue),\"state\":\"\(a.status.rawValue)\",\"reason\":\(JSONText.quote(a.reason))"
        s += ",\"raised_at\":\(JSONText.quote(RFC3339.format(millis: a.raisedAt))),\"escalation\":\(a.escalation),\"breached\":\(a.breached),\"events\":\(a.events)"
        s += ",\"claimed_by\":" + (a.claimedBy.map(JSONText.quote) ?? "null")
        s += ",\"claimed_at\":" + (a.claimedAt.map { JSONText.quote(RFC3339.format(millis: $0)) } ?? "null")
        return Array((s + "}").utf8)
    }
}
