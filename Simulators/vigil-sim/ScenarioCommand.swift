import ArgumentParser
import Foundation
import VigilCommandLine
import VigilSimulation

struct ScenarioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenario",
        abstract: "Run scenario files (a timeline with expectations) against a running vigil serve.",
        discussion: """
            Registers the scenario's people, devices and operators in --db if they are missing, sends its \
            events and operator commands at their times, and checks acks, replies and the stored alarms. \
            A scenario's escalation timers and night window live in its "config": start the daemon with it, e.g.
              vigil-sim scenario FILE --print-config > s.yaml && vigil serve --db vigil.db --config s.yaml
            Exits 1 if any expectation failed. The shipped scenarios are in Simulators/scenarios.
            """)

    @OptionGroup var brokerOptions: BrokerOptions
    @Argument(help: "Scenario JSON files.") var files: [String]
    @Option(help: ArgumentHelp("The daemon's database (read for checks; people, devices and operators are added to it).", valueName: "PATH")) var db: String?
    @Flag(help: "Print the scenario's config for vigil serve (times filled in for now) and exit.") var printConfig = false

    func validate() throws {
        if !printConfig && db == nil { throw ValidationError("--db is required to run a scenario.") }
        if printConfig && files.count != 1 { throw ValidationError("--print-config takes exactly one scenario file.") }
    }

    func run() throws {
        if printConfig {
            print(try Scenario.load(path: files[0]).renderedConfig() ?? "")
            return
        }
        let address = try brokerOptions.address()
        var failed = 0
        for file in files {
            let scenario = try Scenario.load(path: file)
            print("scenario: \(scenario.name) (\(file))")
            if scenario.config != nil {
                print("  note: this scenario expects vigil serve to run with its config (--print-config)")
            }
            try ScenarioRunner.register(scenario, databasePath: db!)
            let report = try ScenarioRunner(scenario, broker: address.host, port: address.port, databasePath: db!, prefix: brokerOptions.topicPrefix).run { print("  " + $0) }
            print(report.passed ? "  passed: \(scenario.steps.count) steps" : "  FAILED: \(report.failures.count) of \(scenario.steps.count) steps")
            if !report.passed { failed += 1 }
        }
        if failed > 0 { throw ExitCode(1) }
    }
}
