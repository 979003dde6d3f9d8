import Mosquitto
import VigilWire

/// A third-party publisher (a Zigbee2MQTT bridge, say): QoS 1, never resends on a missing
/// application ack. What the broker acknowledged to it is all it can rely on.
public enum PlainPublisher {
    /// Publishes the plan's events at its rate; returns the ids whose PUBACK arrived.
    public static func run(_ plan: FloodPlan, broker host: String, port: Int32, topics: Topics,
                           username: String? = nil, password: String? = nil) throws -> [String] {
        let client = try MosquittoClient(.init(host: host, port: port, clientID: nil, cleanSession: true,
                                               username: username, password: password, maxInflight: MosquittoClient.Options.boundedInflight))
        var connected = false
        let deadline = monotonicNanos() + 10_000_000_000
        while !connected && monotonicNanos() < deadline {
            for case .connected(let code) in client.pump(timeoutMilliseconds: 20) where code == 0 { connected = true }
        }
        guard connected else { throw SimulationError("Could not connect to \(host):\(port) within 10 s.") }
        let wire = WireEncoder()
        // A mid is 16 bits: past 65,535 messages waiting for their PUBACK, two share one. PUBACKs for
        // one mid come back in the order the messages were sent, so each mid keeps a queue of ids.
        var idsByMid: [Int32: [String]] = [:]
        var waiting = 0
        var confirmed: [String] = []
        let rate = plan.rate ?? 1_000
        let start = monotonicNanos()
        var next = 0
        let giveUp = start + UInt64(plan.giveUpAfterSeconds * 1e9)
        while monotonicNanos() < giveUp {
            let due = min(plan.events, Int(Double(monotonicNanos() - start) / 1e9 * rate) + 1)
            while next < due {
                let e = plan.event(next)
                if let mid = try? client.publish(topics.topic(device: e.device, .events), wire.encode(e.message), qos: 1) {
                    idsByMid[mid, default: []].append(e.message.id)
                    waiting += 1
                }
                next += 1
            }
            for case .published(let mid) in client.pump(timeoutMilliseconds: 2) {
                guard var ids = idsByMid[mid], !ids.isEmpty else { continue }
                confirmed.append(ids.removeFirst())
                idsByMid[mid] = ids.isEmpty ? nil : ids
                waiting -= 1
            }
            if next >= plan.events && waiting == 0 { break }
        }
        client.disconnect()
        return confirmed
    }
}
