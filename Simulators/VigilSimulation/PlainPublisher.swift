import Mosquitto
import VigilWire

/// A third-party publisher (a Zigbee2MQTT bridge, say): QoS 1, never resends on a missing
/// application ack. What the broker acknowledged to it is all it can rely on.
public enum PlainPublisher {
    /// Publishes the plan's events at its rate; returns the ids whose PUBACK arrived.
    public static func run(_ plan: FloodPlan, broker host: String, port: Int32, topics: Topics,
                           username: String? = nil, password: String? = nil) throws -> [String] {
        let client = try MosquittoClient(.init(host: host, port: port, clientID: nil, cleanSession: true,
                                               username: username, password: password, maxInflight: 0))
        var connected = false
        let deadline = monotonicNanos() + 10_000_000_000
        while !connected && monotonicNanos() < deadline {
            for case .connected(let code) in client.pump(timeoutMilliseconds: 20) where code == 0 { connected = true }
        }
        guard connected else { throw SimulationError("Could not connect to \(host):\(port) within 10 s.") }
        let wire = WireEncoder()
        var idByMid: [Int32: String] = [:]
        var confirmed: [String] = []
        let rate = plan.rate ?? 1_000
        let start = monotonicNanos()
        var next = 0
        let giveUp = start + UInt64(plan.giveUpAfterSeconds * 1e9)
        while monotonicNanos() < giveUp {
            let due = min(plan.events, Int(Double(monotonicNanos() - start) / 1e9 * rate) + 1)
            while next < due {
                let e = plan.event(next)
                if let mid = try? client.publish(topics.topic(device: e.device, .events), wire.encode(e.message), qos: 1) { idByMid[mid] = e.message.id }
                next += 1
            }
            for case .published(let mid) in client.pump(timeoutMilliseconds: 2) {
                if let id = idByMid.removeValue(forKey: mid) { confirmed.append(id) }
            }
            if next >= plan.events && idByMid.isEmpty { break }
        }
        client.disconnect()
        return confirmed
    }
}
