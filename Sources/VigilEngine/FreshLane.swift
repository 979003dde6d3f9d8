import Mosquitto
import VigilCore
import VigilWire

/// A second MQTT session, clean and short-lived, that reads device events and observations
/// published *now* while the persistent session is still delivering what the broker queued while the
/// daemon was away (docs/design.md, "The fresh lane").
///
/// The broker delivers one session's messages in order, so without it a press made during the drain
/// of a million queued events waits behind all of them (117 s, BENCHMARKS.md). The persistent
/// session still receives every message: the lane only gives fresh ones a head start, and the copy
/// the persistent session delivers later is a duplicate the store already holds. Nothing depends on
/// the lane for durability; losing it loses nothing.
///
/// It ends when the persistent session has caught up: once the lane is subscribed, the daemon
/// publishes a mark (a nonce) on a topic only its persistent session reads. The broker queues the
/// mark behind the backlog, so when the mark comes back every message queued before the lane opened
/// has been delivered, and every message after it reaches the persistent session promptly.
final class FreshLane {
    let client: MosquittoClient
    /// The mark's payload: this lane's own, so a mark left queued by an earlier run is not taken for it.
    let mark: [UInt8]
    let openedAt: EpochMillis
    private var subacks = 0
    private var markSent = false
    /// Messages the lane gave the engine, and messages the persistent session delivered meanwhile.
    var fresh = 0
    var drained = 0

    /// The subscriptions: device events and observations only. Console commands and Zigbee2MQTT
    /// state are not idempotent (they carry no id the store dedupes), so they keep their order in the
    /// persistent session.
    static func topics(_ topics: Topics) -> [String] { [topics.allEvents, topics.allObservations] }

    /// Past this the lane ends even if the mark never came back (a broker ACL that denies reading it).
    static let maxOpenMillis: EpochMillis = 10 * 60_000

    init(settings: IngestSettings, now: EpochMillis) throws(MosquittoError) {
        client = try MosquittoClient(.init(
            host: settings.host, port: settings.port, clientID: "\(settings.clientID)-fresh", cleanSession: true,
            keepAliveSeconds: 30, username: settings.username, password: settings.password, maxInflight: MosquittoClient.Options.boundedInflight))
        for t in Self.topics(settings.topics) { try client.subscribe(t, qos: 1) }
        mark = Array("\(String(UInt64.random(in: .min ... .max), radix: 16))-\(now)".utf8)
        openedAt = now
    }

    /// The lane's SUBACKs: once both have come, the mark may go (it must follow the subscriptions,
    /// or messages between the mark and the subscription would reach neither lane nor catch-up).
    /// Returns true once, when the mark should be published.
    func subscribed(topics: Topics) -> Bool {
        subacks += 1
        guard !markSent, subacks >= Self.topics(topics).count else { return false }
        markSent = true
        return true
    }

    func close() {
        client.disconnect()
    }
}
