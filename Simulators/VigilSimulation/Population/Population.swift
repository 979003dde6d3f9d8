import Foundation
import HeapModule
import VigilCore
import VigilEngine
import VigilStore
import VigilWire

/// Drives every registered device with its model, a whole caseload from one process: one MQTT
/// connection, one heap of next-event times, resends handled by `AckingPublisher`. Virtual time
/// runs `speed` times faster than the wall clock from the moment the run starts.
public final class Population {
    public struct Options: Sendable {
        public var speed: Double
        public var seed: UInt64
        /// Most events waiting for an ack at once; past it, sending pauses (and virtual time falls behind).
        public var window: Int
        public var summaryEverySeconds: Double
        /// Stop after this many real seconds (nil: until stopped).
        public var durationSeconds: Double?
        /// Telehealth kits send their readings as FHIR R4 Observations instead of wire v1.
        public var fhir: Bool
        /// The Zigbee2MQTT base topic for devices registered with a friendly name.
        public var zigbeeBase: String

        public init(speed: Double = 1, seed: UInt64 = 1, window: Int = 5_000, summaryEverySeconds: Double = 5, durationSeconds: Double? = nil, fhir: Bool = false, zigbeeBase: String = "zigbee2mqtt") {
            self.fhir = fhir
            self.zigbeeBase = zigbeeBase
            self.speed = speed
            self.seed = seed
            self.window = window
            self.summaryEverySeconds = summaryEverySeconds
            self.durationSeconds = durationSeconds
        }
    }

    /// A due event of one device, or the moment to generate that device's next chunk.
    struct Due: Comparable {
        var at: EpochMillis
        var device: Int32
        var order: UInt64
        var event: ScheduledEvent?
        static func < (a: Due, b: Due) -> Bool { (a.at, a.order) < (b.at, b.order) }
        static func == (a: Due, b: Due) -> Bool { a.at == b.at && a.order == b.order }
    }

    public struct Summary: Sendable {
        public var realSeconds: Double = 0
        public var virtualSeconds: Double = 0
        public var devices = 0
        public var people = 0
        public var sent = 0
        public var acked = 0
        public var rejected = 0
        public var resends = 0
        public var outstanding = 0
        /// State payloads published as a Zigbee2MQTT bridge (QoS 1, no application ack).
        public var zigbee = 0
        /// Seconds by which sending lags virtual time (0 when keeping up).
        public var behindSeconds: Double = 0
        public var alarmsByType: [String: Int] = [:]

        public var line: String {
            let alarms = alarmsByType.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            let rate = realSeconds > 0 ? Double(acked) / realSeconds : 0
            return String(format: "t=%.0fs virtual=+%.1fh people=%d devices=%d sent=%d acked=%d (%.0f/s) rejected=%d resends=%d outstanding=%d zigbee=%d behind=%.0fs alarms: %@",
                          realSeconds, virtualSeconds / 3600, people, devices, sent, acked, rate, rejected, resends, outstanding, zigbee, behindSeconds, alarms.isEmpty ? "none" : alarms)
        }
    }

    /// Virtual time generated per refill: small enough to keep the heap short, big enough to be cheap.
    static let chunk = VirtualTime.hour
    let options: Options
    let publisher: AckingPublisher
    var devices: [SimulatedDevice]
    var rngs: [SplitMix64]
    var heap = Heap<Due>()
    var order: UInt64 = 0
    var sequence = 0
    let runTag: String
    var typeOf: [String: EventType] = [:]
    /// Friendly name and bridge state of each device registered as a Zigbee device.
    var zigbee: [Int: (name: String, emitter: ZigbeeEmitter)] = [:]
    public private(set) var summary = Summary()

    public init(devices: [DeviceRecord], users: [UserRecord], broker host: String, port: Int32, topics: Topics, options: Options) throws {
        self.options = options
        let dementia = Set(users.filter { $0.groups.contains(.dementia) }.map(\.id))
        var seeder = SplitMix64(seed: options.seed)
        var built: [SimulatedDevice] = []
        var rngs: [SplitMix64] = []
        for d in devices {
            // One generator per device, so each device's story does not depend on the others'.
            var rng = SplitMix64(seed: seeder.next())
            if let name = d.zigbeeName { zigbee[built.count] = (name, ZigbeeEmitter(kind: d.kind)) }
            built.append(SimulatedDevice.standard(id: d.id, kind: d.kind, dementia: dementia.contains(d.userID), heartbeatSeconds: d.heartbeatSeconds, rng: &rng))
            rngs.append(rng)
        }
        self.devices = built
        self.rngs = rngs
        runTag = String(UInt64(Date().timeIntervalSince1970 * 1000), radix: 36)
        publisher = try AckingPublisher(broker: host, port: port, topics: topics, clientID: "vigil-sim-run-\(runTag)", resendAfterMilliseconds: 5_000)
        summary.devices = devices.count
        summary.people = Set(devices.map(\.userID)).count
        publisher.onAck = { [unowned self] device, ack in
            let type = self.typeOf.removeValue(forKey: "\(device)/\(ack.eventID)")
            if ack.alarm != nil, ack.status == .accepted, let type { self.summary.alarmsByType[type.rawValue, default: 0] += 1 }
        }
    }

    public func run(stopper: StopFlag, log: (String) -> Void) throws {
        guard publisher.waitUntilReady(seconds: 10) else { throw SimulationError("Could not reach the broker within 10 s.") }
        let startReal = monotonicNanos()
        let startVirtual = EpochMillis(Date().timeIntervalSince1970 * 1000)
        for i in devices.indices { push(Due(at: startVirtual, device: Int32(i), order: 0, event: nil)) }
        var nextSummary = startReal + UInt64(options.summaryEverySeconds * 1e9)
        while !stopper.isStopped {
            let real = monotonicNanos()
            if let d = options.durationSeconds, Double(real - startReal) / 1e9 >= d { break }
            let vnow = startVirtual + EpochMillis(Double(real - startReal) / 1e6 * options.speed)
            while publisher.outstanding < options.window, let top = heap.min, top.at <= vnow {
                let due = heap.removeMin()
                if let e = due.event { send(e, device: Int(due.device)) } else { refill(Int(due.device), from: due.at) }
            }
            if let top = heap.min { summary.behindSeconds = max(0, Double(vnow - top.at) / 1000) }
            publisher.service(timeoutMilliseconds: 2)
            if real >= nextSummary {
                update(startReal: startReal, vnow: vnow, startVirtual: startVirtual)
                log(summary.line)
                nextSummary += UInt64(options.summaryEverySeconds * 1e9)
            }
        }
        // Give outstanding events a last chance to be acked, as a unit would keep trying.
        let deadline = monotonicNanos() + 10_000_000_000
        while publisher.outstanding > 0 && monotonicNanos() < deadline { publisher.service(timeoutMilliseconds: 10) }
        let real = monotonicNanos()
        update(startReal: startReal, vnow: startVirtual + EpochMillis(Double(real - startReal) / 1e6 * options.speed), startVirtual: startVirtual)
        log(summary.line)
        publisher.client.disconnect()
    }

    func update(startReal: UInt64, vnow: EpochMillis, startVirtual: EpochMillis) {
        summary.realSeconds = Double(monotonicNanos() - startReal) / 1e9
        summary.virtualSeconds = Double(vnow - startVirtual) / 1000
        summary.sent = publisher.counts.sent
        summary.acked = publisher.counts.acked
        summary.rejected = publisher.counts.rejected
        summary.resends = publisher.counts.resends
        summary.outstanding = publisher.outstanding
    }

    func push(_ d: Due) {
        var d = d
        order += 1
        d.order = order
        heap.insert(d)
    }

    func refill(_ i: Int, from: EpochMillis) {
        let to = from + Self.chunk
        for e in devices[i].events(from: from, to: to, rng: &rngs[i]) { push(Due(at: e.at, device: Int32(i), order: 0, event: e)) }
        push(Due(at: to, device: Int32(i), order: 0, event: nil))
    }

    func send(_ e: ScheduledEvent, device i: Int) {
        sequence += 1
        let id = "\(runTag)-\(sequence)"
        let device = devices[i].id
        // A Zigbee device speaks through the bridge: whole-state payloads, the broker's PUBACK only.
        if var z = zigbee[i], let messages = z.emitter.messages(for: e) {
            zigbee[i] = z
            for m in messages { _ = try? publisher.client.publish("\(options.zigbeeBase)/\(z.name)", publisher.wire.encode(m), qos: 1) }
            summary.zigbee += messages.count
            return
        }
        if options.fhir, let observations = e.fhirObservations(idPrefix: id) {
            for (n, o) in observations.enumerated() {
                if n == 0 { typeOf["\(device)/\(o.id)"] = .vitals }
                publisher.send(device: device, o)
            }
            return
        }
        // Count alarms by what raised them; a cancel or clear names the alarm it closes, not a new one.
        if ![.heartbeat, .cancel, .clear].contains(e.type) { typeOf["\(device)/\(id)"] = e.type }
        publisher.send(device: device, e.wireMessage(id: id))
    }
}
