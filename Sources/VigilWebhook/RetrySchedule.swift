/// How long to wait before the next attempt: doubling from `baseMillis` after the first failure,
/// never more than `capMillis`. 1 s doubling to 30 s: the default 5 attempts span about 15 s of
/// waiting, long enough to ride out a receiver's restart, short enough that a page that cannot go
/// is reported (and the supervisors told) within the minute an escalation step repeats in.
/// No jitter: Vigil is one sender, so there is no herd to spread, and a fixed schedule is testable.
public struct RetrySchedule: Sendable, Equatable {
    public var baseMillis: Int64
    public var capMillis: Int64

    public init(baseMillis: Int64 = 1_000, capMillis: Int64 = 30_000) {
        self.baseMillis = baseMillis
        self.capMillis = capMillis
    }

    public static let standard = RetrySchedule()

    /// The wait after attempt `attempt` (1-based) has failed.
    public func delay(afterAttempt attempt: Int) -> Int64 {
        let doublings = max(0, attempt - 1)
        // Past 2^20 the cap has long been reached; stopping there keeps the shift from overflowing.
        guard doublings < 20 else { return capMillis }
        return min(capMillis, baseMillis << Int64(doublings))
    }
}
