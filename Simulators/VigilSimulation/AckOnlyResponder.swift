#if canImport(Glibc)
import Glibc
#endif
import Mosquitto
import VigilEngine
import VigilWire

/// The ceiling of the ack loop: receives device events and acks them `accepted` without storing
/// anything, on the same client settings and loop shape as `vigil serve`. Benchmarks run it in
/// place of the daemon to measure what the broker and this machine allow.
public enum AckOnlyResponder {
    public static func run(broker host: String, port: Int32, topics: Topics, clientID: String = "vigil-ack-only", stopper: StopFlag) throws -> Int {
        let client = try MosquittoClient(.init(host: host, port: port, clientID: clientID, cleanSession: false, maxInflight: MosquittoClient.Options.boundedInflight))
        try client.subscribe(topics.allEvents, qos: 1)
        var answered = 0
        let wire = WireEncoder()
        while !stopper.isStopped {
            guard client.reconnectIfNeeded() else {
                usleep(50_000) // the client's backoff decides when; do not spin meanwhile
                continue
            }
            if client.waitReadable(timeoutMilliseconds: 100) {
                var messages: [MQTTMessage] = []
                repeat {
                    guard let events = try? client.read() else { break }
                    for case .message(let m) in events { messages.append(m) }
                } while client.waitReadable(timeoutMilliseconds: 0) && messages.count < 2_000
                for m in messages {
                    guard let (device, _) = topics.parse(m.topic) else { continue }
                    let ack: Ack
                    // The benchmark's responder stores nothing, so no receive time is needed.
                    switch EventDecoder.decode(m.payload, deviceID: device, receivedAt: 0) {
                    case .success(let e): ack = Ack(eventID: e.eventID, status: .accepted)
                    case .failure(let r):
                        guard let id = r.eventID else { continue }
                        ack = Ack(eventID: id, status: .rejected, error: r.reason.sentence)
                    }
                    _ = try? client.publish(topics.topic(device: device, .acks), wire.encode(ack), qos: 1)
                    answered += 1
                }
            }
            _ = client.drain()
            try? client.write()
            try? client.misc()
        }
        client.disconnect()
        return answered
    }
}
