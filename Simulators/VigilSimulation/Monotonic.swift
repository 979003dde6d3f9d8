import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Monotonic nanoseconds: simulators are devices, and a device reads its own clock.
public func monotonicNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// Set from a signal handler or another thread to end a simulator run.
public final class Stopper: Sendable {
    private let flag = Atomic<Bool>(false)
    public init() {}
    public func stop() { flag.store(true, ordering: .releasing) }
    public var isStopped: Bool { flag.load(ordering: .acquiring) }
}
