import ArgumentParser
import Foundation
import VigilEngine
import VigilSimulation
import VigilStore
import VigilTesting
import VigilWire

#if canImport(Glibc)
import Glibc
#endif

/// `make bench`: the ack loop with durable storage (`vigil serve`) against its ceiling (a client that
/// acks without storing), through one private Mosquitto on this machine, in one run. Every round's
/// load comes from the same C client (`vigil-load load`), and the ceiling is `vigil-load ack-only`,
/// so that neither the load nor the ceiling is held back by its own client.
@main
struct VigilBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil-bench",
        abstract: "Measure publish→ack throughput and latency of vigil serve against the ack-loop ceiling.")

    @Option(help: "Simulated devices.") var devices: Int = 50
    @Option(help: "The steady rate, events per second.") var steadyRate: Double = 1_000
    @Option(help: "How long the steady phase lasts, seconds.") var steadySeconds: Double = 10
    @Option(help: "Events in the as-fast-as-possible phase.") var maxEvents: Int = 60_000
    @Option(help: "Events in flight at once in the as-fast-as-possible phase.") var window: Int = 1_000

    @Option(help: "Rounds; ceiling and durable alternate within each, and medians are reported.") var rounds: Int = 3
    @Option(help: "The daemon's WAL checkpoint interval (vigil serve's checkpoint_seconds).") var checkpointSeconds: Double = 1
    @Option(help: "How long the slow webhook receiver takes to answer each POST, seconds (0: no slow-receiver rounds).") var slowWebhookSeconds: Double = 5
    @Option(help: ArgumentHelp("A `vigil` executable from an earlier build, measured in the same rounds on its own database, for a before/after ratio.", valueName: "PATH"))
    var baseline: String?
    @Flag(inversion: .prefixedNo, help: "Also measure the Swift ack-only client (vigil-sim ack-only) as a ceiling, beside the C one.")
    var swiftCeiling = true
    @Option(help: "Events already stored in a second database that every round also runs vigil serve on (0: no such rounds).")
    var historyEvents: Int = 0
    @Option(help: "Registered devices (and people) in that database; the first of them are the simulated ones.")
    var historyDevices: Int = 45_000

    struct Phase {
        var steady: FloodReport
        var max: FloodReport
        /// What the daemon's metrics file says each phase cost it, per event (durable rounds only).
        var steadyCost: Cost?
        var maxCost: Cost?
    }

    /// Per event acknowledged: WAL pages the ingest connection appended, and messages it published.
    struct Cost {
        var walPages: Double
        var published: Double
    }

    /// The daemon's counters, read from its metrics file.
    struct Counters {
        var events: Double
        var walPages: Double
        var published: Double

        init(file: String) throws {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            var values: [String: Double] = [:]
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                let parts = line.split(separator: " ")
                if parts.count == 2, let v = Double(parts[1]) { values[String(parts[0])] = v }
            }
            events = values[VigilMetrics.eventsAccepted, default: 0] + values[VigilMetrics.eventsDuplicate, default: 0]
            walPages = values[VigilMetrics.walPages, default: 0]
            published = values[VigilMetrics.published, default: 0]
        }

        func cost(since before: Counters) -> Cost? {
            let n = events - before.events
            guard n > 0 else { return nil }
            return Cost(walPages: (walPages - before.walPages) / n, published: (published - before.published) / n)
        }
    }

    func run() throws {
        let broker = try Broker()
        let dir = try TemporaryDirectory(prefix: "vigil-bench")
        defer { broker.stop(); dir.remove() }
        let deviceIDs = (1...devices).map { String(format: "sim-dev-%05d", $0) }
        print("vigil-bench: Mosquitto on \(broker.address), \(devices) devices, \(ProcessInfo.processInfo.activeProcessorCount) cores, \(rounds) rounds, WAL checkpoint every \(checkpointSeconds) s")

        let dbPath = dir.file("bench.db"), baselinePath = dir.file("baseline.db"), slowPath = dir.file("slow-webhook.db")
        for path in [dbPath] + (baseline == nil ? [] : [baselinePath]) + (slowWebhookSeconds > 0 ? [slowPath] : []) {
            let registry = Registry(try Database.openVigil(path: path, now: 0))
            for (i, id) in deviceIDs.enumerated() {
                try registry.addUser(UserRecord(id: "bench-user-\(i)", name: "Bench person \(i)"), now: 0)
                try registry.addDevice(DeviceRecord(id: id, userID: "bench-user-\(i)", kind: .pendant), now: 0)
            }
        }
        var baselines: [Phase] = []
        var slows: [Phase] = []
        var larges: [Phase] = []
        let largePath = dir.file("history.db")
        if historyEvents > 0 { try fillHistory(largePath) }
        // A receiver that takes `slowWebhookSeconds` over every POST, and a chain that pages it a second
        // after every unclaimed P1 press and every 10 s after: with the flood's 50 presses open, five
        // calls a second against the 0.8 a second four slots of 5 s can take, so POSTs hang in every
        // slot and calls wait behind them for the whole measurement.
        let slowReceiver = slowWebhookSeconds > 0 ? try WebhookReceiver(delaySeconds: slowWebhookSeconds) : nil
        defer { slowReceiver?.stop() }

        var ceilings: [Phase] = []
        var swiftCeilings: [Phase] = []
        var durables: [Phase] = []
        var syncs: [FsyncFigures] = []
        func endSession(_ id: String) throws { try NativeLoad.discardSession(id, host: "127.0.0.1", port: broker.port) }
        for round in 1...rounds {
            // Ceiling: receive and ack, store nothing.
            // Every processor of every round has a session of its own, ended when it stops: a
            // persistent session left behind would have the broker queue every later event for it too,
            // and hand the next client with that id another round's backlog.
            let cID = "bench-ceiling-c\(round)"
            let ackOnly = try ChildProcess(executable: loadClient, arguments: NativeLoad.ackOnlyArguments(broker: broker.address, topics: Topics(), clientID: cID),
                                           logPath: dir.file("ack-only.log"))
            usleep(300_000)
            ceilings.append(try measure("round \(round): ceiling (vigil-load ack-only, C, no storage)", broker: broker, deviceIDs: deviceIDs, tag: "c\(round)"))
            ackOnly.stop()
            try endSession(cID)
            if swiftCeiling {
                let wID = "bench-ceiling-w\(round)"
                let swift = try ChildProcess(executable: builtExecutable("vigil-sim"), arguments: ["ack-only", "--broker", broker.address, "--client-id", wID],
                                             logPath: dir.file("swift-ack-only.log"))
                usleep(300_000)
                swiftCeilings.append(try measure("round \(round): ceiling (vigil-sim ack-only, Swift, no storage)", broker: broker, deviceIDs: deviceIDs, tag: "w\(round)"))
                swift.stop()
                try endSession(wID)
            }
            // One commit's flush on the database's filesystem: the floor "acked means on disk" adds.
            let sync = try FsyncFigures.measure(in: dir.file("fsync-probe"))
            syncs.append(sync)
            print(String(format: "round %d: fdatasync after 8 KB, 2,000 times: overwritten in place p50 %.3f ms, p99 %.3f ms; appended p50 %.3f ms, p99 %.3f ms",
                         round, sync.p50Ms, sync.p99Ms, sync.appendP50Ms, sync.appendP99Ms))

            func durable() throws {
                // Durable: vigil serve, SQLite WAL, synchronous=FULL, commit before any ack.
                // The flood comes from a few simulated devices, far past a real unit's budget: lifted here.
                try "checkpoint_seconds: \(checkpointSeconds)\nrate_limit:\n  all: { burst: 10000000, per_minute: 60000000 }\n".write(toFile: dir.file("serve.yaml"), atomically: true, encoding: .utf8)
                let metricsFile = dir.file("metrics-\(round).prom")
                let id = "bench-durable-\(round)"
                let daemon = try VigilDaemon(databasePath: dbPath, broker: broker.address, logPath: dir.file("serve.log"),
                                             extraArguments: ["--config", dir.file("serve.yaml"), "--client-id", id, "--metrics-file", metricsFile, "--metrics-interval", "0.2"])
                durables.append(try measure("round \(round): durable (vigil serve → SQLite)", broker: broker, deviceIDs: deviceIDs, tag: "d\(round)", metricsFile: metricsFile))
                daemon.stop()
                try endSession(id)
            }

            // Durable with a slow webhook receiver being paged all the while: the acks must not wait for it.
            func paging() throws {
                guard let slowReceiver else { return }
                try """
                    checkpoint_seconds: \(checkpointSeconds)
                    rate_limit:
                      all: { burst: 10000000, per_minute: 60000000 }
                    escalation:
                      P1:
                        - { when: unclaimed, after: 1, level: 1, webhook: pager, repeat: 10, max_repeats: 1000 }
                    webhooks:
                      pager: { url: "\(slowReceiver.url("/pager").absoluteString)", timeout_seconds: \(slowWebhookSeconds * 2), max_attempts: 3 }

                    """.write(toFile: dir.file("slow.yaml"), atomically: true, encoding: .utf8)
                let id = "bench-paging-\(round)"
                let slow = try VigilDaemon(databasePath: slowPath, broker: broker.address, logPath: dir.file("slow.log"), extraArguments: ["--config", dir.file("slow.yaml"), "--client-id", id])
                slows.append(try measure("round \(round): durable, paging a receiver that takes \(slowWebhookSeconds) s per POST", broker: broker, deviceIDs: deviceIDs, tag: "s\(round)"))
                slow.stop()
                try endSession(id)
            }
            // Which goes first alternates, so neither always inherits the other's disk writeback.
            if round % 2 == 1 { try durable(); try paging() } else { try paging(); try durable() }

            // The same daemon on a database that already holds a centre's devices and a long history.
            if historyEvents > 0 {
                let id = "bench-history-\(round)", metricsFile = dir.file("history-metrics-\(round).prom")
                let daemon = try VigilDaemon(databasePath: largePath, broker: broker.address, logPath: dir.file("history.log"),
                                             extraArguments: ["--config", dir.file("serve.yaml"), "--client-id", id, "--metrics-file", metricsFile, "--metrics-interval", "0.2"])
                larges.append(try measure("round \(round): durable on \(historyDevices) devices and \(historyEvents) stored events", broker: broker, deviceIDs: deviceIDs,
                                          tag: "h\(round)", metricsFile: metricsFile))
                daemon.stop()
                try endSession(id)
            }

            // Baseline: the same, with the earlier build's daemon.
            if let baseline {
                let id = "bench-baseline-\(round)", metricsFile = dir.file("baseline-metrics-\(round).prom")
                let old = try VigilDaemon(databasePath: baselinePath, broker: broker.address, logPath: dir.file("baseline.log"),
                                          extraArguments: ["--config", dir.file("serve.yaml"), "--client-id", id, "--metrics-file", metricsFile, "--metrics-interval", "0.2"],
                                          executable: baseline)
                baselines.append(try measure("round \(round): baseline (\(baseline))", broker: broker, deviceIDs: deviceIDs, tag: "b\(round)", metricsFile: metricsFile))
                old.stop()
                try endSession(id)
            }
        }
        let stored = try Inspection(path: dbPath).eventCount()

        func median(_ xs: [Double]) -> Double { xs.isEmpty ? .nan : xs.sorted()[xs.count / 2] }
        let dMax = median(durables.map(\.max.throughput)), cMax = median(ceilings.map(\.max.throughput))
        let dP50 = median(durables.map { Double($0.steady.p50Micros) / 1000 }), cP50 = median(ceilings.map { Double($0.steady.p50Micros) / 1000 })
        let dP99 = median(durables.map { Double($0.steady.p99Micros) / 1000 }), cP99 = median(ceilings.map { Double($0.steady.p99Micros) / 1000 })
        let syncP99 = median(syncs.map(\.p99Ms))
        let throughputRatio = dMax / cMax
        let p99Ratio = dP99 / cP99
        print("")
        print("summary (median of \(rounds) rounds; the ceiling is vigil-load ack-only, the load vigil-load in every round)")
        print("                        durable      ceiling      ratio")
        print(String(format: "  max throughput        %7.0f/s    %7.0f/s    %5.1f %%  (goal ≥ 90 %%)", dMax, cMax, throughputRatio * 100))
        print(String(format: "  p50 at %4.0f/s         %7.3f ms   %7.3f ms   %5.2f×", steadyRate, dP50, cP50, dP50 / cP50))
        print(String(format: "  p99 at %4.0f/s         %7.3f ms   %7.3f ms   %5.2f×", steadyRate, dP99, cP99, p99Ratio))
        print(String(format: "  p99 goal: ceiling p99 + one fdatasync p99 (in place, as the WAL is written) = %.3f + %.3f = %.3f ms: %@",
                     cP99, syncP99, cP99 + syncP99, dP99 <= cP99 + syncP99 ? "met" : "not met"))
        print("  per round p99 durable/ceiling: " + zip(durables, ceilings).map { FloodReport.ms($0.steady.p99Micros) + " / " + FloodReport.ms($1.steady.p99Micros) }.joined(separator: ", "))
        print("  per round max throughput durable/ceiling: " + zip(durables, ceilings).map { String(format: "%.0f / %.0f", $0.max.throughput, $1.max.throughput) }.joined(separator: ", "))
        func costs(_ pick: (Phase) -> Cost?) -> (pages: Double, published: Double) {
            let c = durables.compactMap(pick)
            return (median(c.map(\.walPages)), median(c.map(\.published)))
        }
        let steadyCost = costs(\.steadyCost), maxCost = costs(\.maxCost)
        // A WAL frame is a page and its 24-byte header.
        let frame = Double(try Inspection(path: dbPath).pageSize() + 24)
        print(String(format: "  per event at %4.0f/s:   %.2f WAL pages (%.0f bytes), %.2f messages published", steadyRate, steadyCost.pages, steadyCost.pages * frame, steadyCost.published))
        print(String(format: "  per event flat out:    %.2f WAL pages (%.0f bytes), %.2f messages published", maxCost.pages, maxCost.pages * frame, maxCost.published))
        print("  events stored by vigil serve: \(stored), every one acked")
        /// Two kinds of rounds of the same run side by side: medians, and the left/right ratio.
        func compare(_ title: String, _ left: (name: String, phases: [Phase]), _ right: (name: String, phases: [Phase])) {
            func medians(_ value: (Phase) -> Double) -> (Double, Double) { (median(left.phases.map(value)), median(right.phases.map(value))) }
            let (lMax, rMax) = medians(\.max.throughput)
            let (l50, r50) = medians { Double($0.steady.p50Micros) / 1000 }
            let (l99, r99) = medians { Double($0.steady.p99Micros) / 1000 }
            let pairs = zip(left.phases, right.phases)
            print("")
            print("\(title) (median of \(rounds) rounds, same broker, interleaved)")
            print("                        " + [left.name, right.name, "\(left.name)/\(right.name)"].map { $0.padding(toLength: 13, withPad: " ", startingAt: 0) }.joined())
            print(String(format: "  max throughput        %7.0f/s    %7.0f/s    %5.1f %%", lMax, rMax, lMax / rMax * 100))
            print(String(format: "  p50 at %4.0f/s         %7.3f ms   %7.3f ms   %5.2f×", steadyRate, l50, r50, l50 / r50))
            print(String(format: "  p99 at %4.0f/s         %7.3f ms   %7.3f ms   %5.2f×", steadyRate, l99, r99, l99 / r99))
            print("  per round max throughput \(left.name)/\(right.name): " + pairs.map { String(format: "%.0f / %.0f", $0.max.throughput, $1.max.throughput) }.joined(separator: ", "))
            print("  per round p99 \(left.name)/\(right.name): " + pairs.map { FloodReport.ms($0.steady.p99Micros) + " / " + FloodReport.ms($1.steady.p99Micros) }.joined(separator: ", "))
            for (name, pick) in [(String(format: "at %.0f/s", steadyRate), \Phase.steadyCost), ("flat out", \Phase.maxCost)] {
                let l = left.phases.compactMap { $0[keyPath: pick] }, r = right.phases.compactMap { $0[keyPath: pick] }
                guard !l.isEmpty, !r.isEmpty else { continue }
                print(String(format: "  per event %@: WAL pages %.2f / %.2f, published %.2f / %.2f", name,
                             median(l.map(\.walPages)), median(r.map(\.walPages)), median(l.map(\.published)), median(r.map(\.published))))
            }
        }
        if let slowReceiver {
            compare("with a webhook receiver taking \(slowWebhookSeconds) s per POST", ("paging", slows), ("not paging", durables))
            // One database serves every paging round, so these are totals over the run; a round's
            // unsettled calls are sent again when the next paging round's daemon starts.
            let paged = try Inspection(path: slowPath).webhookAudit()
            print("  over all paging rounds: webhook calls decided \(paged.queued), delivered \(paged.delivered), refused by the full queue \(paged.refused), still owed at the end \(paged.owed); POSTs the receiver took \(slowReceiver.requests().count)")
        }
        if !baselines.isEmpty {
            compare("against the baseline build", ("this build", durables), ("baseline", baselines))
        }
        if !swiftCeilings.isEmpty {
            compare("the C ceiling against the Swift one", ("C", ceilings), ("Swift", swiftCeilings))
        }
        if !larges.isEmpty {
            compare("\(historyDevices) devices and \(historyEvents) stored events against the small database", ("large", larges), ("small", durables))
        }
        let line = Summary(durableMaxPerS: rounded(dMax, 1), ceilingMaxPerS: rounded(cMax, 1), throughputRatio: rounded(throughputRatio, 3),
                           durableP50Ms: rounded(dP50, 3), ceilingP50Ms: rounded(cP50, 3), durableP99Ms: rounded(dP99, 3), ceilingP99Ms: rounded(cP99, 3),
                           p99Ratio: rounded(p99Ratio, 3))
        print(String(decoding: WireEncoder().encode(line), as: UTF8.self))
    }

    /// The last line, for scripts that compare runs. A figure that is not a number (a ratio over a
    /// phase that measured nothing) is left out.
    struct Summary: Encodable {
        var durableMaxPerS: Double?
        var ceilingMaxPerS: Double?
        var throughputRatio: Double?
        var durableP50Ms: Double?
        var ceilingP50Ms: Double?
        var durableP99Ms: Double?
        var ceilingP99Ms: Double?
        var p99Ratio: Double?

        enum CodingKeys: String, CodingKey {
            case durableMaxPerS = "durable_max_per_s", ceilingMaxPerS = "ceiling_max_per_s", throughputRatio = "throughput_ratio"
            case durableP50Ms = "durable_p50_ms", ceilingP50Ms = "ceiling_p50_ms", durableP99Ms = "durable_p99_ms", ceilingP99Ms = "ceiling_p99_ms"
            case p99Ratio = "p99_ratio"
        }
    }

    func rounded(_ x: Double, _ places: Int) -> Double? {
        guard x.isFinite else { return nil }
        let scale = pow(10, Double(places))
        return (x * scale).rounded() / scale
    }

    var loadClient: String { builtExecutable("vigil-load") }

    /// A database as a large centre's looks after a long time: `historyDevices` people with a pendant
    /// each (heard from just now, heartbeat daily, so none falls silent during the run) and
    /// `historyEvents` heartbeats spread over the year before, written by the sqlite3 shell in one
    /// transaction. The simulated devices are the first of them.
    func fillHistory(_ path: String) throws {
        _ = try Database.openVigil(path: path, now: 0)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let began = Date()
        let sql = """
            PRAGMA synchronous = OFF; PRAGMA cache_size = -1000000;
            BEGIN;
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(historyDevices))
              INSERT INTO users(id, name, created_at) SELECT printf('sim-user-%05d', i), 'Person ' || i, 0 FROM n;
            INSERT INTO devices(id, user_id, kind, heartbeat_seconds, created_at, last_contact_at)
              SELECT 'sim-dev-' || substr(id, 10), id, 'pendant', 86400, 0, \(now) FROM users;
            WITH RECURSIVE e(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM e WHERE i < \(historyEvents - 1))
              INSERT INTO events(device_id, event_id, type, device_ts, received_at, battery, payload, triage)
              SELECT printf('sim-dev-%05d', i % \(historyDevices) + 1), 'h' || i, 'heartbeat', '2026-01-01T00:00:00Z',
                     \(now) - (\(historyEvents) - i) * 3000, 90, zeroblob(84), 'recorded: heartbeat' FROM e;
            COMMIT;
            PRAGMA wal_checkpoint(TRUNCATE);
            """
        let r = try runProgram("/usr/bin/sqlite3", [path, sql])
        guard r.status == 0 else { throw TestKitError("sqlite3 could not fill \(path): \(r.error)") }
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
        print(String(format: "history database: %d devices, %d events, %.0f MB, written in %.0f s", historyDevices, historyEvents, Double(size) / 1e6, Date().timeIntervalSince(began)))
    }

    /// A warm-up, the steady phase and the flat-out phase, all from vigil-load. With the daemon's
    /// metrics file, also what each phase cost it per event (read once the file has been rewritten
    /// after the phase).
    func measure(_ title: String, broker: Broker, deviceIDs: [String], tag: String, metricsFile: String? = nil) throws -> Phase {
        print("")
        print(title)
        func load(_ plan: FloodPlan) throws -> FloodReport {
            try NativeLoad.run(plan, executable: loadClient, broker: broker.address, topics: Topics())
        }
        func counters() throws -> Counters? {
            guard let metricsFile else { return nil }
            usleep(600_000) // three rewrites of the file at 0.2 s
            return try Counters(file: metricsFile)
        }
        // Warm up: connections, caches, the first WAL pages.
        _ = try load(FloodPlan(devices: deviceIDs, events: 2_000, rate: nil, window: 200, runID: "\(tag)w"))
        let beforeSteady = try counters()
        let steady = try load(FloodPlan(devices: deviceIDs, events: Int(steadyRate * steadySeconds), rate: steadyRate, window: 10_000, runID: "\(tag)s"))
        print(String(format: "  steady %.0f/s: ", steadyRate) + steady.text.replacingOccurrences(of: "\n", with: "\n    "))
        let afterSteady = try counters()
        let fastest = try load(FloodPlan(devices: deviceIDs, events: maxEvents, rate: nil, window: window, runID: "\(tag)m"))
        print("  as fast as it goes (window \(window)): " + fastest.text.replacingOccurrences(of: "\n", with: "\n    "))
        let afterMax = try counters()
        var phase = Phase(steady: steady, max: fastest)
        if let beforeSteady, let afterSteady, let afterMax {
            phase.steadyCost = afterSteady.cost(since: beforeSteady)
            phase.maxCost = afterMax.cost(since: afterSteady)
            for (name, cost) in [("steady", phase.steadyCost), ("flat out", phase.maxCost)] {
                guard let cost else { continue }
                print(String(format: "  %@: %.2f WAL pages and %.2f published messages per event", name, cost.walPages, cost.published))
            }
        }
        return phase
    }
}

/// fdatasync after writing one commit's worth (two pages), on the filesystem the databases are on:
/// what one commit's flush costs at least on this disk, measured in the same run as the ingest it
/// bounds. Both ways a log is written: appended (the file grows, so the flush also records its new
/// size) and overwritten in place (a WAL that is reused, as vigil serve's is).
struct FsyncFigures {
    var p50Ms: Double
    var p99Ms: Double
    var appendP50Ms: Double
    var appendP99Ms: Double

    static func measure(in path: String, writes: Int = 2_000, bytes: Int = 8_192) throws -> FsyncFigures {
        let fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw TestKitError("cannot open \(path) to time fdatasync: \(String(cString: strerror(errno)))") }
        defer { close(fd); unlink(path) }
        let block = [UInt8](repeating: 0x2e, count: bytes)
        func timed(_ write: (Int) -> Int) throws -> (p50: Double, p99: Double) {
            var micros: [Double] = []
            micros.reserveCapacity(writes)
            for i in 0..<writes {
                guard write(i) == bytes else { throw TestKitError("cannot write to \(path): \(String(cString: strerror(errno)))") }
                var t0 = timespec(), t1 = timespec()
                clock_gettime(CLOCK_MONOTONIC, &t0)
                guard fdatasync(fd) == 0 else { throw TestKitError("fdatasync of \(path) failed: \(String(cString: strerror(errno)))") }
                clock_gettime(CLOCK_MONOTONIC, &t1)
                micros.append(Double(t1.tv_sec - t0.tv_sec) * 1e6 + Double(t1.tv_nsec - t0.tv_nsec) / 1e3)
            }
            micros.sort()
            return (micros[micros.count / 2] / 1000, micros[micros.count * 99 / 100] / 1000)
        }
        let appended = try timed { _ in block.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) } }
        // The same file, now allocated: overwrite it from the start.
        let overwritten = try timed { i in block.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(i * bytes)) } }
        return FsyncFigures(p50Ms: overwritten.p50, p99Ms: overwritten.p99, appendP50Ms: appended.p50, appendP99Ms: appended.p99)
    }
}
