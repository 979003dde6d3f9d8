import ArgumentParser
import Foundation
import VigilCommandLine
import VigilSimulation
import VigilStore
import VigilWire

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Drive every registered person's devices with their device models (a whole caseload, one process).",
        discussion: """
            Reads the people and devices registered in --db and drives each device with the model of its \
            kind: pendant presses (some cancelled), falls and false positives, smoke then clear, nights out \
            of bed, exits at night for people with dementia, missed doses, daily vitals with deterioration, \
            power cuts, low batteries, heartbeats. Every event is resent until Vigil acks it. --speed 60 \
            runs an hour a minute. Prints a one-line summary every few seconds. --populate N first \
            registers a synthetic caseload of N people (about three devices each).
            """)

    @OptionGroup var brokerOptions: BrokerOptions
    @Option(help: ArgumentHelp("The Vigil database whose registered devices to drive (read-only, unless --populate).", valueName: "PATH")) var db: String
    @Option(help: "Virtual time runs this many times faster than the wall clock.") var speed: Double = 1
    @Option(help: "Random seed (the same seed repeats the same run).") var seed: UInt64 = 1
    @Option(help: "Register people pop-u-00001 … up to this many first.") var populate: Int?
    @Option(help: "Stop after this many seconds (default: until Ctrl-C).") var duration: Double?
    @Option(help: "Most events waiting for an ack at once.") var window: Int = 5_000
    @Option(help: "Seconds between summary lines.") var summaryEvery: Double = 5
    @Flag(help: "Telehealth kits send FHIR R4 Observations (on .../observations) instead of wire v1 vitals.") var fhir = false
    @Option(help: "With --populate: the share (0–1) of Zigbee-capable sensors registered with a Zigbee2MQTT friendly name; those publish as a bridge does.") var zigbeeShare: Double = 0
    @Option(help: "The Zigbee2MQTT base topic.") var zigbeeBase: String = "zigbee2mqtt"

    func validate() throws {
        guard speed > 0, window > 0, summaryEvery > 0 else { throw ValidationError("--speed, --window and --summary-every must be positive.") }
        if let populate, !(1...99_999).contains(populate) { throw ValidationError("--populate takes 1 to 99,999 people.") }
        guard (0...1).contains(zigbeeShare) else { throw ValidationError("--zigbee-share is a share between 0 and 1.") }
    }

    func run() throws {
        installStopSignals()
        let address = try brokerOptions.address()
        if let populate {
            let added = try PopulationRegistry.populate(databasePath: db, count: populate, seed: seed, now: Int64(Date().timeIntervalSince1970 * 1000), zigbeeShare: zigbeeShare)
            print("registered \(added.people) people and \(added.devices) devices")
        }
        let registry = Registry(try Database(path: db, mode: .readOnly))
        let devices = try registry.devices()
        guard !devices.isEmpty else { throw ValidationError("No devices are registered in \(db); add some with `vigil devices add`, or use --populate.") }
        let population = try Population(devices: devices, users: try registry.users(), broker: address.host, port: address.port, topics: Topics(prefix: brokerOptions.topicPrefix),
                                        options: .init(speed: speed, seed: seed, window: window, summaryEverySeconds: summaryEvery, durationSeconds: duration, fhir: fhir, zigbeeBase: zigbeeBase))
        try population.run(stopper: stopper) { print($0) }
        if population.summary.outstanding > 0 { throw ExitCode(2) }
    }
}
