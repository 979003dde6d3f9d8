import Foundation
import Testing
import VigilTesting

/// One `vigil serve` per database: a second exits at once and says who holds the file.
@Suite("End to end: one daemon per database")
struct SingleWriterTests {
    @Test func aSecondDaemonOnTheSameDatabaseExitsNamingTheFirst() throws {
        let site = try Site()
        defer { site.stop() }
        #expect(throws: (any Error).self) {
            _ = try VigilDaemon(databasePath: site.dbPath, broker: site.broker.address, logPath: site.dir.file("second.log"))
        }
        let second = (try? String(contentsOfFile: site.dir.file("second.log"), encoding: .utf8)) ?? ""
        #expect(second.contains("Another vigil serve"), "second daemon's log: \(second)")
        #expect(second.contains("already runs on this database"))
        #expect(site.daemon.isRunning)

        // Once the first has stopped, the lock it left behind does not hold the next one back.
        site.daemon.stop()
        let next = try VigilDaemon(databasePath: site.dbPath, broker: site.broker.address, logPath: site.dir.file("next.log"))
        #expect(next.isRunning)
        next.stop()
    }
}
