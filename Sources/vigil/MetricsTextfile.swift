import Foundation
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import VigilEngine

/// Writes the Prometheus registry every `interval` to a file for node_exporter's textfile collector:
/// no listener, no HTTP code, nothing to firewall. Each write goes to a temporary file in the same
/// directory and is renamed over the old one, so the collector never reads half a file.
struct MetricsTextfileService: Service {
    let registry: PrometheusCollectorRegistry
    let path: String
    let interval: Duration
    let logger: Logger

    func run() async throws {
        let written = Metrics.Gauge(label: VigilMetrics.written)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            write(written)
            try? await Task.sleep(for: interval)
        }
        // The last figures of a clean stop; the written time stops too, which is what an alert sees.
        write(written)
    }

    private func write(_ written: Metrics.Gauge) {
        written.record(Date().timeIntervalSince1970)
        do { try Self.writeAtomically(registry.emitToBuffer(), to: path) } catch {
            logger.warning("could not write the metrics file; will retry", metadata: ["metrics.file": "\(path)", "error": "\(error)"])
        }
    }

    /// Temp file + fsync-free rename (a lost metrics file is rewritten in `interval`; it holds no data).
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        try Data(bytes).write(to: temporary)
        // node_exporter runs as its own user: the file must be readable to it (it holds no personal data).
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: temporary.path)
        if rename(temporary.path, path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw UserFacingError("cannot rename the metrics file into \(path): \(reason)")
        }
    }
}
