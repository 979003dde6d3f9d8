import Foundation
import Mosquitto
import Testing
import VigilTesting

/// deploy/mosquitto/vigil.conf installed as Debian installs it: conf.d/vigil.conf included by the
/// mosquitto package's own /etc/mosquitto/mosquitto.conf (ProductionBroker builds that tree).
@Suite("End to end: the shipped broker config beside Debian's", .serialized)
struct DebianBrokerConfigTests {
    /// Mosquitto refuses options Debian already sets (persistence_location twice is fatal) and warns
    /// about deprecated ones (message_size_limit): the broker must come up and log neither.
    @Test func startsBesideDebiansConfigWithoutErrorsOrWarnings() throws {
        let production = try ProductionBroker()
        #expect(try waitUntil(seconds: 10) { try production.connack(username: "vigil-serve", password: production.daemonPassword) == 0 })
        #expect(production.broker.pid.map { kill($0, 0) == 0 } == true)
        let log = production.log() + "\n" + (try String(contentsOfFile: production.broker.directory.file("mosquitto.log"), encoding: .utf8))
        #expect(log.contains("New connection"), "the broker logged nothing: \(log)")
        let complaints = log.split(separator: "\n").filter { $0.contains("Error") || $0.contains("Warning") || $0.contains("error") }
        #expect(complaints.isEmpty, "the broker complained: \(complaints.joined(separator: "\n"))")
        // Debian's file turns persistence on, in the directory the test moved it to.
        production.broker.stop()
        #expect(FileManager.default.fileExists(atPath: production.broker.directory.file("persist/mosquitto.db")))
    }

    /// The monitoring login reads Mosquitto's $SYS topics; a device cannot.
    @Test func onlyTheMonitoringLoginReadsSys() throws {
        let production = try ProductionBroker()
        try ProductionBroker.addPassword(file: production.passwordFile, user: "vigil-monitor", password: "monitor-secret")
        try ProductionBroker.addPassword(file: production.passwordFile, user: "dev-a", password: "device-secret")
        production.broker.reload()
        #expect(try waitUntil(seconds: 10) { try production.connack(username: "vigil-monitor", password: "monitor-secret") == 0 })
        #expect(try sysTopics(production, username: "vigil-monitor", password: "monitor-secret").contains("$SYS/broker/version"))
        #expect(try sysTopics(production, username: "dev-a", password: "device-secret").isEmpty)
    }

    /// The $SYS topics a login receives within a few seconds of subscribing ($SYS/broker/version is
    /// retained, so a permitted reader gets it at once).
    func sysTopics(_ production: ProductionBroker, username: String, password: String) throws -> Set<String> {
        let client = try MosquittoClient(.init(host: "127.0.0.1", port: production.broker.port, username: username, password: password))
        defer { client.disconnect() }
        try client.subscribe("$SYS/broker/version", qos: 0)  // sent once the broker accepts the login
        var topics: Set<String> = []
        var subscribed = false
        _ = waitUntil(seconds: 3) {
            for e in client.pump(timeoutMilliseconds: 20) {
                switch e {
                case .subscribed: subscribed = true
                case .message(let m): topics.insert(m.topic)
                default: break
                }
            }
            return !topics.isEmpty
        }
        #expect(subscribed, "\(username) never got its SUBACK")
        return topics
    }
}
