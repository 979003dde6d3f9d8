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

/// `{"action":"claim","alarm":"A-2026-000001","outcome":…,"request":"r-1","text":…,"to":…}`, the
/// optional keys left out when unset.
public struct ConsoleCommand: Codable, Sendable, Equatable {
    public enum Action: String, Codable, Sendable, CaseIterable {
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
        case request, action, alarm, outcome, text, to
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
        guard let alarm = string(.alarm), !alarm.isEmpty else {
            throw CommandError(request: request, message: "The command needs the \"alarm\" code, e.g. A-2026-000913.")
        }
        self.init(request: request, action: action, alarm: alarm, outcome: string(.outcome), text: string(.text), to: string(.to))
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
