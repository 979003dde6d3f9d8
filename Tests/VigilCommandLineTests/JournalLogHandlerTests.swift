import Foundation
import Logging
import Synchronization
import Testing
import VigilCommandLine

#if canImport(Glibc)
import Glibc
#endif

/// Lines for journald carry their syslog priority, one entry per line.
@Suite("Logs for journald")
struct JournalLogHandlerTests {
    final class Lines: Sendable {
        let all = Mutex<[String]>([])
    }

    @Test func eachLevelCarriesItsPriorityAndTheMetadata() {
        let lines = Lines()
        var logger = Logger(label: "vigil.serve") { label in JournalLogHandler(label: label) { line in lines.all.withLock { $0.append(line) } } }
        logger.logLevel = .debug
        logger.error("broker refused the connection", metadata: ["mqtt.connack": "5"])
        logger.warning("disconnected\nfrom broker")
        logger.info("connected to broker")
        logger.critical("could not commit")
        logger.debug("detail")
        #expect(lines.all.withLock { $0 } == [
            "<3>error vigil.serve: broker refused the connection mqtt.connack=5\n",
            "<4>warning vigil.serve: disconnected from broker\n",
            "<6>info vigil.serve: connected to broker\n",
            "<2>critical vigil.serve: could not commit\n",
            "<7>debug vigil.serve: detail\n",
        ])
    }

    @Test func theJournalIsRecognisedOnlyWhenStderrIsThatStream() throws {
        var st = stat()
        #expect(fstat(2, &st) == 0)
        let mine = "\(UInt64(st.st_dev)):\(UInt64(st.st_ino))"
        #expect(JournalLogHandler.stderrIsJournal(environment: ["JOURNAL_STREAM": mine]))
        #expect(!JournalLogHandler.stderrIsJournal(environment: ["JOURNAL_STREAM": "\(UInt64(st.st_dev)):\(UInt64(st.st_ino) &+ 1)"]))
        #expect(!JournalLogHandler.stderrIsJournal(environment: ["JOURNAL_STREAM": "nonsense"]))
        #expect(!JournalLogHandler.stderrIsJournal(environment: [:]))
    }
}
