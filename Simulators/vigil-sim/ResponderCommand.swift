import ArgumentParser
import Foundation
import VigilCommandLine
import VigilSimulation
import VigilWire

extension TravelBand: ExpressibleByArgument {}

/// `vigil-sim responder`: a mobile responder's handset that takes the jobs Vigil sends and reports
/// en route, on site and left as the model's plan says.
struct ResponderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "responder",
        abstract: "Simulate a mobile responder's handset: take jobs from Vigil, travel, report arrival and departure.",
        discussion: """
            Subscribes to the responder's jobs topic. For each job it reports en route after 30 s to 2 min, \
            on site after a journey drawn from --band (near 8–20 min, mid 15–32, far 25–42), of which \
            --late-share are held up another 20–40 min, and left after 10–40 min on site. --speed 60 runs an \
            hour a minute. Example: vigil-sim responder --id resp-ann --band mid --late-share 0.1 --speed 60
            """)

    @OptionGroup var brokerOptions: BrokerOptions
    @Option(help: "The responder's id (their broker login).") var id: String
    @Option(help: "A file holding the responder's broker password.") var passwordFile: String?
    @Option(help: "How far they travel: near, mid or far.") var band: TravelBand = .near
    @Option(help: "The share of visits (0–1) held up long enough to be late.") var lateShare: Double = 0
    @Option(help: "Virtual time runs this many times faster than the wall clock.") var speed: Double = 1
    @Option(help: "Random seed (the same seed repeats the same journeys).") var seed: UInt64 = 1
    @Option(help: "Stop after completing this many visits (default: until Ctrl-C).") var visits: Int?
    @Option(help: "Stop after this many seconds.") var duration: Double?

    func validate() throws {
        try IdentifierArgument.check(id, as: "--id")
        guard speed > 0 else { throw ValidationError("--speed must be positive.") }
        guard (0...1).contains(lateShare) else { throw ValidationError("--late-share is a share between 0 and 1.") }
    }

    func run() throws {
        installStopSignals()
        let address = try brokerOptions.address()
        let password = try passwordFile.map(PasswordFile.read)
        let handset = try ResponderHandset(id: id, broker: address.host, port: address.port, username: password == nil ? nil : id, password: password,
                                           topics: ResponderTopics(prefix: brokerOptions.topicPrefix), model: HandsetModel(band: band, lateShare: lateShare),
                                           speed: speed, seed: seed)
        let end = duration.map { Date().addingTimeInterval($0) }
        var printed = 0
        let done = handset.run {
            for line in handset.log.dropFirst(printed) { print(line) }
            printed = handset.log.count
            fflush(nil)
            return stopper.isStopped || (end.map { Date() >= $0 } ?? false) || (visits.map { handset.completed >= $0 } ?? false)
        }
        for line in handset.log.dropFirst(printed) { print(line) }
        print("\(id): \(done) visit\(done == 1 ? "" : "s") completed")
    }
}
