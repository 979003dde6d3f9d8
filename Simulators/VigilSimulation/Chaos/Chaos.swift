import Foundation
import VigilCore
import VigilStore
import VigilWire

/// Sends a seeded mix of good and bad messages to a live Vigil and checks every answer: each valid
/// event acked (resent until it is) and stored exactly once, each invalid one rejected or unanswerable
/// and dead-lettered, never accepted. Ends with a burst straight after a broker restart.
public final class Chaos {
    public struct Plan: Sendable {
        public var count: Int
        public var burst: Int
        public var devices: Int
        public var seed: UInt64
        public var window: Int
        public var settleSeconds: Double

        public init(count: Int = 2_000, burst: Int = 200, devices: Int = 20, seed: UInt64 = 1, window: Int = 100, settleSeconds: Double = 60) {
            self.count = count
            self.burst = burst
            self.devices = devices
            self.seed = seed
            self.window = window
            self.settleSeconds = settleSeconds
        }
    }

    let plan: Plan
    let publisher: AckingPublisher
    let topics: Topics
    let databasePath: String
    let tag: String
    let deviceIDs: [String]
    var rng: SplitMix64
    var sequence = 0
    /// What each pending `device/eventID` is.
    var expected: [String: ChaosKind] = [:]
    /// Valid events acked so far: (device, id, payload), for duplicates and replays.
    var acked: [(device: String, id: String, payload: [UInt8])] = []
    /// Every valid event: device/id → how many times it must be stored (once).
    var validKeys: Set<String> = []
    var report = ChaosReport()
    var noIDSent: [String: Int] = [:]

    public init(plan: Plan, broker host: String, port: Int32, databasePath: String, prefix: String = "telecare") throws {
        self.plan = plan
        topics = Topics(prefix: prefix)
        self.databasePath = databasePath
        rng = SplitMix64(seed: plan.seed)
        tag = "c" + String(UInt64(Date().timeIntervalSince1970 * 1000), radix: 36)
        deviceIDs = (1...plan.devices).map { String(format: "chaos-dev-%03d", $0) }
        publisher = try AckingPublisher(broker: host, port: port, topics: topics, clientID: "vigil-chaos-\(tag)", resendAfterMilliseconds: 1_000)
        publisher.onAck = { [unowned self] device, ack in self.answered(device, ack) }
    }

    /// Registers the chaos devices (one person each) if they are missing.
    public static func register(devices: Int, databasePath: String) throws {
        let now = EpochMillis(Date().timeIntervalSince1970 * 1000)
        let registry = Registry(try Database.openVigil(path: databasePath, now: now))
        let known = Set(try registry.devices().map(\.id))
        for i in 1...devices {
            let device = String(format: "chaos-dev-%03d", i), user = String(format: "chaos-user-%03d", i)
            guard !known.contains(device) else { continue }
            try registry.addUser(UserRecord(id: user, name: "Chaos person \(i)"), now: now)
            try registry.addDevice(DeviceRecord(id: device, userID: user, kind: .hub), now: now)
        }
    }

    /// Runs the mix, then (with `restartBroker`) restarts the broker and sends the burst.
    public func run(restartBroker: (() throws -> Void)?, log: (String) -> Void = { _ in }) throws -> ChaosReport {
        guard publisher.waitUntilReady(seconds: 10) else { throw SimulationError("Could not reach the broker within 10 s.") }
        let db = try Inspection(path: databasePath)
        let deadBefore = try db.deadLetterCounts()

        log("sending \(plan.count) mixed messages from \(plan.devices) devices")
        let weights = ChaosKind.allCases.flatMap { Array(repeating: $0, count: $0.weight) }
        for _ in 0..<plan.count {
            while publisher.outstanding >= plan.window { publisher.service(timeoutMilliseconds: 5) }
            send(weights.randomElement(using: &rng)!)
            publisher.service(timeoutMilliseconds: 0)
        }
        settle("the mix")

        if let restartBroker {
            log("restarting the broker, then a burst of \(plan.burst) events")
            try restartBroker()
            for _ in 0..<plan.burst { send(.burstAfterRestart) }
            settle("the burst")
        } else {
            report.notes.append("broker restart skipped (give --restart-broker-cmd to include the burst after a restart)")
        }
        for (key, kind) in expected {
            report.update(kind) { $0.unanswered += 1 }
            if kind.isValid { report.failures.append("\(kind.rawValue) \(key) was never acked") }
        }
        try checkStore(db, deadBefore: deadBefore)
        report.resends = publisher.counts.resends
        report.notes.append("foreign-topic events are accepted for the topic's device: without broker ACLs (issue 7) Vigil cannot tell who published; reported, not counted as failures")
        publisher.client.disconnect()
        return report
    }

    func settle(_ what: String) {
        let deadline = monotonicNanos() + UInt64(plan.settleSeconds * 1e9)
        while publisher.outstanding > 0 && monotonicNanos() < deadline { publisher.service(timeoutMilliseconds: 10) }
        if publisher.outstanding > 0 { report.notes.append("\(publisher.outstanding) events of \(what) unanswered after \(Int(plan.settleSeconds)) s") }
    }

    func nextID(_ valid: Bool) -> String {
        sequence += 1
        return "\(tag)-\(valid ? "v" : "x")\(sequence)"
    }

    func now() -> EpochMillis { EpochMillis(Date().timeIntervalSince1970 * 1000) }

    func event(_ id: String, type: String = "heartbeat", ts: EpochMillis? = nil, detail: [String: JSONValue] = [:]) -> [UInt8] {
        publisher.wire.encode(EventMessage(id: id, ts: RFC3339.format(millis: ts ?? now()), type: type, battery: Int.random(in: 20...100, using: &rng),
                                           detail: detail.isEmpty ? nil : detail))
    }

    /// A valid payload of one of the everyday kinds a unit sends.
    func everyday(_ id: String, ts: EpochMillis? = nil) -> [UInt8] {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: event(id, ts: ts)
        case 1: event(id, type: "temperature", ts: ts, detail: ["celsius": .number(Double(Int.random(in: 17...23, using: &rng)))])
        case 2: event(id, type: "medication", ts: ts, detail: ["state": .string("taken")])
        default: event(id, type: "vitals", ts: ts, detail: ["spo2": .number(97), "pulse": .number(Double(Int.random(in: 60...80, using: &rng)))])
        }
    }

    func send(_ kind: ChaosKind) {
        let device = deviceIDs.randomElement(using: &rng)!
        report.update(kind) { $0.sent += 1 }
        switch kind {
        case .valid, .burstAfterRestart:
            let id = nextID(true)
            track(device, id, kind, everyday(id))
        case .outOfOrder:
            let id = nextID(true)
            track(device, id, kind, everyday(id, ts: now() - EpochMillis(Int.random(in: 1...48, using: &rng)) * 3_600_000))
        case .duplicate, .replay:
            // A duplicate repeats the newest acked event; a replay one from long before.
            guard !acked.isEmpty else {
                report.update(kind) { $0.sent -= 1 }
                return send(.valid)
            }
            let e = kind == .duplicate ? acked[acked.count - 1] : acked[Int.random(in: 0..<max(1, acked.count / 2), using: &rng)]
            guard expected["\(e.device)/\(e.id)"] == nil else {
                report.update(kind) { $0.sent -= 1 }
                return send(.valid)
            }
            expected["\(e.device)/\(e.id)"] = kind
            publisher.send(device: e.device, eventID: e.id, payload: e.payload)
        // These two are broken on purpose, so no encoder can write them: cut-off JSON, and bytes that are not UTF-8.
        case .malformedJSON:
            noIDSent["invalid_json", default: 0] += 1
            raw(device, Array("{\"id\":\"\(nextID(false))\",\"ts\":".utf8))
        case .invalidUTF8:
            noIDSent["invalid_utf8", default: 0] += 1
            raw(device, Array("{\"id\":\"".utf8) + [0xFF, 0xFE, 0xC3] + Array("\"}".utf8))
        case .oversized:
            let id = nextID(false)
            track(device, id, kind, event(id, type: "vitals", detail: ["spo2": .number(97), "pad": .string(String(repeating: "x", count: 16 * 1024))]))
        case .unknownType:
            let id = nextID(false)
            track(device, id, kind, event(id, type: ["teleport", "Fall", "smoke_alarm", ""].randomElement(using: &rng)!))
        case .unknownDevice:
            let id = nextID(false)
            track("chaos-ghost-\(Int.random(in: 1...999, using: &rng))", id, kind, everyday(id))
        case .foreignTopic:
            // Built as another device's event, published on this device's topic.
            let id = nextID(true)
            track(device, id, kind, everyday(id))
        }
    }

    func track(_ device: String, _ id: String, _ kind: ChaosKind, _ payload: [UInt8]) {
        expected["\(device)/\(id)"] = kind
        if kind.isValid { validKeys.insert("\(device)/\(id)") }
        if kind == .valid || kind == .outOfOrder || kind == .burstAfterRestart {
            pendingPayloads["\(device)/\(id)"] = payload
        }
        publisher.send(device: device, eventID: id, payload: payload)
    }

    func raw(_ device: String, _ payload: [UInt8]) {
        _ = try? publisher.client.publish(topics.topic(device: device, .events), payload, qos: 1)
    }

    func answered(_ device: String, _ ack: Ack) {
        let key = "\(device)/\(ack.eventID)"
        guard let kind = expected.removeValue(forKey: key) else { return }
        report.update(kind) {
            switch ack.status {
            case .accepted: $0.accepted += 1
            case .duplicate: $0.duplicate += 1
            case .rejected: $0.rejected += 1
            }
        }
        switch (kind.isValid, ack.status) {
        case (true, .rejected):
            report.failures.append("\(kind.rawValue) \(key) was rejected: \(ack.error ?? "")")
        case (false, .accepted), (false, .duplicate):
            report.failures.append("\(kind.rawValue) \(key) was wrongly \(ack.status.rawValue)")
        case (true, _):
            // A first send answered `duplicate` is fine only if a resend crossed a lost ack; a
            // duplicate or replay answered `accepted` would mean the first copy was not stored.
            if (kind == .duplicate || kind == .replay) && ack.status == .accepted {
                report.failures.append("\(kind.rawValue) \(key) was accepted as new: the first copy was not stored")
            }
            if let p = pendingPayloads.removeValue(forKey: key) { acked.append((device, ack.eventID, p)) }
        default:
            break
        }
    }

    var pendingPayloads: [String: [UInt8]] = [:]
}
