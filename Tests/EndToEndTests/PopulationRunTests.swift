import Foundation
import Testing
import VigilTesting

/// `vigil-sim run` on a small caseload, a day and more of virtual time in seconds, in all three formats.
@Suite("End to end: a caseload driven by vigil-sim run", .serialized)
struct PopulationRunTests {
    @Test func everyEventOfEveryFormatIsAckedAndStoredWithoutADeadLetter() throws {
        let site = try Site(startDaemon: false)
        defer { site.stop() }
        // Registered before the daemon starts, so that it knows the Zigbee friendly names at once.
        let populate = try runProgram(builtExecutable("vigil-sim"), ["run", "--db", site.dbPath, "--broker", site.broker.address, "--populate", "300", "--zigbee-share", "0.5", "--duration", "0"])
        #expect(populate.output.contains("registered 300 people"), "\(populate.output) \(populate.error)")
        try site.startVigil()

        let sim = try site.vigilSim(["run", "--db", site.dbPath, "--broker", site.broker.address, "--speed", "14400", "--duration", "8", "--summary-every", "2", "--fhir"], log: "run.log")
        #expect(sim.wait() == 0, "\(sim.log())")
        let lines = sim.log().split(separator: "\n").filter { $0.hasPrefix("t=") }
        #expect(lines.count >= 3)
        #expect(lines.last?.contains("outstanding=0") == true, "\(lines.last ?? "")")

        #expect(try site.count("SELECT count(*) FROM events") > 1_000)
        // Through the bridge: stored like any other event, under the registered device. A bridge reads
        // no ack, so its last messages may still be on their way: wait for them. (32 virtual hours of
        // 150 Zigbee sensors give a handful of transitions; at 8 hours none was possible.)
        #expect(try waitUntil(seconds: 10) { try site.count("SELECT count(*) FROM events e JOIN devices d ON d.id = e.device_id WHERE d.zigbee_name IS NOT NULL") > 0 })
        // As FHIR Observations: telehealth readings stored as vitals.
        #expect(try site.count("SELECT count(*) FROM events e JOIN devices d ON d.id = e.device_id WHERE d.kind = 'telehealth' AND e.type = 'vitals'") > 0)
        // Everything the models send is something Vigil accepts.
        #expect(try site.count("SELECT count(*) FROM dead_letters") == 0)
        #expect(site.daemon.isRunning)
    }
}
