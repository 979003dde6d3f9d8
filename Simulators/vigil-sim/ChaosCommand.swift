import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
#endif
import VigilCommandLine
import VigilSimulation

struct ChaosCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chaos",
        abstract: "Send duplicates, replays, out-of-order, malformed, oversized, unknown and misaddressed events; check every answer.",
        discussion: """
            Registers chaos-dev-001… in --db if missing, sends a seeded mix of --count messages (valid ones \
            resent until acked), then restarts the broker with --restart-broker-cmd (if given) and sends a \
            burst. Prints what was sent and what Vigil answered, checks the database (read-only) for every \
            valid event stored exactly once and a dead letter for each invalid one, and exits 1 if any valid \
            event went unacked or any invalid one was accepted.
            """)

    @OptionGroup var brokerOptions: BrokerOptions
    @Option(help: ArgumentHelp("The daemon's database.", valueName: "PATH")) var db: String
    @Option(help: "Messages in the mix.") var count: Int = 2_000
    @Option(help: "Valid events sent right after the broker restart.") var burst: Int = 200
    @Option(help: "Simulated devices.") var devices: Int = 20
    @Option(help: "Random seed (the same seed sends the same mix).") var seed: UInt64 = 1
    @Option(help: ArgumentHelp("A shell command that restarts the broker (e.g. `systemctl restart mosquitto`); without it the restart is skipped.", valueName: "CMD"))
    var restartBrokerCmd: String?
    @Option(help: "Seconds to wait for outstanding acks after each phase.") var settle: Double = 60

    func validate() throws {
        guard count > 0, burst >= 0, (2...999).contains(devices) else { throw ValidationError("--count must be positive, --burst not negative, --devices 2…999.") }
    }

    func run() throws {
        let address = try brokerOptions.address()
        try Chaos.register(devices: devices, databasePath: db)
        let chaos = try Chaos(plan: .init(count: count, burst: burst, devices: devices, seed: seed, settleSeconds: settle), broker: address.host, port: address.port, databasePath: db, prefix: brokerOptions.topicPrefix)
        let restart: (() throws -> Void)? = restartBrokerCmd.map { cmd in
            {
                // system(3): waits for the shell alone, not for a broker it leaves running in the background.
                fflush(nil)
                let status = system(cmd)
                guard status == 0 else { throw ValidationError("--restart-broker-cmd failed with status \(status).") }
            }
        }
        let report = try chaos.run(restartBroker: restart) { print($0) }
        print(report.text, terminator: "")
        if !report.passed { throw ExitCode(1) }
    }
}
