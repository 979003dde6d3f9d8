import ArgumentParser
import Foundation
import VigilSimulation
import VigilStore
import VigilTesting
import VigilWire

#if canImport(Glibc)
import Glibc
#endif

/// `make bench`: the ack loop with durable storage (`vigil serve`) against its ceiling (a client that
/// acks without storing), through one private Mosquitto on this machine, in one run.
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

    struct Phase {
        var steady: FloodReport
        var max: FloodReport
    }

    func run() throws {
        let broker = try Broker()
        let dir = try TemporaryDirectory(prefix: "vigil-bench")
        defer { broker.stop(); dir.remove() }
        let deviceIDs = (1...devices).map { String(format: "sim-dev-%05d", $0) }
        print("vigil-bench: Mosquitto on \(broker.address), \(devices) devices, \(ProcessInfo.processInfo.activeProcessorCount) cores")

        // Ceiling: receive and ack, store nothing.
        let ackOnly = try ChildProcess(executable: builtExecutable("vigil-sim"), arguments: ["ack-only", "--broker", broker.address], logPath: dir.file("ack-only.log"))
        usleep(300_000)
        let ceiling = try measure("ceiling (ack-only, no storage)", broker: broker, deviceIDs: deviceIDs, tag: "c")
        ackOnly.stop()

        // Durable: vigil serve, SQLite WAL, synchronous=FULL, commit before any ack.
        let dbPath = dir.file("bench.db")
        let db = try Database.openVigil(path: dbPath, now: 0)
        let registry = Registry(db)
        for (i, id) in deviceIDs.enumerated() {
            try registry.addUser(UserRecord(id: "bench-user-\(i)", name: "Bench person \(i)"), now: 0)
            try registry.addDevice(DeviceRecord(id: id, userID: "bench-user-\(i)", kind: .pendant), now: 0)
        }
        let daemon = try VigilDaemon(databasePath: dbPath, broker: broker.address, logPath: dir.file("serve.log"), extraArguments: [])
        let durable = try measure("durable (vigil serve → SQLite)", broker: broker, deviceIDs: deviceIDs, tag: "d")
        daemon.stop()
        let stored = try Database(path: dbPath, mode: .readOnly).scalar("SELECT count(*) FROM events")

        let throughputRatio = durable.max.throughput / ceiling.max.throughput
        let p99Ratio = Double(durable.steady.p99Micros) / Double(max(ceiling.steady.p99Micros, 1))
        print("")
        print("summary")
        print(String(format: "  max throughput   durable %.0f/s   ceiling %.0f/s   ratio %.1f %% (goal ≥ 80 %%)", durable.max.throughput, ceiling.max.throughput, throughputRatio * 100))
        print(String(format: "  p99 at %.0f/s    durable %@   ceiling %@   ratio %.2f× (goal ≤ 3×)", steadyRate, FloodReport.ms(durable.steady.p99Micros), FloodReport.ms(ceiling.steady.p99Micros), p99Ratio))
        print("  events stored by vigil serve: \(stored)")
        print("{\"durable_steady\":\(durable.steady.json),\"durable_max\":\(durable.max.json),\"ceiling_steady\":\(ceiling.steady.json),\"ceiling_max\":\(ceiling.max.json),\"throughput_ratio\":\(String(format: "%.3f", throughputRatio)),\"p99_ratio\":\(String(format: "%.3f", p99Ratio))}")
    }

    func measure(_ title: String, broker: Broker, deviceIDs: [String], tag: String) throws -> Phase {
        print("")
        print(title)
        // Warm up: connections, caches, the first WAL pages.
        _ = try Flood.run(FloodPlan(devices: deviceIDs, events: 2_000, rate: nil, window: 200, runID: "\(tag)w"), broker: "127.0.0.1", port: broker.port, topics: Topics())
        let steadyPlan = FloodPlan(devices: deviceIDs, events: Int(steadyRate * steadySeconds), rate: steadyRate, window: 10_000, runID: "\(tag)s")
        let steady = try Flood.run(steadyPlan, broker: "127.0.0.1", port: broker.port, topics: Topics())
        print(String(format: "  steady %.0f/s: ", steadyRate) + steady.text.replacingOccurrences(of: "\n", with: "\n    "))
        let maxPlan = FloodPlan(devices: deviceIDs, events: maxEvents, rate: nil, window: window, runID: "\(tag)m")
        let fastest = try Flood.run(maxPlan, broker: "127.0.0.1", port: broker.port, topics: Topics())
        print("  as fast as it goes (window \(window)): " + fastest.text.replacingOccurrences(of: "\n", with: "\n    "))
        return Phase(steady: steady, max: fastest)
    }
}
