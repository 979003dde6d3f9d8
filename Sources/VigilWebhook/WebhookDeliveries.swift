import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Synchronization

/// Delivers webhook calls off the ingest thread (docs/design.md, "Webhooks"). The ingest thread
/// `submit`s each call after its batch is committed — never waiting: a full queue refuses at once —
/// and `takeReports` each turn for the engine to audit. `run` (a child task of the ingest service)
/// POSTs them: at most `perTarget` at a time per webhook, each attempt bounded by the webhook's
/// timeout, failures retried on the `RetrySchedule` up to the webhook's `maxAttempts`.
///
/// The queue and the inbox are one small piece of state behind one `Mutex`, touched for a few
/// instructions at a time from both sides; nothing waits while holding it.
public final class WebhookDeliveries: Sendable {
    struct State {
        var queue: DeliveryQueue
        var inbox: [WebhookReport] = []
        var closed = false
    }

    private let state: Mutex<State>
    /// Rung by `submit`, by each finished job and by `close`: `run` looks for work to start.
    private let doorbell: AsyncStream<Void>
    private let ring: AsyncStream<Void>.Continuation
    private let session: URLSession
    private let schedule: RetrySchedule
    private let logger: Logger

    /// - Parameters:
    ///   - capacity: jobs held at most (waiting and in flight); 1,000 is hours of repeats for a
    ///     centre's busiest night, and a few hundred kilobytes.
    ///   - perTarget: concurrent POSTs to one webhook.
    public init(capacity: Int = 1_000, perTarget: Int = 4, schedule: RetrySchedule = .standard, logger: Logger) {
        state = Mutex(State(queue: DeliveryQueue(capacity: capacity, perTarget: perTarget)))
        (doorbell, ring) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = perTarget
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: configuration)
        self.schedule = schedule
        self.logger = logger
    }

    /// Hands a call over; `callID` comes back in each of its reports. False when it is refused (the
    /// queue holds `capacity` jobs, or the daemon is stopping); the caller reports that itself, as it
    /// has the alarm at hand.
    public func submit(_ target: WebhookTarget, callID: Int64, alarmID: Int64, alarmCode: String, body: [UInt8]) -> Bool {
        let taken = state.withLock { s -> Bool in
            guard !s.closed else { return false }
            return s.queue.enqueue(target: target, callID: callID, alarmID: alarmID, alarmCode: alarmCode, body: body) != nil
        }
        if taken { ring.yield() }
        return taken
    }

    /// Every report since the last call, oldest first.
    public func takeReports() -> [WebhookReport] {
        state.withLock { s in
            defer { s.inbox.removeAll() }
            return s.inbox
        }
    }

    /// Jobs held (waiting and in flight), for the queue-depth gauge.
    public var depth: Int { state.withLock { $0.queue.depth } }

    /// True when no job is waiting or in flight.
    public var isIdle: Bool { state.withLock { $0.queue.isEmpty } }

    /// The daemon is stopping: nothing more is taken, jobs not yet started are reported kept for the
    /// next start, and `run` returns once those in flight are done (or when it is cancelled).
    public func close() {
        state.withLock { s in
            s.closed = true
            for job in s.queue.dropWaiting() {
                s.inbox.append(WebhookReport.report(job, 0, .kept("the daemon stopped before it was sent")))
            }
        }
        ring.yield()
    }

    /// Starts jobs as slots free up, until closed and idle, or cancelled (which cancels the POSTs and
    /// backoff waits in flight). Runs on the delivery thread (`DeliveryExecutor`), as do the jobs.
    public func run() async {
        await withTaskExecutorPreference(DeliveryExecutor.shared) {
            await withDiscardingTaskGroup { group in
                for await _ in doorbell {
                    while let job = state.withLock({ $0.queue.start() }) {
                        group.addTask { await self.deliver(job) }
                    }
                    if state.withLock({ $0.closed && $0.queue.isEmpty }) { break }
                }
            }
        }
    }

    /// Every attempt of one job, each reported as it ends.
    private func deliver(_ job: WebhookJob) async {
        defer {
            state.withLock { $0.queue.finished(job) }
            ring.yield()
        }
        for attempt in 1...max(1, job.target.maxAttempts) {
            let result = await post(job)
            var report = WebhookReport.judge(result, job: job, attempt: attempt, schedule: schedule)
            if Task.isCancelled, !report.isDelivered {
                // Cut short by the stop, not by the receiver: the call is sent again on the next start.
                report.outcome = .kept("the daemon stopped during attempt \(attempt)")
            }
            state.withLock { $0.inbox.append(report) }
            switch report.outcome {
            case .failed(let failure, let wait):
                logger.warning("webhook attempt failed; retrying", metadata: ["webhook": "\(job.target.name)", "alarm.id": "\(job.alarmCode)",
                                                                             "attempt": "\(attempt)", "error": "\(failure)"])
                do { try await Task.sleep(for: .milliseconds(wait)) } catch {
                    state.withLock { $0.inbox.append(WebhookReport.report(job, attempt, .kept("the daemon stopped before attempt \(attempt + 1)"))) }
                    return
                }
            case .delivered, .gaveUp, .refused, .kept:
                return
            }
        }
    }

    /// One POST, bounded by the webhook's timeout from the first byte to the last.
    ///
    /// Built on URLSession's completion handler, not its `async` method: on Linux that method's
    /// cancellation handler cancels the data task synchronously on the session's queue while holding
    /// the Swift task's status lock, and a response completing on that queue at the same moment needs
    /// the same lock to resume — a deadlock that hung the daemon on stop with a POST in flight. Here a
    /// cancellation or the timeout only asks for the cancel, on a queue of its own, and never waits.
    private func post(_ job: WebhookJob) async -> AttemptResult {
        // URLSession's own timeout is the backstop, a second behind the bound below.
        var request = URLRequest(url: job.target.url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: job.target.timeoutSeconds + 1)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("Vigil", forHTTPHeaderField: "User-Agent")
        request.httpBody = Data(job.body)
        let attempt = Attempt()
        let timeout = job.target.timeoutSeconds
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (answer: CheckedContinuation<AttemptResult, Never>) in
                let task = session.dataTask(with: request) { _, response, error in
                    answer.resume(returning: attempt.result(response: response, error: error, timeoutSeconds: timeout))
                }
                attempt.start(task, timeoutSeconds: timeout)
            }
        } onCancel: {
            attempt.stop(.cancelled)
        }
    }

    /// One attempt's data task and why it was stopped, if it was. URLRequest's timeout is an idle
    /// timeout (libcurl's, on Linux): a receiver that trickles a byte a second would never trip it, so
    /// the attempt has its own deadline.
    private final class Attempt: Sendable {
        enum Stop { case cancelled, timedOut }
        private struct State {
            var task: URLSessionDataTask?
            var stopped: Stop?
        }
        private let state = Mutex(State())
        /// Cancels are asked for here, so no caller waits on the session's queue.
        private static let canceller = DispatchQueue(label: "vigil-webhooks.cancel")

        func start(_ task: URLSessionDataTask, timeoutSeconds: Double) {
            let stoppedAlready = state.withLock { s -> Bool in
                s.task = task
                return s.stopped != nil
            }
            task.resume()
            if stoppedAlready { Self.canceller.async { task.cancel() } }
            Self.canceller.asyncAfter(deadline: .now() + timeoutSeconds) { [self] in stop(.timedOut) }
        }

        func stop(_ why: Stop) {
            let task = state.withLock { s -> URLSessionDataTask? in
                guard s.stopped == nil else { return nil }
                s.stopped = why
                return s.task
            }
            if let task { Self.canceller.async { task.cancel() } }
        }

        func result(response: URLResponse?, error: (any Error)?, timeoutSeconds: Double) -> AttemptResult {
            let stopped = state.withLock { s -> Stop? in
                defer { if s.stopped == nil { s.stopped = .cancelled } }  // a late timer finds it done
                return s.stopped
            }
            if let http = response as? HTTPURLResponse, error == nil { return .status(http.statusCode) }
            switch stopped {
            case .timedOut: return .failed("timed out after \(WebhookReport.seconds(Int64(timeoutSeconds * 1000)))")
            case .cancelled: return .failed("the daemon stopped during the attempt")
            case nil: break
            }
            if let error = error as? URLError { return .failed(WebhookDeliveries.describe(error)) }
            if let error { return .failed("\(error)") }
            return .failed("the answer was not HTTP")
        }
    }

    static func describe(_ error: URLError) -> String {
        switch error.code {
        case .timedOut: "timed out"
        case .cannotConnectToHost: "connection refused"
        case .cannotFindHost, .dnsLookupFailed: "host not found"
        case .networkConnectionLost: "connection lost"
        case .cancelled: "the daemon stopped during the attempt"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate, .serverCertificateNotYetValid:
            "TLS failed: \(error.localizedDescription)"
        default: "\(error.localizedDescription) (URLError \(error.code.rawValue))"
        }
    }
}
