/// What one attempt came back with: an HTTP status, or no response at all (refused, timed out, reset).
public enum AttemptResult: Sendable, Equatable {
    case status(Int)
    case failed(String)
}

/// Why an attempt did not deliver, as the audit trail says it.
public enum WebhookFailure: Sendable, Equatable, CustomStringConvertible {
    case status(Int)
    case transport(String)

    public var description: String {
        switch self {
        case .status(let code): "HTTP \(code)"
        case .transport(let why): why
        }
    }
}

/// What the delivery component tells the ingest thread about one job, one report per attempt (and
/// one for a job never attempted). The engine audits each and tells the supervisors on `gaveUp`.
public struct WebhookReport: Sendable, Equatable {
    public var webhook: String
    /// The caller's name for the call (`WebhookJob.callID`).
    public var callID: Int64
    public var alarmID: Int64
    public var alarmCode: String
    public var attempt: Int
    public var maxAttempts: Int
    public var outcome: Outcome

    public enum Outcome: Sendable, Equatable {
        /// The receiver answered 2xx.
        case delivered(status: Int)
        /// This attempt failed; the next follows after `retryInMillis`.
        case failed(WebhookFailure, retryInMillis: Int64)
        /// No more attempts: the last failure, and whether it was one a retry cannot mend (a 4xx).
        case gaveUp(WebhookFailure, permanent: Bool)
        /// Never attempted, and never will be: the queue was full, or the webhook is gone from the config.
        case refused(String)
        /// Not attempted, or cut short, because the daemon stopped: the call stays the caller's to send
        /// when it starts again.
        case kept(String)
    }

    public init(webhook: String, callID: Int64, alarmID: Int64, alarmCode: String, attempt: Int, maxAttempts: Int, outcome: Outcome) {
        self.webhook = webhook
        self.callID = callID
        self.alarmID = alarmID
        self.alarmCode = alarmCode
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.outcome = outcome
    }

    /// The report for `job`'s attempt `attempt` that came back with `result`.
    ///
    /// 2xx delivers. A 4xx says the request itself is wrong (a bad URL path, a token refused), which
    /// sending it again cannot mend, so it gives up at once — except 408 (timeout) and 429 (slow
    /// down), which are the receiver asking for a retry. Anything else (5xx, no answer) is retried
    /// until `maxAttempts`. Alertmanager's own notifier draws the same line.
    public static func judge(_ result: AttemptResult, job: WebhookJob, attempt: Int, schedule: RetrySchedule) -> WebhookReport {
        let failure: WebhookFailure
        var permanent = false
        switch result {
        case .status(let code) where (200..<300).contains(code):
            return report(job, attempt, .delivered(status: code))
        case .status(let code):
            failure = .status(code)
            permanent = (400..<500).contains(code) && code != 408 && code != 429
        case .failed(let why):
            failure = .transport(why)
        }
        if permanent || attempt >= job.target.maxAttempts {
            return report(job, attempt, .gaveUp(failure, permanent: permanent))
        }
        return report(job, attempt, .failed(failure, retryInMillis: schedule.delay(afterAttempt: attempt)))
    }

    static func report(_ job: WebhookJob, _ attempt: Int, _ outcome: Outcome) -> WebhookReport {
        WebhookReport(webhook: job.target.name, callID: job.callID, alarmID: job.alarmID, alarmCode: job.alarmCode, attempt: attempt, maxAttempts: job.target.maxAttempts, outcome: outcome)
    }

    /// The audit row's detail: "duty-manager: delivered (HTTP 200, attempt 2 of 5)".
    public var detail: String { "\(webhook): \(what)" }

    /// What happened, without the webhook's name: "gave up after 5 attempts: connection refused".
    public var what: String {
        switch outcome {
        case .delivered(let status):
            "delivered (HTTP \(status), attempt \(attempt) of \(maxAttempts))"
        case .failed(let failure, let wait):
            "attempt \(attempt) of \(maxAttempts) failed: \(failure); retrying in \(Self.seconds(wait))"
        case .gaveUp(let failure, let permanent):
            permanent
                ? "gave up: \(failure) is not retried (attempt \(attempt) of \(maxAttempts))"
                : "gave up after \(attempt) attempts: \(failure)"
        case .refused(let why):
            "not sent: \(why)"
        case .kept(let why):
            "kept to send when Vigil starts again: \(why)"
        }
    }

    /// True when nothing more will be tried for this job and it never reached the receiver.
    public var isFinalFailure: Bool {
        switch outcome {
        case .gaveUp, .refused: true
        case .delivered, .failed, .kept: false
        }
    }

    public var isDelivered: Bool {
        if case .delivered = outcome { true } else { false }
    }

    /// True when the call is done with, delivered or not: nothing will ever try it again.
    public var isSettled: Bool {
        switch outcome {
        case .delivered, .gaveUp, .refused: true
        case .failed, .kept: false
        }
    }

    static func seconds(_ ms: Int64) -> String {
        ms % 1000 == 0 ? "\(ms / 1000) s" : "\(Double(ms) / 1000) s"
    }
}
