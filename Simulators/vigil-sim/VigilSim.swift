import ArgumentParser
import Foundation
import VigilCommandLine
import VigilCore
import VigilEngine
import VigilSimulation
import VigilStore
import VigilWire

#if canImport(Glibc)
import Glibc
#endif

@main
struct VigilSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil-sim",
        abstract: "Device simulators for Vigil: scenarios, chaos, a whole population, load, demos and the ack-loop ceiling.",
        subcommands: [FloodCommand.self, AckOnly.self, Publish.self, Demo.self, ScenarioCommand.self, ChaosCommand.self, RunCommand.self, ResponderCommand.self])
}

/// SIGINT/SIGTERM end a run cleanly.
let stopper = StopFlag()
func installStopSignals() {
    for sig in [SIGINT, SIGTERM] {
        signal(sig, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
        source.setEventHandler { stopper.stop() }
        source.resume()
        signalSources.append(source)
    }
}
nonisolated(unsafe) var signalSources: [any DispatchSourceSignal] = []

/// Registers `count` simulator devices (and one person each) if they are not there yet.
func ensureSimDevices(db path: String, count: Int) throws -> [String] {
    let db = try Database.openVigil(path: path, now: Int64(Date().timeIntervalSince1970 * 1000))
    let registry = Registry(db)
    let known = Set(try registry.devices().map(\.id))
    let ids = (1...count).map { String(format: "sim-dev-%05d", $0) }
    let now = Int64(Date().timeIntervalSince1970 * 1000)
    let people = try registry.userIDs()
    var users: [UserRecord] = [], devices: [DeviceRecord] = []
    for (i, id) in ids.enumerated() where !known.contains(id) {
        let user = String(format: "sim-user-%05d", i + 1)
        if !people.contains(user) { users.append(UserRecord(id: user, name: "Simulated person \(i + 1)", area: i % 8 + 1)) }
        devices.append(DeviceRecord(id: id, userID: user, kind: .pendant))
    }
    try registry.add(users: users, devices: devices, now: now)
    return ids
}

struct FloodCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flood",
        abstract: "Publish v1 events like alarm units (resend until acked) and report publish→ack latency.")

    @OptionGroup var brokerOptions: BrokerOptions
    @Option(help: "How many simulated devices (sim-dev-00001 …).") var devices: Int = 50
    @Option(help: "How many events in all.") var events: Int = 10_000
    @Option(help: "Events per second; leave out to go as fast as --window allows.") var rate: Double?
    @Option(help: "Most events waiting for an ack at once.") var window: Int = 200
    @Option(help: ArgumentHelp("Register the simulated devices in this database first.", valueName: "PATH")) var db: String?
    @Option(help: "Resend an unacked event after this many milliseconds (doubling each time).") var resendAfter: UInt64 = 2_000
    @Option(help: "A prefix that makes this run's event ids unique.") var runId: String?
    @Option(help: "Stop waiting for missing acks after this many seconds.") var giveUpAfter: Double = 120
    @Flag(help: "Print the report as JSON.") var json = false
    @Flag(help: "Send with vigil-load (the C load client built beside vigil-sim) rather than in this process: far less CPU per event.")
    var native = false
    @Flag(help: "With --native: a line a second on standard error (sent, acked, outstanding, resends).") var progress = false

    func validate() throws {
        if progress && !native { throw ValidationError("--progress needs --native.") }
        guard devices > 0, events > 0, window > 0 else { throw ValidationError("--devices, --events and --window must be positive.") }
        if let rate, rate <= 0 { throw ValidationError("--rate must be positive.") }
    }

    func run() throws {
        installStopSignals()
        let address = try brokerOptions.address()
        let ids: [String]
        if let db { ids = try ensureSimDevices(db: db, count: devices) } else { ids = (1...devices).map { String(format: "sim-dev-%05d", $0) } }
        let plan = FloodPlan(devices: ids, events: events, rate: rate, window: window, resendAfterMilliseconds: resendAfter,
                             runID: runId ?? "f\(String(UInt64(Date().timeIntervalSince1970 * 1000), radix: 36))", giveUpAfterSeconds: giveUpAfter)
        let topics = Topics(prefix: brokerOptions.topicPrefix)
        let report: FloodReport
        if native {
            let beside = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("vigil-load").path
            guard FileManager.default.isExecutableFile(atPath: beside) else {
                throw ValidationError("--native needs vigil-load beside vigil-sim (\(beside)); build it with `swift build --product vigil-load`.")
            }
            report = try NativeLoad.run(plan, executable: beside, broker: "\(address.host):\(address.port)", topics: topics, progress: progress)
        } else {
            report = try Flood.run(plan, broker: address.host, port: address.port, topics: topics, stopper: stopper)
        }
        print(json ? report.json : report.text)
        if !report.unacked.isEmpty { throw ExitCode(2) }
    }
}

struct AckOnly: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack-only",
        abstract: "Ack every event without storing it: the ceiling of the ack loop through this broker.")
    @OptionGroup var brokerOptions: BrokerOptions
    @Option(help: "The MQTT client id of its persistent session.") var clientId = "vigil-ack-only"

    func run() throws {
        installStopSignals()
        let address = try brokerOptions.address()
        let n = try AckOnlyResponder.run(broker: address.host, port: address.port, topics: Topics(prefix: brokerOptions.topicPrefix), clientID: clientId, stopper: stopper)
        print("answered \(n) events")
    }
}

struct Publish: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Publish events at QoS 1 without ever resending (a third-party bridge); print the ids the broker acknowledged.")
    @OptionGroup var brokerOptions: BrokerOptions
    @Option(help: "How many simulated devices.") var devices: Int = 50
    @Option(help: "How many events.") var events: Int = 1_000
    @Option(help: "Events per second.") var rate: Double = 1_000
    @Option(help: "A prefix that makes this run's event ids unique.") var runId: String = "plain"

    func run() throws {
        let address = try brokerOptions.address()
        let plan = FloodPlan(devices: (1...devices).map { String(format: "sim-dev-%05d", $0) }, events: events, rate: rate, runID: runId, giveUpAfterSeconds: 120)
        let confirmed = try PlainPublisher.run(plan, broker: address.host, port: address.port, topics: Topics(prefix: brokerOptions.topicPrefix))
        for id in confirmed { print(id) }
    }
}

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send a realistic event from a random registered device every few seconds and print the acks.")
    @OptionGroup var brokerOptions: BrokerOptions
    @Option(help: ArgumentHelp("The Vigil database whose registered devices to drive.", valueName: "PATH")) var db: String
    @Option(help: "Seconds between events.") var interval: Double = 3
    @Option(help: "Random seed (the same seed repeats the same run).") var seed: UInt64 = 1

    func run() throws {
        installStopSignals()
        let address = try brokerOptions.address()
        let registered = try Registry(try Database(path: db, mode: .readOnly)).devices()
        guard !registered.isEmpty else { throw ValidationError("No devices are registered in \(db); add some with `vigil devices add`.") }
        let trickle = try DemoTrickle(devices: registered.map { .init(id: $0.id, kind: $0.kind) }, broker: address.host, port: address.port, topics: Topics(prefix: brokerOptions.topicPrefix), seed: seed)
        try trickle.run(intervalSeconds: interval, stopper: stopper)
    }
}
