import CMosquitto

#if canImport(Glibc)
import Glibc
#endif

/// Initialises libmosquitto once per process (a lazily run global, thread-safe by Swift's rules).
private let libraryInitialised: Bool = {
    mosquitto_lib_init()
    signal(SIGPIPE, SIG_IGN)
    return true
}()

/// Where the C callbacks leave copies of what they were given. Only ever touched on the thread that
/// drives the client: libmosquitto calls back synchronously from inside `mosquitto_loop_read`/`write`.
final class Inbox {
    var events: [MQTTEvent] = []
    var sessionPresent = false
}

/// The one Swift owner of a libmosquitto client handle.
///
/// The client runs in "external loop" mode (`mosquitto_threaded_set(true)`): nothing is sent until
/// `write()` is called. That lets the daemon read a batch, commit it, and only then let the PUBACKs
/// and acks leave — libmosquitto queues a PUBACK *before* calling the message callback (docs/design.md, "Ingest").
///
/// Not thread-safe: one thread owns a client for its whole life.
public final class MosquittoClient {
    public struct Options: Sendable {
        public var host: String
        public var port: Int32
        public var clientID: String?
        /// False for a persistent session: the broker keeps QoS 1 messages while we are away.
        public var cleanSession: Bool
        public var keepAliveSeconds: Int32
        public var username: String?
        public var password: String?
        /// How many QoS 1 messages we may have unacknowledged in flight; 0 means no limit.
        ///
        /// No limit costs a client that publishes a lot, and it grows with the work: libmosquitto
        /// 2.0 walks its list of unacknowledged outgoing messages each time it looks for one to
        /// release (perf found the daemon in that loop), and with no limit that list is every message
        /// not yet PUBACKed and the walk runs to its end. Draining a backlog of 100,000 events, the daemon's acks piled up there and its
        /// drain rate fell from 8,000 to 450 a second, two thirds of its CPU in that one loop (perf);
        /// with `boundedInflight` the walk stops at the first held message and the rate stays flat
        /// (BENCHMARKS.md, "Recovery").
        public var maxInflight: UInt32
        /// The limit for a client that publishes an answer to everything it reads (the daemon's
        /// acks, the ack-only ceiling): far above what one turn's batch leaves in flight.
        public static let boundedInflight: UInt32 = 1_000
        /// What the broker publishes for us if we vanish without a DISCONNECT (a crash, a cut
        /// network, a missed keep-alive). Set once; it holds for every reconnect.
        public var will: MQTTMessage?

        public init(host: String, port: Int32, clientID: String? = nil, cleanSession: Bool = true, keepAliveSeconds: Int32 = 30, username: String? = nil, password: String? = nil, maxInflight: UInt32 = 0, will: MQTTMessage? = nil) {
            self.will = will
            self.host = host
            self.port = port
            self.clientID = clientID
            self.cleanSession = cleanSession
            self.keepAliveSeconds = keepAliveSeconds
            self.username = username
            self.password = password
            self.maxInflight = maxInflight
        }
    }

    public let options: Options
    private let handle: OpaquePointer
    private let inbox = Inbox()
    private var subscriptions: [(topic: String, qos: Int32)] = []
    private var backoff = Backoff()
    /// True between an accepted CONNACK and the next disconnect.
    public private(set) var isConnected = false
    private var socketOpen = false
    private var configured = false

    public init(_ options: Options) throws(MosquittoError) {
        precondition(libraryInitialised)
        self.options = options
        guard let h = mosquitto_new(options.clientID, options.cleanSession, Unmanaged.passUnretained(inbox).toOpaque()) else {
            throw MosquittoError(Int32(MOSQ_ERR_ERRNO.rawValue), "create client")
        }
        handle = h
        try check(mosquitto_threaded_set(h, true), "set external loop mode")
        try check(mosquitto_int_option(h, MOSQ_OPT_PROTOCOL_VERSION, Int32(MQTT_PROTOCOL_V311)), "set protocol version")
        // Without TCP_NODELAY a small request/reply waits ~40 ms on Nagle + delayed ACK (measured: p50 40–50 ms → 0.4 ms once disabled on both sides).
        try check(mosquitto_int_option(h, MOSQ_OPT_TCP_NODELAY, 1), "set TCP_NODELAY")
        try check(mosquitto_max_inflight_messages_set(h, options.maxInflight), "set max inflight")
        if let will = options.will {
            let rc = will.payload.withUnsafeBytes { raw in
                mosquitto_will_set(h, will.topic, Int32(will.payload.count), raw.baseAddress, will.qos, will.retain)
            }
            try check(rc, "set the last will on \(will.topic)")
        }
        if let user = options.username {
            try check(mosquitto_username_pw_set(h, user, options.password), "set credentials")
        }
        mosquitto_connect_with_flags_callback_set(h) { _, obj, rc, flags in
            let inbox = Unmanaged<Inbox>.fromOpaque(obj!).takeUnretainedValue()
            inbox.sessionPresent = rc == 0 && (flags & 1) != 0
            inbox.events.append(.connected(code: rc))
        }
        mosquitto_disconnect_callback_set(h) { _, obj, rc in
            Unmanaged<Inbox>.fromOpaque(obj!).takeUnretainedValue().events.append(.disconnected(code: rc))
        }
        mosquitto_publish_callback_set(h) { _, obj, mid in
            Unmanaged<Inbox>.fromOpaque(obj!).takeUnretainedValue().events.append(.published(mid: mid))
        }
        mosquitto_subscribe_callback_set(h) { _, obj, mid, _, _ in
            Unmanaged<Inbox>.fromOpaque(obj!).takeUnretainedValue().events.append(.subscribed(mid: mid))
        }
        mosquitto_message_callback_set(h) { _, obj, message in
            // Copy out: libmosquitto frees the message as soon as this returns. Never block here.
            guard let obj, let m = message?.pointee else { return }
            let topic = m.topic.map { String(cString: $0) } ?? ""
            let payload: [UInt8] = m.payloadlen > 0 && m.payload != nil
                ? Array(UnsafeRawBufferPointer(start: m.payload, count: Int(m.payloadlen))) : []
            Unmanaged<Inbox>.fromOpaque(obj).takeUnretainedValue().events.append(
                .message(MQTTMessage(topic: topic, payload: payload, qos: m.qos, retain: m.retain)))
        }
    }

    deinit {
        mosquitto_destroy(handle)
    }

    private func check(_ rc: Int32, _ operation: String) throws(MosquittoError) {
        if rc != Int32(MOSQ_ERR_SUCCESS.rawValue) { throw MosquittoError(rc, operation) }
    }

    /// Opens the TCP connection and queues CONNECT (sent by the next `write()`).
    public func connect() throws(MosquittoError) {
        try check(mosquitto_connect(handle, options.host, options.port, options.keepAliveSeconds), "connect to \(options.host):\(options.port)")
        configured = true
        socketOpen = true
    }

    /// Subscriptions are remembered and renewed after every reconnect.
    public func subscribe(_ topic: String, qos: Int32 = 1) throws(MosquittoError) {
        subscriptions.append((topic, qos))
        if isConnected { try check(mosquitto_subscribe(handle, nil, topic, qos), "subscribe \(topic)") }
    }

    /// Forgets a subscription: unsubscribed now if connected, and not renewed after a reconnect.
    public func unsubscribe(_ topic: String) throws(MosquittoError) {
        subscriptions.removeAll { $0.topic == topic }
        if isConnected { try check(mosquitto_unsubscribe(handle, nil, topic), "unsubscribe \(topic)") }
    }

    /// Queues a publish; returns its message id (matched later by `.published(mid:)` for QoS 1).
    @discardableResult
    public func publish(_ topic: String, _ payload: [UInt8], qos: Int32 = 1, retain: Bool = false) throws(MosquittoError) -> Int32 {
        var mid: Int32 = 0
        let rc = payload.withUnsafeBytes { raw in
            mosquitto_publish(handle, &mid, topic, Int32(payload.count), raw.baseAddress, qos, retain)
        }
        try check(rc, "publish to \(topic)")
        return mid
    }

    /// Queues DISCONNECT and flushes it (best effort).
    public func disconnect() {
        guard socketOpen else { return }
        _ = mosquitto_disconnect(handle)
        _ = try? write()
        socketOpen = false
        isConnected = false
    }

    public var socket: Int32 { mosquitto_socket(handle) }
    /// From the last CONNACK: whether the broker kept a session (and so possibly queued messages) for
    /// this client id.
    public var sessionPresent: Bool { inbox.sessionPresent }
    public var wantsWrite: Bool { mosquitto_want_write(handle) }

    /// Waits up to `timeoutMilliseconds` for the socket to become readable (or writable, when there is
    /// something to send). Returns whether it is readable.
    public func waitReadable(timeoutMilliseconds: Int32) -> Bool {
        // Called for every read of a batch: one pollfd on the stack, no arrays.
        let fd = socket
        guard fd >= 0 else { return false }
        var p = pollfd(fd: fd, events: Int16(POLLIN) | (wantsWrite ? Int16(POLLOUT) : 0), revents: 0)
        let n = poll(&p, 1, timeoutMilliseconds)
        return n > 0 && (p.revents & (Int16(POLLIN) | Int16(POLLHUP) | Int16(POLLERR))) != 0
    }

    /// The same for several clients at once: one `poll` over their sockets. Returns, for each
    /// client in order, whether its socket is readable (false for one with no socket).
    public static func waitReadable(_ clients: [MosquittoClient], timeoutMilliseconds: Int32) -> [Bool] {
        var fds = clients.map { c in
            pollfd(fd: c.socket, events: Int16(POLLIN) | (c.wantsWrite ? Int16(POLLOUT) : 0), revents: 0)
        }
        // poll ignores negative descriptors; with none open there is nothing to wait for.
        guard fds.contains(where: { $0.fd >= 0 }) else { return clients.map { _ in false } }
        let n = poll(&fds, nfds_t(fds.count), timeoutMilliseconds)
        return fds.map { n > 0 && $0.fd >= 0 && ($0.revents & (Int16(POLLIN) | Int16(POLLHUP) | Int16(POLLERR))) != 0 }
    }

    /// Reads everything the socket has ready, handling it in libmosquitto (which queues PUBACKs but,
    /// in this mode, does not send them). Returns what happened, messages copied out.
    public func read() throws(MosquittoError) -> [MQTTEvent] {
        let rc = mosquitto_loop_read(handle, 1)
        let events = drain()
        if rc != Int32(MOSQ_ERR_SUCCESS.rawValue) {
            lost(rc)
            inbox.events = events + [.disconnected(code: rc)]
            throw MosquittoError(rc, "read")
        }
        return events
    }

    /// Sends what is queued: PUBACKs, publishes, pings.
    public func write() throws(MosquittoError) {
        guard socketOpen else { return }
        let rc = mosquitto_loop_write(handle, 1)
        if rc != Int32(MOSQ_ERR_SUCCESS.rawValue) {
            lost(rc)
            throw MosquittoError(rc, "write")
        }
    }

    /// Keep-alive pings and retries of unacknowledged publishes.
    public func misc() throws(MosquittoError) {
        guard socketOpen else { return }
        let rc = mosquitto_loop_misc(handle)
        if rc != Int32(MOSQ_ERR_SUCCESS.rawValue) {
            lost(rc)
            throw MosquittoError(rc, "keep-alive")
        }
    }

    /// Events produced outside `read()` (a disconnect noticed while writing), to be collected.
    public func drain() -> [MQTTEvent] {
        let events = inbox.events
        inbox.events.removeAll(keepingCapacity: true)
        for e in events {
            switch e {
            case .connected(let code):
                isConnected = code == 0
                // A refused CONNACK (bad credentials) must wait like a refused TCP connect.
                if code != 0 { backoff.failed() }
                if code == 0 {
                    backoff.accepted()
                    for s in subscriptions { _ = mosquitto_subscribe(handle, nil, s.topic, s.qos) }
                }
            case .disconnected:
                isConnected = false
                backoff.disconnected()
            default:
                break
            }
        }
        return events
    }

    private func lost(_ rc: Int32) {
        isConnected = false
        socketOpen = mosquitto_socket(handle) >= 0
    }

    /// Reconnects when the connection is down and the backoff allows. Returns true if a TCP
    /// connection is open afterwards (CONNACK still to come).
    public func reconnectIfNeeded() -> Bool {
        if socketOpen && socket >= 0 { return true }
        guard backoff.due() else { return false }
        // The first attempt must go through mosquitto_connect, which records the host and port.
        let rc = configured ? mosquitto_reconnect(handle)
            : mosquitto_connect(handle, options.host, options.port, options.keepAliveSeconds)
        if rc == Int32(MOSQ_ERR_SUCCESS.rawValue) || rc == Int32(MOSQ_ERR_ERRNO.rawValue) { configured = true }
        if rc == Int32(MOSQ_ERR_SUCCESS.rawValue) {
            socketOpen = true
            return true
        }
        backoff.failed()
        return false
    }

    /// The most reads one `pump` makes while the socket stays readable.
    static let readsPerPump = 1_024

    /// One whole turn for clients that store nothing (simulators, the CLI): wait, read, write, pings,
    /// reconnecting with backoff when the broker is away.
    ///
    /// It reads on while the socket has more: `mosquitto_loop_read` handles as many packets as the
    /// client has QoS 1 messages queued, and only one once those are answered, so a device reading
    /// once per turn took one ack per turn (300 acks sent in 45 ms reached a test device 10 ms apart).
    public func pump(timeoutMilliseconds: Int32) -> [MQTTEvent] {
        guard reconnectIfNeeded() else {
            usleep(UInt32(min(timeoutMilliseconds, 50)) * 1000)
            return drain()
        }
        var events: [MQTTEvent] = []
        var reads = 0
        var readable = waitReadable(timeoutMilliseconds: timeoutMilliseconds)
        while readable {
            do { events += try read() } catch {
                events += drain()
                break
            }
            reads += 1
            readable = reads < Self.readsPerPump && waitReadable(timeoutMilliseconds: 0)
        }
        do {
            try write()
            try misc()
        } catch {}
        return events + drain()
    }
}

/// Reconnect backoff: 100 ms doubling to 5 s, reset once a connection has lasted `stableAfter`. A
/// connection dropped sooner (another client taking over the same client id, a broker that accepts
/// and then closes) keeps the delay growing, so two daemons with one id fight five times a minute,
/// not eight times a second.
struct Backoff {
    private var delayNanoseconds: UInt64 = 0
    private var notBefore: ContinuousClock.Instant?
    private var acceptedAt: ContinuousClock.Instant?
    static let stableAfter: Duration = .seconds(5)

    mutating func reset() {
        delayNanoseconds = 0
        notBefore = nil
    }

    /// The broker accepted the connection; the delay is forgiven only if it lasts.
    mutating func accepted() {
        acceptedAt = ContinuousClock.now
        notBefore = nil
    }

    /// The connection went: a short-lived one counts as a failure.
    mutating func disconnected() {
        guard let at = acceptedAt else { return }
        acceptedAt = nil
        if ContinuousClock.now - at >= Self.stableAfter { reset() } else { failed() }
    }

    func due() -> Bool {
        guard let notBefore else { return true }
        return ContinuousClock.now >= notBefore
    }

    mutating func failed() {
        delayNanoseconds = delayNanoseconds == 0 ? 100_000_000 : min(delayNanoseconds * 2, 5_000_000_000)
        notBefore = ContinuousClock.now.advanced(by: .nanoseconds(Int64(delayNanoseconds)))
    }
}
