import Foundation
import VigilCore
import VigilWire
import Yams

/// The daemon's configuration file (YAML). Every key is optional; command-line flags win.
/// See deploy/vigil.example.yaml for a commented example.
public struct VigilConfig: Decodable, Sendable, Equatable {
    public var db: String?
    public var broker: String?
    public var prefix: String?
    /// The Zigbee2MQTT bridge's base topic (its `mqtt.base_topic`).
    public var zigbeeBase: String?
    public var clientID: String?
    public var username: String?
    public var passwordFile: String?
    var triage: Triage?
    /// Seconds between WAL checkpoints (from a connection of their own; see BENCHMARKS.md).
    public var checkpointSeconds: Double?
    /// Days of raw events and dead letters to keep; the daemon prunes older ones daily. Unset: kept for ever.
    public var retention: Int?
    /// The centre's time zone (an IANA name): night windows and the year in alarm codes are read on
    /// its clock, whatever zone the host is set to.
    var timezone: String?
    var supervision: Supervision?
    /// Escalation chains by priority key: P1, P2, P3.
    var escalation: [String: [Step]]?

    struct Supervision: Decodable, Sendable, Equatable {
        var graceSeconds: Int?
        enum CodingKeys: String, CodingKey { case graceSeconds = "grace_seconds" }
    }

    struct Step: Decodable, Sendable, Equatable {
        var when: String
        var after: Int
        var level: Int?
        var breach: Bool?
        var notify: String?
    }

    struct Triage: Decodable, Sendable, Equatable {
        var nightStart: String?
        var nightEnd: String?
        var coldCelsius: Double?
        var hotCelsius: Double?

        enum CodingKeys: String, CodingKey {
            case nightStart = "night_start", nightEnd = "night_end", coldCelsius = "cold_celsius", hotCelsius = "hot_celsius"
        }
    }

    enum CodingKeys: String, CodingKey {
        case db, broker, prefix, triage, username, supervision, escalation, timezone, retention
        case checkpointSeconds = "checkpoint_seconds"
        case clientID = "client_id"
        case zigbeeBase = "zigbee_base"
        case passwordFile = "password_file"
    }

    public init() {}

    /// Retention below this would forget events devices may still resend, and the week of console
    /// request ids kept for the same reason.
    public static let minimumRetentionDays = 7

    /// Reads and checks a config file, with errors that name the file and the problem.
    public static func load(path: String) throws -> VigilConfig {
        guard let text = FileManager.default.contents(atPath: path).flatMap({ String(data: $0, encoding: .utf8) }) else {
            throw ConfigError("Cannot read the config file \(path): check that it exists and is readable.")
        }
        return try parse(text, source: path)
    }

    /// Checks a config given as YAML text; `source` names it in errors (a path, a scenario).
    public static func parse(_ text: String, source: String) throws -> VigilConfig {
        do {
            let config = try YAMLDecoder().decode(VigilConfig.self, from: text)
            _ = try config.engineSettings()
            if let c = config.checkpointSeconds, !(c > 0 && c <= 3_600) {
                throw ConfigError("checkpoint_seconds must be between 0 and 3600 seconds, not \(c).")
            }
            if let r = config.retention, r < Self.minimumRetentionDays {
                throw ConfigError("retention is in days and must be at least \(Self.minimumRetentionDays) (a device resending an event whose row was pruned would raise it again), not \(r).")
            }
            return config
        } catch let e as ConfigError {
            throw ConfigError("\(source): \(e.description)")
        } catch {
            throw ConfigError("\(source) is not a valid Vigil config: \(error)")
        }
    }

    /// What the engine decides with: this file's triage, escalation and supervision over the defaults.
    public func engineSettings(topics: Topics = Topics(), zigbee: ZigbeeTopics? = nil) throws -> EngineSettings {
        EngineSettings(topics: topics, zigbee: zigbee ?? ZigbeeTopics(base: zigbeeBase ?? "zigbee2mqtt"), policy: try triagePolicy(),
                       escalation: try escalationPolicy(), graceSeconds: try graceSeconds())
    }

    /// The triage policy with this file's overrides applied to the defaults.
    public func triagePolicy() throws -> TriagePolicy {
        var p = TriagePolicy.default
        if let s = triage?.nightStart { p.nightStartMinute = try Self.minute(s, key: "triage.night_start") }
        if let s = triage?.nightEnd { p.nightEndMinute = try Self.minute(s, key: "triage.night_end") }
        if let c = triage?.coldCelsius { p.coldCelsius = c }
        if let h = triage?.hotCelsius { p.hotCelsius = h }
        guard p.coldCelsius < p.hotCelsius else {
            throw ConfigError("triage.cold_celsius (\(p.coldCelsius)) must be below triage.hot_celsius (\(p.hotCelsius)).")
        }
        return p
    }

    /// The escalation chains, the defaults replaced per priority by the file's.
    public func escalationPolicy() throws -> EscalationPolicy {
        var policy = EscalationPolicy.default
        for (key, steps) in escalation ?? [:] {
            guard let n = Int(key.dropFirst()), key.first == "P", let p = Priority(rawValue: n) else {
                throw ConfigError("escalation.\(key): use P1, P2 or P3 as the priority.")
            }
            guard steps.count <= 64 else { throw ConfigError("escalation.\(key): at most 64 steps.") }
            policy.chains[p] = try steps.enumerated().map { i, s in
                guard let when = EscalationStep.When(rawValue: s.when) else {
                    throw ConfigError("escalation.\(key)[\(i)].when must be \"unclaimed\" or \"claimed\", not \"\(s.when)\".")
                }
                guard s.after > 0 else { throw ConfigError("escalation.\(key)[\(i)].after must be a positive number of seconds.") }
                let level = s.level ?? 0
                guard level >= 0, when == .unclaimed || level == 0 else {
                    throw ConfigError("escalation.\(key)[\(i)]: only unclaimed steps raise a level.")
                }
                return EscalationStep(when: when, afterSeconds: s.after, level: level, breach: s.breach ?? false, notify: s.notify ?? (when == .claimed ? "reminder to the operator" : "level \(level)"))
            }
        }
        return policy
    }

    /// The zone a centre in England starts from; a host's own zone (often UTC on a server) is never
    /// assumed, or an exit at 22:30 in British Summer Time would be read as 21:30, by day.
    public static let defaultTimeZone = "Europe/London"

    /// The centre's time zone: `timezone:` from the file, or Europe/London.
    public func timeZone() throws -> TimeZone {
        let name = timezone ?? Self.defaultTimeZone
        guard let zone = TimeZone(identifier: name), !name.isEmpty else {
            throw ConfigError("timezone must be an IANA time zone name such as \"Europe/London\" or \"Europe/Dublin\", not \"\(name)\" (the names are listed by `timedatectl list-timezones`).")
        }
        return zone
    }

    public func graceSeconds() throws -> Int {
        let g = supervision?.graceSeconds ?? 120
        guard g >= 0 else { throw ConfigError("supervision.grace_seconds must not be negative.") }
        return g
    }

    static func minute(_ s: String, key: String) throws -> Int {
        guard let minute = MinuteOfDay.parse(s) else {
            throw ConfigError("\(key) must be a time of day HH:MM on the 24-hour clock, like \"22:00\", not \"\(s)\".")
        }
        return minute
    }
}

/// A config file's problem, in a sentence that names the key (callers print it).
struct ConfigError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The broker's address, written `HOST:PORT` on the command line (`--broker`) and in the config file
/// (`broker:`). The one reading of it, for `vigil serve`, the console, `vigil alarm` and the simulators.
public struct BrokerAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int32

    public static let `default` = BrokerAddress(host: "127.0.0.1", port: 1883)

    public init(host: String, port: Int32) {
        self.host = host
        self.port = port
    }

    /// `127.0.0.1:1883`, `broker.example.org:8883`, or an IPv6 address in brackets as in a URL, `[::1]:1883`.
    public init(parsing s: String) throws {
        func refuse(_ reason: String) -> ParseError { ParseError(input: s, reason: reason) }
        guard let colon = s.lastIndex(of: ":") else { throw refuse("it has no :PORT") }
        var host = s[..<colon]
        let port = s[s.index(after: colon)...]
        if host.first == "[", host.last == "]" {
            host = host.dropFirst().dropLast()
        } else if host.contains(":") {
            throw refuse("an IPv6 address goes in brackets, like [::1]:1883")
        }
        guard !host.isEmpty else { throw refuse("the host is missing") }
        guard !host.contains(where: \.isWhitespace) else { throw refuse("the host has a space in it") }
        guard !port.isEmpty, port.utf8.allSatisfy({ (48...57).contains($0) }), let number = Int32(port), (1...65_535).contains(number) else {
            throw refuse("the port must be a number from 1 to 65535")
        }
        self.host = String(host)
        self.port = number
    }

    /// `HOST:PORT` again, brackets and all: what `init(parsing:)` reads back.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// What was wrong with a written address. `described(as:)` names where it came from, so the
    /// person knows which flag or config key to fix.
    public struct ParseError: Error, CustomStringConvertible {
        public var input: String
        public var reason: String

        public func described(as name: String) -> String {
            "\(name) \"\(input)\" must be HOST:PORT, for example 127.0.0.1:1883 (\(reason))."
        }

        public var description: String { described(as: "The broker address") }
    }
}
