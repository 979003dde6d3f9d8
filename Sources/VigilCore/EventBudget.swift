/// How many events a device may send: `burst` at once, then `perMinute` steadily (a token bucket
/// holding at most `burst` tokens, refilled at `perMinute`). Issue 12, section 9: one device cannot
/// drown the others.
public struct EventBudget: Sendable, Equatable {
    public var burst: Int
    public var perMinute: Double

    public init(burst: Int, perMinute: Double) {
        self.burst = burst
        self.perMinute = perMinute
    }
}

/// Each device kind's budget, and how long a device must stay within it before going over again
/// counts as a new flood (and raises a new "device flooding" P3).
public struct RateLimits: Sendable, Equatable {
    public var byKind: [DeviceKind: EventBudget]
    public var quietMillis: EpochMillis

    public init(byKind: [DeviceKind: EventBudget] = RateLimits.defaultBudgets, quietMillis: EpochMillis = 10 * 60_000) {
        self.byKind = byKind
        self.quietMillis = quietMillis
    }

    public static let `default` = RateLimits()

    /// The budget of a kind with no entry (every kind has one by default).
    public static let fallback = EventBudget(burst: 60, perMinute: 30)

    public func budget(_ kind: DeviceKind) -> EventBudget { byKind[kind] ?? Self.fallback }

    /// What a real unit never exceeds, with room to spare. A pendant, pull cord, fall detector or
    /// hazard detector sends a press or alarm, a cancel, a heartbeat and battery news: a handful an
    /// hour, a few a minute when someone presses again and again (and an emergency is never refused).
    /// A telehealth kit sends one reading per vital sign at a session. Activity sensors (PIR, door,
    /// bed, chair) report every change of state, so they get more; so does the hub, which reports
    /// power and tamper for the household.
    public static let defaultBudgets: [DeviceKind: EventBudget] = {
        var out: [DeviceKind: EventBudget] = [:]
        for kind in DeviceKind.allCases {
            switch kind {
            case .pendant, .pullcord, .fallDetector, .smoke, .heat, .co, .gas, .epilepsy, .telehealth, .medication, .enuresis, .flood:
                out[kind] = EventBudget(burst: 20, perMinute: 6)
            case .hub, .temperature, .door, .bed, .chair, .pir:
                out[kind] = EventBudget(burst: 60, perMinute: 30)
            }
        }
        return out
    }()
}

/// A device's tokens: full at first, one taken per event, refilled with time.
public struct TokenBucket: Sendable, Equatable {
    public private(set) var tokens: Double
    public private(set) var updatedAt: EpochMillis

    public init(budget: EventBudget, now: EpochMillis) {
        tokens = Double(budget.burst)
        updatedAt = now
    }

    /// Refills for the time since the last event, then takes a token if there is one.
    public mutating func take(_ budget: EventBudget, now: EpochMillis) -> Bool {
        let elapsed = max(0, now - updatedAt)
        tokens = min(Double(budget.burst), tokens + Double(elapsed) * budget.perMinute / 60_000)
        updatedAt = max(updatedAt, now)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}

/// Every device's bucket, and which devices are flooding. A pure state machine: the engine asks
/// about each event from a registered device and acts on the answer.
public struct FloodGuard: Sendable {
    public enum Verdict: Sendable, Equatable {
        /// Within the device's budget.
        case within
        /// Past it. `floodStarted`: the first such event since the device was last within its
        /// budget for `quietMillis` (the engine raises one P3 for it).
        case over(floodStarted: Bool)
    }

    public var limits: RateLimits
    private var buckets: [String: TokenBucket] = [:]
    /// When each device last went over its budget.
    private var lastOver: [String: EpochMillis] = [:]

    public init(limits: RateLimits = .default) { self.limits = limits }

    public mutating func admit(device: String, kind: DeviceKind, now: EpochMillis) -> Verdict {
        let budget = limits.budget(kind)
        var bucket = buckets[device] ?? TokenBucket(budget: budget, now: now)
        defer { buckets[device] = bucket }
        if bucket.take(budget, now: now) { return .within }
        let started = lastOver[device].map { now - $0 >= limits.quietMillis } ?? true
        lastOver[device] = now
        return .over(floodStarted: started)
    }
}
