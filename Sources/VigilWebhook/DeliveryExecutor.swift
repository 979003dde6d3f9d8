import DequeModule
import Foundation
import Synchronization

/// The thread webhook delivery runs on: a task executor of its own, so that every delivery task (the
/// POSTs, the backoff waits, the scheduling loop) runs here rather than on the cooperative pool.
/// The pool is a thread per core — two on the centre's machine — and anything that blocks it (a long
/// prune, a checkpoint, a test suite's synchronous waits) would otherwise hold back a page. The
/// work here is small (URLSession does the I/O on its own threads), so one thread serves every
/// webhook; it lives as long as the process.
final class DeliveryExecutor: TaskExecutor {
    static let shared = DeliveryExecutor()

    private let jobs = Mutex<Deque<UnownedJob>>([])
    private let ready = DispatchSemaphore(value: 0)

    private init() {
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = "vigil-webhooks"
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        jobs.withLock { $0.append(job) }
        ready.signal()
    }

    private func loop() -> Never {
        while true {
            ready.wait()
            guard let job = jobs.withLock({ $0.popFirst() }) else { continue }
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
