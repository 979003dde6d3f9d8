import DequeModule

/// The delivery component's bookkeeping, as a value with no I/O: which jobs wait, which run, and
/// the two limits. At most `capacity` jobs are held (waiting and running together), so a receiver
/// that is down for an hour costs a bounded amount of memory and the 1,001st call is refused — and
/// reported — at once rather than queued behind calls that will never go. At most `perTarget` jobs
/// run against one webhook at a time, so one slow receiver cannot take every connection from the
/// others, nor be hammered while it recovers.
struct DeliveryQueue: Sendable {
    let capacity: Int
    let perTarget: Int
    private var waiting: Deque<WebhookJob> = []
    private var running: [String: Int] = [:]
    private var nextID: UInt64 = 1

    init(capacity: Int, perTarget: Int) {
        precondition(capacity > 0 && perTarget > 0)
        self.capacity = capacity
        self.perTarget = perTarget
    }

    /// Jobs held: waiting and running.
    var depth: Int { waiting.count + running.values.reduce(0, +) }
    var runningCount: Int { running.values.reduce(0, +) }
    var isEmpty: Bool { depth == 0 }

    /// Takes a job, or refuses it (nil) when `capacity` are already held.
    mutating func enqueue(target: WebhookTarget, callID: Int64, alarmID: Int64, alarmCode: String, body: [UInt8]) -> WebhookJob? {
        guard depth < capacity else { return nil }
        let job = WebhookJob(id: nextID, target: target, callID: callID, alarmID: alarmID, alarmCode: alarmCode, body: body)
        nextID += 1
        waiting.append(job)
        return job
    }

    /// The oldest waiting job whose webhook has a free slot, now counted as running; nil when none.
    mutating func start() -> WebhookJob? {
        guard let i = waiting.firstIndex(where: { running[$0.target.name, default: 0] < perTarget }) else { return nil }
        let job = waiting.remove(at: i)
        running[job.target.name, default: 0] += 1
        return job
    }

    /// A running job is done (delivered or given up): its slot is free.
    mutating func finished(_ job: WebhookJob) {
        guard let n = running[job.target.name], n > 0 else { preconditionFailure("job \(job.id) finished but was not running") }
        running[job.target.name] = n == 1 ? nil : n - 1
    }

    /// Every waiting job, removed (the daemon is stopping: they will not be started).
    mutating func dropWaiting() -> [WebhookJob] {
        defer { waiting.removeAll() }
        return Array(waiting)
    }
}
