import Foundation
import Testing
import VigilCore
import VigilSimulation
import VigilTesting

/// Every file in Simulators/scenarios, in-process on virtual time: the same steps and checks that
/// the end-to-end suite runs against a real Mosquitto and `vigil serve`, here against the engine
/// on a manual clock, at a daytime and at a night-time start.
@Suite("Scenario folder in-process on virtual time")
struct ScenarioInProcessTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Simulators/scenarios").standardized.path

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
    }

    /// 2026-11-22 02:14:07 UTC and 14:14:07 UTC: the night window and the day.
    @Test(arguments: files, [EpochMillis(1_795_314_847_000), 1_795_358_047_000])
    func scenarioRunsGreen(file: String, start: EpochMillis) throws {
        let scenario = try Scenario.load(path: "\(Self.folder)/\(file)")
        let dir = try TemporaryDirectory(prefix: "vigil-scenario")
        defer { dir.remove() }
        let db = dir.file("vigil.db")
        try ScenarioRunner.register(scenario, databasePath: db, start: start)
        let report = try ScenarioRunner.inProcess(scenario, databasePath: db, start: start).run()
        #expect(report.lines.count == scenario.steps.count)
        #expect(report.failures.isEmpty, "\(file):\n\(report.failures.joined(separator: "\n"))\n\(report.lines.joined(separator: "\n"))")
    }
}
