import Foundation
import Testing
import VigilSimulation
import VigilTesting

/// Every file in Simulators/scenarios, against its own broker and `vigil serve` (with the scenario's
/// config, short timers) on a temporary database: every expectation must hold.
@Suite("End to end: the scenario folder", .serialized)
struct ScenarioTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Simulators/scenarios").standardized.path

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
    }

    @Test func theFolderCoversTheRulesItShouldRun() {
        #expect(Self.files.count >= 9, "scenario files found in \(Self.folder): \(Self.files)")
    }

    @Test(arguments: files)
    func scenarioRunsGreen(file: String) throws {
        let scenario = try Scenario.load(path: "\(Self.folder)/\(file)")
        let site = try Site(startDaemon: false, config: scenario.renderedConfig())
        defer { site.stop() }
        try ScenarioRunner.register(scenario, databasePath: site.dbPath)
        try site.startVigil()
        let runner = try ScenarioRunner(scenario, broker: "127.0.0.1", port: site.broker.port, databasePath: site.dbPath)
        let report = try runner.run()
        #expect(report.lines.count == scenario.steps.count)
        #expect(report.failures.isEmpty, "\(file):\n\(report.failures.joined(separator: "\n"))\n\(report.lines.joined(separator: "\n"))")
    }

    /// The command a person runs: `vigil-sim scenario FILE --broker … --db …`, against a running daemon.
    @Test func theCommandLineRunsAScenarioAndExitsZero() throws {
        let site = try Site()
        defer { site.stop() }
        let sim = try site.vigilSim(["scenario", "\(Self.folder)/p3-and-recorded.json", "--broker", site.broker.address, "--db", site.dbPath], log: "scenario.log")
        #expect(sim.wait() == 0, "\(sim.log())")
        #expect(sim.log().contains("passed"))
    }
}
