import Foundation
import Testing
import VigilSimulation
import VigilStore
import VigilTesting

/// Chaos against a real broker and daemon, with a real broker restart before the burst.
@Suite("End to end: chaos", .serialized)
struct ChaosTests {
    @Test func chaosLosesNothingAndAcceptsNothingInvalid() throws {
        let site = try Site(startDaemon: false)
        defer { site.stop() }
        try Chaos.register(devices: 20, databasePath: site.dbPath)
        try site.startVigil()
        let chaos = try Chaos(plan: .init(count: 2_000, burst: 200, devices: 20, seed: 7), broker: "127.0.0.1", port: site.broker.port, databasePath: site.dbPath)
        let report = try chaos.run(restartBroker: { try site.broker.restart() })
        #expect(report.passed, "\(report.text)")

        // Every kind was exercised, and the answers are the ones the contract promises.
        for kind in ChaosKind.allCases { #expect((report.rows[kind]?.sent ?? 0) > 0, "no \(kind.rawValue) sent") }
        let rows = report.rows
        #expect(rows[.burstAfterRestart]?.sent == 200)
        #expect(rows[.burstAfterRestart].map { $0.accepted + $0.duplicate } == 200)
        #expect(rows[.duplicate].map { $0.duplicate == $0.sent } == true)
        #expect(rows[.replay].map { $0.duplicate == $0.sent } == true)
        for kind in [ChaosKind.oversized, .unknownType, .unknownDevice] {
            #expect(rows[kind].map { $0.rejected == $0.sent && $0.accepted == 0 } == true, "\(kind.rawValue)")
        }

        // The database, read on its own: valid events once each, no invalid id stored.
        let valid = ChaosKind.allCases.filter { $0.expectedAck == "accepted" }.reduce(0) { $0 + (rows[$1]?.sent ?? 0) }
        #expect(try site.count("SELECT count(*) FROM events WHERE event_id LIKE 'c%-v%'") == valid)
        #expect(try site.count("SELECT count(DISTINCT device_id || '/' || event_id) FROM events WHERE event_id LIKE 'c%-v%'") == valid)
        #expect(try site.count("SELECT count(*) FROM events WHERE event_id LIKE 'c%-x%'") == 0)
        #expect(try site.count("SELECT count(*) FROM dead_letters WHERE reason = 'invalid_json'") == rows[.malformedJSON]?.sent)
        #expect(try site.count("SELECT count(*) FROM dead_letters WHERE reason = 'invalid_utf8'") == rows[.invalidUTF8]?.sent)
        #expect(site.daemon.isRunning)
    }

    @Test func theCommandLineSkipsTheRestartWithANoteAndExitsZero() throws {
        let site = try Site()
        defer { site.stop() }
        let sim = try site.vigilSim(["chaos", "--broker", site.broker.address, "--db", site.dbPath, "--count", "300", "--burst", "20"], log: "chaos.log")
        #expect(sim.wait() == 0, "\(sim.log())")
        let out = sim.log()
        #expect(out.contains("broker restart skipped"))
        #expect(out.contains("PASSED"))
        #expect(out.contains("foreign-topic"))
    }
}
