import Foundation
import Logging
import ServiceLifecycle
import VigilStore
import VigilWebhook

/// Runs the blocking ingest loop on a thread of its own (it must never sit on the cooperative
/// pool) and stops it gracefully on SIGTERM/SIGINT. Webhook delivery runs beside it as a child task
/// and ends with it: by then the loop has given the calls in flight their grace and audited them.
public struct IngestService: Service {
    let settings: IngestSettings
    let clock: any WallClock
    let logger: Logger

    public init(settings: IngestSettings, clock: any WallClock, logger: Logger) {
        self.settings = settings
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        let stop = StopFlag()
        let settings = settings, clock = clock, logger = logger
        let deliveries = WebhookDeliveries(capacity: settings.webhookQueueCapacity, perTarget: settings.webhookConcurrency, logger: logger)
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await deliveries.run() }
                // Whether the loop returns or throws, delivery stops with it (a throw cancels it too).
                defer { group.cancelAll() }
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    let thread = Thread {
                        do {
                            let loop = try IngestLoop(settings: settings, clock: clock, logger: logger, deliveries: deliveries)
                            try loop.run(until: stop)
                            continuation.resume()
                        } catch {
                            continuation.resume(throwing: error)
                        }
                    }
                    thread.name = "vigil-ingest"
                    thread.start()
                }
            }
        } onGracefulShutdown: {
            stop.stop()
        }
    }
}

/// Checkpoints the WAL from its own connection every `interval`, and truncates it at shutdown.
public struct CheckpointService: Service {
    let path: String
    let logger: Logger
    let interval: Duration

    public init(path: String, interval: Duration = .seconds(1), logger: Logger) {
        self.path = path
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        let checkpointer = try Checkpointer(path: path)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await Task.sleep(for: interval)
            do { try checkpointer.checkpoint() } catch {
                logger.warning("WAL checkpoint failed; will retry", metadata: ["error": "\(error)"])
            }
        }
        try? checkpointer.truncate()
    }
}
