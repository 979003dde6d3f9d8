import ArgumentParser
import VigilStore

struct DemoDataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-data",
        abstract: "Fill a new database with a synthetic five-year service (2015-04-01 to 2020-03-31).",
        discussion: """
            About 20,000 people with service periods that follow the AT trajectory (8,615 current users on \
            31 March 2017 rising to 13,115 in 2020), devices, responders, yearly satisfaction surveys and \
            about one alarm per person per month with answer times, outcomes and operators. The same \
            --seed always gives the same data.
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Seed of the generator.") var seed: UInt64 = 2015
    @Option(help: "Times the service's size: 10 writes about 220,000 people and 6 million alarms.") var scale: Int = 1

    func run() throws {
        let db = try openDatabase(database)
        let s: DemoData.Summary
        do { s = try DemoData(db).generate(seed: seed, now: nowMillis(), scale: max(1, scale)) } catch let e as RegistryError {
            throw UserFacingError(e.description)
        }
        print("demo service written to \(database.db): \(s.people) people, \(s.periods) service periods, \(s.devices) devices, "
              + "\(s.responders) responders, \(s.surveys) survey responses, \(s.referrals) referrals, \(s.alarms) alarms")
    }
}
