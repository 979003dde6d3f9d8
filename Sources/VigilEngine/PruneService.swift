import Logging
import ServiceLifecycle
import VigilCore
import VigilStore

/// The daemon's daily retention run (`retention:` days in the config): raw events and dead letters
/// older than that are pruned from a connection of its own, 2,000 rows per transaction with a pause
/// between slices, so the ingest loop's commits get the write lock between them (docs/design.md,
/// "Retention").
public struct PruneService: Service {
    let path: String
    let retentionDays: Int
    let now: @Sendable () -> EpochMillis
    let logger: Logger
    /// A day between runs; the first runs a minute after start, once the backlog has drained.
    static let firstRun: Duration = .seconds(60)
    static let interval: Duration = .seconds(86_400)
    /// The pause between slices.
    static let pause: Duration = .milliseconds(20)

    public init(path: String, retentionDays: Int, now: @escaping @Sendable () -> EpochMillis, logger: Logger) {
        self.path = path
        self.retentionDays = retentionDays
        self.now = now
        self.logger = logger
    }

    public func run() async throws {
        var wait = Self.firstRun
        while true {
            try? await Task.sleep(for: wait)
            wait = Self.interval
            guard !Task.isShuttingDownGracefully && !Task.isCancelled else { return }
            do { try await prune() } catch {
                logger.warning("retention prune failed; will retry tomorrow", metadata: ["error": "\(error)"])
            }
        }
    }

    private func prune() async throws {
        let retention = Retention(try Database(path: path))
        let cutoff = now() - EpochMillis(retentionDays) * 86_400_000
        var progress = Retention.Progress()
        while !progress.finished && !Task.isShuttingDownGracefully {
            try retention.pruneSlice(before: cutoff, &progress)
            try? await Task.sleep(for: Self.pause)
        }
        logger.info("retention prune", metadata: ["retention.days": "\(retentionDays)", "events.deleted": "\(progress.events)", "dead_letters.deleted": "\(progress.deadLetters)"])
    }
}
