import Foundation
import Logging
import ServiceLifecycle
import VigilStore

/// Runs the blocking ingest loop on a thread of its own (it must never sit on the cooperative
/// pool) and stops it gracefully on SIGTERM/SIGINT.
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
        try await withGracefulShutdownHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let thread = Thread {
                    do {
                        let loop = try IngestLoop(settings: settings, clock: clock, logger: logger)
                        try loop.run(until: stop)
                        continuation.resume()
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
                thread.name = "vigil-ingest"
                thread.start()
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
