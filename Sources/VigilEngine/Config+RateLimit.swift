import VigilCore

extension VigilConfig {
    /// ```yaml
    /// rate_limit:
    ///   all: { burst: 100, per_minute: 60 }      # every kind's budget (replaces the defaults)
    ///   kinds:
    ///     pendant: { burst: 20, per_minute: 6 }  # then one kind's
    ///   quiet_seconds: 600                       # within budget this long, and a new flood raises a new P3
    /// ```
    struct RateLimit: Decodable, Sendable, Equatable {
        var all: Budget?
        var kinds: [String: Budget]?
        var quietSeconds: Int?
        enum CodingKeys: String, CodingKey {
            case all, kinds
            case quietSeconds = "quiet_seconds"
        }
    }

    struct Budget: Decodable, Sendable, Equatable {
        var burst: Int
        var perMinute: Double
        enum CodingKeys: String, CodingKey {
            case burst
            case perMinute = "per_minute"
        }
    }

    /// The default budgets, then `all`, then each kind named under `kinds`.
    public func rateLimits() throws -> RateLimits {
        var limits = RateLimits.default
        func checked(_ b: Budget, key: String) throws -> EventBudget {
            guard (1...10_000_000).contains(b.burst) else { throw ConfigError("\(key).burst must be a whole number of events from 1 to 10000000, not \(b.burst).") }
            guard b.perMinute > 0, b.perMinute <= 60_000_000 else { throw ConfigError("\(key).per_minute must be more than 0 and at most 60000000, not \(b.perMinute).") }
            return EventBudget(burst: b.burst, perMinute: b.perMinute)
        }
        if let all = rateLimit?.all {
            let b = try checked(all, key: "rate_limit.all")
            for kind in DeviceKind.allCases { limits.byKind[kind] = b }
        }
        for (name, budget) in rateLimit?.kinds ?? [:] {
            guard let kind = DeviceKind(rawValue: name) else {
                throw ConfigError("rate_limit.kinds: \"\(name)\" is not a device kind; use \(DeviceKind.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            limits.byKind[kind] = try checked(budget, key: "rate_limit.kinds.\(name)")
        }
        if let q = rateLimit?.quietSeconds {
            guard (0...86_400).contains(q) else { throw ConfigError("rate_limit.quiet_seconds must be 0 to 86400, not \(q).") }
            limits.quietMillis = EpochMillis(q) * 1000
        }
        return limits
    }
}
