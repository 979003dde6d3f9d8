import Foundation
import VigilCore
import VigilWire
import Yams

/// A webhook as configured: where to POST and how hard to try.
public struct WebhookSettings: Sendable, Equatable {
    public var name: String
    public var url: URL
    public var timeoutSeconds: Double
    public var maxAttempts: Int

    public init(name: String, url: URL, timeoutSeconds: Double = 5, maxAttempts: Int = 5) {
        self.name = name
        self.url = url
        self.timeoutSeconds = timeoutSeconds
        self.maxAttempts = maxAttempts
    }
}

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
    /// Megabytes that must stay free on the database's disk: below it only emergencies are accepted
    /// until space is freed (0 turns the floor off). Default 256.
    public var diskFloorMB: Int?
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
        /// Who is told: `supervisors`, `operators`, `holder`; one word or a list.
        var notify: Words?
        /// Webhooks called, by their name under `webhooks:`; one name or a list.
        var webhook: Words?
        /// Seconds between repeats while the alarm stays as it was.
        var `repeat`: Int?
        var maxRepeats: Int?

        enum CodingKeys: String, CodingKey {
            case when, after, level, breach, notify, webhook, `repeat`
            case maxRepeats = "max_repeats"
        }
    }

    /// One word or a list of them (`notify: supervisors` or `notify: [supervisors, holder]`).
    struct Words: Decodable, Sendable, Equatable {
        var list: [String]
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let one = try? c.decode(String.self) { list = [one] } else { list = try c.decode([String].self) }
        }
    }

    /// A webhook an escalation step can call: an HTTP POST of Alertmanager's webhook JSON.
    public struct Webhook: Decodable, Sendable, Equatable {
        public var url: String
        public var timeoutSeconds: Double?
        public var maxAttempts: Int?
        enum CodingKeys: String, CodingKey {
            case url
            case timeoutSeconds = "timeout_seconds"
            case maxAttempts = "max_attempts"
        }
    }

    /// Webhooks by name (`duty-manager`, `no-operators`, a partner centre's).
    public var webhooks: [String: Webhook]?
    /// Seconds a claim survives its holder's console being gone (crashed, cut off) before the alarm
    /// goes back to the queue. Default 90.
    public var claimLeaseSeconds: Int?
    /// Mobile response timers: not on site after `late_seconds` tells people; after `breach_seconds`
    /// the target is breached. Defaults 2700 and 3600 (the TSA's 45 and 60 minutes).
    var response: Response?
    /// Per-device event budgets (issue 12, section 9): see `Config+RateLimit.swift`.
    var rateLimit: RateLimit?
    /// Limits of webhook delivery: calls held, POSTs at once per webhook, the stop's grace.
    var webhookDelivery: WebhookDelivery?

    struct WebhookDelivery: Decodable, Sendable, Equatable {
        var queueLimit: Int?
        var perWebhook: Int?
        var stopGraceSeconds: Double?
        enum CodingKeys: String, CodingKey {
            case queueLimit = "queue_limit"
            case perWebhook = "per_webhook"
            case stopGraceSeconds = "stop_grace_seconds"
        }
    }

    /// Applies `disk_floor_mb` and `webhook_delivery:` to the daemon's settings, each value checked.
    public func applyIngestSettings(to s: inout IngestSettings) throws {
        if let mb = diskFloorMB {
            guard (0...1_048_576).contains(mb) else { throw ConfigError("disk_floor_mb must be 0 (no floor) to 1048576 megabytes, not \(mb).") }
            s.diskFloorBytes = Int64(mb) << 20
        }
        guard let d = webhookDelivery else { return }
        if let n = d.queueLimit {
            guard (1...100_000).contains(n) else { throw ConfigError("webhook_delivery.queue_limit must be 1 to 100000 calls held, not \(n).") }
            s.webhookQueueCapacity = n
        }
        if let n = d.perWebhook {
            guard (1...64).contains(n) else { throw ConfigError("webhook_delivery.per_webhook must be 1 to 64 POSTs at once, not \(n).") }
            s.webhookConcurrency = n
        }
        if let g = d.stopGraceSeconds {
            guard g >= 0 && g <= 60 else { throw ConfigError("webhook_delivery.stop_grace_seconds must be 0 to 60 seconds, not \(g).") }
            s.webhookStopGraceMillis = Int64((g * 1000).rounded())
        }
    }

    struct Response: Decodable, Sendable, Equatable {
        var lateSeconds: Int?
        var breachSeconds: Int?
        enum CodingKeys: String, CodingKey {
            case lateSeconds = "late_seconds"
            case breachSeconds = "breach_seconds"
        }
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
        case db, broker, prefix, triage, username, supervision, escalation, timezone, retention, webhooks, response
        case claimLeaseSeconds = "claim_lease_seconds"
        case rateLimit = "rate_limit"
        case webhookDelivery = "webhook_delivery"
        case checkpointSeconds = "checkpoint_seconds"
        case diskFloorMB = "disk_floor_mb"
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
            _ = try config.engineSettings(topics: Topics(prefix: config.prefix ?? Topics().prefix))
            _ = try config.webhookTargets()
            _ = try config.claimLease()
            var probe = IngestSettings(databasePath: "", host: "", port: 0)
            try config.applyIngestSettings(to: &probe)
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
        var s = EngineSettings(topics: topics, zigbee: zigbee ?? ZigbeeTopics(base: zigbeeBase ?? "zigbee2mqtt"), policy: try triagePolicy(),
                       escalation: try escalationPolicy(), graceSeconds: try graceSeconds(), webhooks: try webhookTargets(), claimLeaseSeconds: try claimLease())
        let late = response?.lateSeconds ?? s.visitLateSeconds, breach = response?.breachSeconds ?? s.visitBreachSeconds
        guard late > 0, breach > late else {
            throw ConfigError("response.late_seconds (\(late)) must be positive and below response.breach_seconds (\(breach)).")
        }
        s.visitLateSeconds = late
        s.visitBreachSeconds = breach
        s.rateLimits = try rateLimits()
        // The bridge's tree and Vigil's must not overlap: a device event under the bridge's base
        // would be read twice, and a bridge topic under the prefix taken for Vigil's own.
        let base = s.zigbee.base, prefix = topics.prefix
        if base == prefix || base.hasPrefix(prefix + "/") || prefix.hasPrefix(base + "/") {
            throw ConfigError("zigbee_base \"\(base)\" overlaps the topic prefix \"\(prefix)\", under which devices, consoles and responders publish to Vigil: give the Zigbee2MQTT bridge a base topic of its own (its base_topic, zigbee2mqtt by default).")
        }
        return s
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

    /// The escalation chains, the defaults replaced per priority by the file's. A step naming a
    /// webhook the file does not define is refused (a default's unconfigured webhook is skipped).
    public func escalationPolicy() throws -> EscalationPolicy {
        var policy = EscalationPolicy.default
        let people = ["supervisors", "operators", "holder"]
        for (key, steps) in escalation ?? [:] {
            guard let n = Int(key.dropFirst()), key.first == "P", let p = Priority(rawValue: n) else {
                throw ConfigError("escalation.\(key): use P1, P2 or P3 as the priority.")
            }
            let chain = try steps.enumerated().map { i, s in
                guard let when = EscalationStep.When(rawValue: s.when) else {
                    throw ConfigError("escalation.\(key)[\(i)].when must be \"unclaimed\" or \"claimed\", not \"\(s.when)\".")
                }
                var actions: [StepAction] = []
                for word in s.notify?.list ?? [] {
                    guard people.contains(word), let a = StepAction(name: word) else {
                        throw ConfigError("escalation.\(key)[\(i)].notify: \"\(word)\" is not someone Vigil can notify; use \(people.joined(separator: ", ")).")
                    }
                    actions.append(a)
                }
                for name in s.webhook?.list ?? [] {
                    guard webhooks?[name] != nil else {
                        throw ConfigError("escalation.\(key)[\(i)].webhook: no webhook named \"\(name)\" under webhooks:.")
                    }
                    actions.append(.webhook(name))
                }
                return EscalationStep(when: when, afterSeconds: s.after, level: s.level ?? 0, breach: s.breach ?? false, actions: actions,
                                      repeatEverySeconds: s.repeat, maxRepeats: s.maxRepeats ?? 60)
            }
            if let problem = EscalationPolicy.problem(in: chain) { throw ConfigError("escalation.\(key): \(problem).") }
            policy.chains[p] = chain
        }
        return policy
    }

    /// The configured webhooks, checked: an absolute http(s) URL, a sane timeout and attempt count.
    public func webhookTargets() throws -> [String: WebhookSettings] {
        var out: [String: WebhookSettings] = [:]
        for (name, w) in webhooks ?? [:] {
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw ConfigError("webhooks: \"\(name)\" is not a webhook name (letters, digits, - and _).")
            }
            guard let url = URL(string: w.url), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ConfigError("webhooks.\(name).url must be an http:// or https:// address, not \"\(w.url)\".")
            }
            let timeout = w.timeoutSeconds ?? 5
            guard timeout > 0, timeout <= 60 else { throw ConfigError("webhooks.\(name).timeout_seconds must be more than 0 and at most 60.") }
            let attempts = w.maxAttempts ?? 5
            guard (1...20).contains(attempts) else { throw ConfigError("webhooks.\(name).max_attempts must be 1 to 20.") }
            out[name] = WebhookSettings(name: name, url: url, timeoutSeconds: timeout, maxAttempts: attempts)
        }
        return out
    }

    /// How long a claim outlives its holder's console (default 90 s).
    public func claimLease() throws -> Int {
        let lease = claimLeaseSeconds ?? 90
        guard (10...3_600).contains(lease) else { throw ConfigError("claim_lease_seconds must be 10 to 3600, not \(lease).") }
        return lease
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
