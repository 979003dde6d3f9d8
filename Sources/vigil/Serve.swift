import ArgumentParser
import Foundation
import Logging
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
        let policy: VigilCore.TriagePolicy
        let escalation: VigilCore.EscalationPolicy
        let grace: Int
        let timeZone: TimeZone
        do {
            timeZone = try file.timeZone()
            policy = try file.triagePolicy()
            escalation = try file.escalationPolicy()
            grace = try file.graceSeconds()
        } catch { throw UserFacingError("\(error)") }

        let level = logLevel
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
        let logger = Logger(label: "vigil.serve")
        let settings = IngestSettings(
            databasePath: dbPath, host: address.host, port: address.port, topics: Topics(prefix: topicPrefix),
            zigbee: ZigbeeTopics(base: file.zigbeeBase ?? "zigbee2mqtt"),
            clientID: clientID ?? file.clientID ?? "vigil-serve", username: file.username, password: password, policy: policy,
            escalation: escalation, graceSeconds: grace)

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
        ]
        if let days = file.retention {
            services.append(.init(service: PruneService(path: dbPath, retentionDays: days, now: { nowMillis() }, logger: logger)))
        }
        let group = ServiceGroup(configuration: .init(
            services: services + [
                .init(service: IngestService(settings: settings, clock: SystemWallClock(timeZone: timeZone), logger: logger), successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }
}

extension Serve {
    /// The effective settings as one line for the audit trail.
    static func summary(_ s: IngestSettings, configFile: String?, timeZone: TimeZone) -> String {
        let chains = s.escalation.chains.keys.sorted { $0.rawValue < $1.rawValue }.map { p in
            "P\(p.rawValue) " + (s.escalation.chains[p] ?? []).map { "\($0.when.rawValue) \($0.afterSeconds) s→\($0.level)\($0.breach ? " breach" : "")" }.joined(separator: ", ")
        }
        return [
            "config \(configFile ?? "none")", "broker \(s.host):\(s.port) as \(s.username ?? "anonymous")", "prefix \(s.topics.prefix)",
            "client id \(s.clientID)", "timezone \(timeZone.identifier)", "night \(MinuteOfDay.text(s.policy.nightStartMinute))-\(MinuteOfDay.text(s.policy.nightEndMinute))",
            "cold \(s.policy.coldCelsius) °C", "hot \(s.policy.hotCelsius) °C", "grace \(s.graceSeconds) s",
            "escalation " + chains.joined(separator: "; "),
        ].joined(separator: "; ")
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
