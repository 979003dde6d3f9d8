import Foundation
import Mosquitto
import Testing
import VigilSimulation
@testable import VigilStore
import VigilTesting
import VigilWire

#if canImport(Glibc)
import Glibc
#endif

/// One private Mosquitto, one temporary database, one `vigil serve`: the real parts, on loopback.
final class Site {
    let dir: TemporaryDirectory
    let broker: Broker
    let dbPath: String
    var daemon: VigilDaemon!

    /// - Parameter config: YAML for `vigil serve --config` (short timers, say), if any.
    /// - Parameter broker: a broker already configured (the production config, say); else an open one.
    /// - Parameter databaseDirectory: where the database goes, when not in the site's directory (a
    ///   small filesystem of its own, say).
    init(startDaemon: Bool = true, config: String? = nil, broker: Broker? = nil, databaseDirectory: String? = nil) throws {
        dir = try TemporaryDirectory(prefix: "vigil-e2e")
        self.broker = try broker ?? Broker()
        dbPath = (databaseDirectory ?? dir.path) + "/vigil.db"
        // Many suites flood the daemon from a few devices (chaos, population, throughput): far past
        // what a real unit sends, so the harness lifts every kind's budget unless the test sets its own.
        var yaml = config ?? ""
        if !yaml.contains("rate_limit:") { yaml += (yaml.isEmpty || yaml.hasSuffix("\n") ? "" : "\n") + Self.liftedBudgets }
        try yaml.write(toFile: dir.file("vigil.yaml"), atomically: true, encoding: .utf8)
        configArguments = ["--config", dir.file("vigil.yaml")]
        if startDaemon { try startVigil() }
    }

    var configArguments: [String] = []

    /// A budget no test's flood reaches (the defaults stop a device at 20 or 60 events at once).
    static let liftedBudgets = "rate_limit:\n  all: { burst: 10000000, per_minute: 60000000 }\n"

    func startVigil() throws {
        daemon = try VigilDaemon(databasePath: dbPath, broker: broker.address, logPath: dir.file("serve.log"), extraArguments: configArguments)
    }

    /// The open queue as `vigil queue --json` prints it.
    func queue() throws -> [[String: Any]] {
        try jsonArray(try vigil("queue", "--db", dbPath, "--json"))
    }

    /// Runs `vigil alarm ACTION` for an operator; returns exit status and stderr.
    func alarm(_ action: String, _ code: String, operator op: String, _ extra: String...) throws -> (status: Int32, error: String) {
        let r = try runProgram(builtExecutable("vigil"), ["alarm", action, "--broker", broker.address, "--operator", op] + extra + [code])
        return (r.status, r.error)
    }

    /// Runs `vigil ARGS…` and returns its output; records a test issue when it fails.
    @discardableResult
    func vigil(_ args: String...) throws -> String {
        let r = try runProgram(builtExecutable("vigil"), args)
        if r.status != 0 { Issue.record("vigil \(args.joined(separator: " ")) exited \(r.status): \(r.error)") }
        return r.output
    }

    func vigilSim(_ args: [String], log: String) throws -> ChildProcess {
        try ChildProcess(executable: builtExecutable("vigil-sim"), arguments: args, logPath: dir.file(log))
    }

    /// Registers `count` people with one pendant each: sim-dev-00001 … (the simulator's device ids).
    func registerSimDevices(_ count: Int) throws {
        let db = try Database.openVigil(path: dbPath, now: 0)
        let r = Registry(db)
        for i in 1...count {
            try r.addUser(UserRecord(id: String(format: "sim-user-%05d", i), name: "Person \(i)"), now: 0)
            try r.addDevice(DeviceRecord(id: String(format: "sim-dev-%05d", i), userID: String(format: "sim-user-%05d", i), kind: .pendant), now: 0)
        }
    }

    /// A count from the database through a read-only connection of its own, as a report would read.
    func count(_ sql: String, _ values: [SQLValue] = []) throws -> Int {
        Int(try Database(path: dbPath, mode: .readOnly).scalar(sql, values))
    }

    /// Reads the retained queue as a console would on connecting: code → payload.
    func retainedQueue() throws -> [String: String] {
        let topics = ConsoleTopics()
        let client = try MosquittoClient(.init(host: "127.0.0.1", port: broker.port))
        try client.subscribe(topics.allAlarms, qos: 1)
        var items: [String: String] = [:]
        var subscribed = false
        _ = waitUntil(seconds: 5) {
            for e in client.pump(timeoutMilliseconds: 20) {
                switch e {
                case .subscribed: subscribed = true
                case .message(let m):
                    if let code = topics.alarmCode(m.topic) { items[code] = m.payload.isEmpty ? nil : String(decoding: m.payload, as: UTF8.self) }
                default: break
                }
            }
            return subscribed
        }
        // Retained messages follow the SUBACK at once; give them a few turns to arrive.
        for _ in 0..<20 {
            for case .message(let m) in client.pump(timeoutMilliseconds: 10) {
                if let code = topics.alarmCode(m.topic) { items[code] = m.payload.isEmpty ? nil : String(decoding: m.payload, as: UTF8.self) }
            }
        }
        client.disconnect()
        return items
    }

    func stop() {
        daemon?.stop()
        broker.stop()
        dir.remove()
    }
}

/// A device on the real broker: publishes wire v1 payloads and waits for Vigil's ack.
final class TestDevice {
    let publisher: AckingPublisher
    var acks: [String: Ack] = [:]

    init(site: Site) throws {
        publisher = try AckingPublisher(broker: "127.0.0.1", port: site.broker.port, topics: Topics(), resendAfterMilliseconds: 60_000)
        publisher.onAck = { [unowned self] _, ack in self.acks[ack.eventID] = ack }
        guard publisher.waitUntilReady(seconds: 10) else { throw TestKitError("test device could not subscribe to acks") }
    }

    /// Publishes `payload` from `device` and returns the ack for `eventID` (nil if none within 10 s).
    func send(_ device: String, eventID: String, _ payload: String) -> Ack? {
        acks[eventID] = nil
        publisher.send(device: device, eventID: eventID, payload: Array(payload.utf8))
        _ = waitUntil(seconds: 10) {
            publisher.service(timeoutMilliseconds: 10)
            return acks[eventID] != nil
        }
        return acks[eventID]
    }

    /// Publishes a FHIR Observation on the device's observations topic and waits for its ack.
    func sendObservation(_ device: String, eventID: String, _ payload: [UInt8]) -> Ack? {
        acks[eventID] = nil
        publisher.send(device: device, eventID: eventID, payload: payload, channel: .observations)
        _ = waitUntil(seconds: 10) {
            publisher.service(timeoutMilliseconds: 10)
            return acks[eventID] != nil
        }
        return acks[eventID]
    }

    /// Publishes a payload that carries no readable id: nothing can be acked; returns once it is sent.
    func sendRaw(_ device: String, _ payload: [UInt8]) throws {
        try publisher.client.publish(Topics().topic(device: device, .events), payload, qos: 1)
        for _ in 0..<5 { publisher.service(timeoutMilliseconds: 10) }
    }
}

func event(_ id: String, _ type: String, _ extra: String = "") -> String {
    #"{"id":"\#(id)","ts":"2026-11-22T02:14:07Z","type":"\#(type)"\#(extra)}"#
}

func jsonArray(_ text: String) throws -> [[String: Any]] {
    try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
}
