import ArgumentParser
import Foundation
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import VigilCommandLine
import VigilEngine
import VigilCore
import VigilStore
import VigilWire

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the daemon: ingest device events, store them, acknowledge them, raise alarms.",
        discussion: """
            Subscribes to {prefix}/v1/devices/+/events at QoS 1 with a persistent session, so events sent \
            while the daemon is down wait at the broker. Each batch is committed to SQLite (WAL, \
            synchronous=FULL) before any MQTT PUBACK or application ack leaves. SIGTERM or Ctrl-C stops it \
            cleanly. Flags override the config file.
            """
    )

    @Option(help: ArgumentHelp("The Vigil SQLite database file (created if missing).", valueName: "PATH"))
    var db: String?

    @Option(help: ArgumentHelp("A YAML config file (see deploy/vigil.example.yaml).", valueName: "FILE"))
    var config: String?

    @OptionGroup var broker: BrokerOptions

    @Option(help: "The fixed MQTT client id that names the daemon's persistent session.")
    var clientID: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    @Option(help: ArgumentHelp("Write Prometheus metrics to this file for node_exporter's textfile collector (e.g. /var/lib/prometheus/node-exporter/vigil.prom).", valueName: "FILE"))
    var metricsFile: String?

    @Option(help: ArgumentHelp("Seconds between writes of the metrics file.", valueName: "SECONDS"))
    var metricsInterval: Double = 15

    func validate() throws {
        guard metricsInterval >= 0.1, metricsInterval <= 3_600 else {
            throw ValidationError("--metrics-interval must be between 0.1 and 3600 seconds; give, say, 15.")
        }
        if let metricsFile {
            let dir = (metricsFile as NSString).deletingLastPathComponent
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir.isEmpty ? "." : dir, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("--metrics-file \(metricsFile): the directory \(dir) does not exist; create it or point at node_exporter's textfile directory.")
            }
        }
    }

    func run() async throws {
        let file: VigilConfig
        do { file = try config.map { try VigilConfig.load(path: $0) } ?? VigilConfig() } catch {
            throw UserFacingError("\(error)")
        }
        guard let dbPath = db ?? file.db else {
            throw UserFacingError("Give the database with --db PATH (or `db:` in the config file).")
        }
        let address = try broker.address(configured: file.broker, source: "\(config ?? "config"): broker")
        let topicPrefix = try broker.topicPrefix(configured: file.prefix, source: "\(config ?? "config"): prefix")
        let password = try file.passwordFile.map(PasswordFile.read)
        let engine: EngineSettings
        let timeZone: TimeZone
        do {
            timeZone = try file.timeZone()
            engine = try file.engineSettings(topics: Topics(prefix: topicPrefix))
        } catch { throw UserFacingError("\(error)") }

        let level = logLevel
        // Under systemd stderr is the journal: priority prefixes, so errors are filed as errors.
        let journal = JournalLogHandler.stderrIsJournal()
        LoggingSystem.bootstrap { label in
            if journal {
                var h = JournalLogHandler(label: label)
                h.logLevel = level
                return h
            }
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
        let logger = Logger(label: "vigil.serve")
        // Only here, at the root, is the metrics backend chosen; the engine records through swift-metrics.
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Commit latency: fsync on an SSD is ~1–10 ms; the top buckets catch a stalling disk.
        factory.durationHistogramBuckets[VigilMetrics.commitDuration] = [
            .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
        ]
        factory.valueHistogramBuckets[VigilMetrics.batchSize] = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_000]
        MetricsSystem.bootstrap(factory)
        var settings = IngestSettings(
            databasePath: dbPath, host: address.host, port: address.port, engine: engine,
            clientID: clientID ?? file.clientID ?? "vigil-serve", username: file.username, password: password)
        // Checked when the file was loaded.
        try file.applyIngestSettings(to: &settings)

        // Fail fast on a database we cannot open, before touching the broker. A changed configuration
        // goes into the audit trail (ids and settings only; never the password).
        do {
            // The daemon upgrades the schema on start, with a backup first (docs/design.md, "Upgrades").
            let upgrade = try Upgrade.run(path: dbPath, now: nowMillis())
            if let backup = upgrade.backup {
                logger.notice("upgraded the database schema after a backup", metadata: ["db": "\(dbPath)", "schema.version": "\(SchemaVersion.binary)", "backup": "\(backup)"])
            }
            let db = try VigilStore.Database.openVigil(path: dbPath, now: nowMillis())
            try ConfigAudit.record(Self.summary(settings, configFile: config, timeZone: timeZone), in: db, now: nowMillis())
        } catch {
            throw UserFacingError("Cannot open the database \(dbPath): \(error.message)")
        }
        // A database made before Vigil created it 0600 (or copied in carelessly) is left as it is,
        // but said loudly: it holds health data.
        if PrivateFile.exposure(dbPath) != 0 {
            logger.warning("the database file can be read by other users; run chmod 0600 on it", metadata: ["db": "\(dbPath)", "mode.group_other": "\(String(format: "%03o", PrivateFile.exposure(dbPath)))"])
        }
        logger.info("starting", metadata: ["db": "\(dbPath)", "broker": "\(address)", "prefix": "\(topicPrefix)", "timezone": "\(timeZone.identifier)"])
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: CheckpointService(path: dbPath, interval: .milliseconds(Int((file.checkpointSeconds ?? 1) * 1000)), logger: logger)),
            .init(service: IngestService(settings: settings, clock: SystemWallClock(timeZone: timeZone), logger: logger), successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup),
        ]
        if let metricsFile {
            services.append(.init(service: MetricsTextfileService(registry: registry, path: metricsFile, interval: .milliseconds(Int(metricsInterval * 1000)), logger: logger)))
        }
        if let days = file.retention {
            services.append(.init(service: PruneService(path: dbPath, retentionDays: days, now: { nowMillis() }, logger: logger)))
        }
        let group = ServiceGroup(configuration: .init(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }
}

extension Serve {
    /// The effective settings as one line for the audit trail.
    static func summary(_ settings: IngestSettings, configFile: String?, timeZone: TimeZone) -> String {
        let s = settings.engine
        let chains = s.escalation.chains.keys.sorted { $0.rawValue < $1.rawValue }.map { p in
            "P\(p.rawValue) " + (s.escalation.chains[p] ?? []).map { step in
                "\(step.when.rawValue) \(step.afterSeconds) s→\(step.level)\(step.breach ? " breach" : "") \(step.actionList)"
                    + (step.repeatEverySeconds.map { " every \($0) s ×\(step.maxRepeats)" } ?? "")
            }.joined(separator: ", ")
        }
        // Webhooks by name and host only: a URL can carry a token in its path or query.
        let hooks = s.webhooks.keys.sorted().map { "\($0) → \(s.webhooks[$0]?.url.host ?? "?")" }
        return [
            "config \(configFile ?? "none")", "broker \(settings.host):\(settings.port) as \(settings.username ?? "anonymous")", "prefix \(s.topics.prefix)",
            "client id \(settings.clientID)", "timezone \(timeZone.identifier)", "night \(MinuteOfDay.text(s.policy.nightStartMinute))-\(MinuteOfDay.text(s.policy.nightEndMinute))",
            "cold \(s.policy.coldCelsius) °C", "hot \(s.policy.hotCelsius) °C", "grace \(s.graceSeconds) s",
            "escalation " + chains.joined(separator: "; "), "webhooks " + (hooks.isEmpty ? "none" : hooks.joined(separator: ", ")),
            "claim lease \(s.claimLeaseSeconds) s", "rate limit " + rateLimitSummary(s.rateLimits),
        ].joined(separator: "; ")
    }
}

extension Serve {
    /// The budgets that differ from the defaults, as `pendant 20+6/min`, and the quiet period.
    static func rateLimitSummary(_ r: RateLimits) -> String {
        let changed = DeviceKind.allCases.filter { r.budget($0) != RateLimits.default.budget($0) }
            .map { "\($0.rawValue) \(r.budget($0).burst)+\(r.budget($0).perMinute)/min" }
        return (changed.isEmpty ? "defaults" : changed.joined(separator: ", ")) + ", quiet \(r.quietMillis / 1000) s"
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
