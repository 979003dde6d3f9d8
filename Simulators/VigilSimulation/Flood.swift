import Foundation
import VigilCore
import VigilEngine
import VigilWire

/// A load run: `events` events spread over `devices`, at a steady `rate` or as fast as a window of
/// unacknowledged events allows.
public struct FloodPlan: Sendable {
    public var devices: [String]
    public var events: Int
    /// Events per second; nil means closed loop (keep `window` events in flight).
    public var rate: Double?
    public var window: Int
    public var resendAfterMilliseconds: UInt64
    /// Makes event ids unique across runs.
    public var runID: String
    /// Stop waiting for missing acks after this long.
    public var giveUpAfterSeconds: Double

    public init(devices: [String], events: Int, rate: Double? = nil, window: Int = 200, resendAfterMilliseconds: UInt64 = 2_000, runID: String, giveUpAfterSeconds: Double = 120) {
        self.devices = devices
        self.events = events
        self.rate = rate
        self.window = window
        self.resendAfterMilliseconds = resendAfterMilliseconds
        self.runID = runID
        self.giveUpAfterSeconds = giveUpAfterSeconds
    }

    /// The kinds of event a plan sends.
    public enum Kind: CaseIterable, Sendable {
        case heartbeat, button, temperature

        /// The message of this kind with the given id and device clock.
        public func message(id: String, ts: String) -> EventMessage {
            switch self {
            case .button: EventMessage(id: id, ts: ts, type: .button, battery: 90)
            case .temperature: EventMessage(id: id, ts: ts, type: .temperature, detail: ["celsius": .number(21.5)])
            case .heartbeat: EventMessage(id: id, ts: ts, type: .heartbeat, battery: 90)
            }
        }
    }

    /// The n-th event's kind: mostly heartbeats, a pendant press and a temperature reading in every
    /// fifty, spread over every device rather than only the first (vigil-load's `publish_event`
    /// follows the same rule).
    public func kind(_ n: Int) -> Kind {
        switch (n + n / devices.count) % 50 {
        case 0: .button
        case 25: .temperature
        default: .heartbeat
        }
    }

    /// The n-th event and the device that sends it.
    public func event(_ n: Int) -> (device: String, message: EventMessage) {
        let ts = RFC3339.format(millis: Int64(Date().timeIntervalSince1970 * 1000))
        return (devices[n % devices.count], kind(n).message(id: "\(runID)-\(n)", ts: ts))
    }

    /// The ids this plan sends, for checking the database afterwards.
    public var eventIDs: [String] { (0..<events).map { "\(runID)-\($0)" } }
}

public struct FloodReport: Sendable {
    public var counts: AckingPublisher.Counts
    public var unacked: [String]
    public var seconds: Double
    public var p50Micros: UInt64
    public var p90Micros: UInt64
    public var p99Micros: UInt64
    public var maxMicros: UInt64

    /// Acked events per second over the whole run.
    public var throughput: Double { seconds > 0 ? Double(counts.acked) / seconds : 0 }

    public var text: String {
        """
        sent        \(counts.sent) (+\(counts.resends) resends)
        acked       \(counts.acked): \(counts.accepted) accepted, \(counts.duplicates) duplicate, \(counts.rejected) rejected
        unacked     \(unacked.count)
        elapsed     \(String(format: "%.2f", seconds)) s, \(String(format: "%.0f", throughput)) acked events/s
        publish→ack p50 \(Self.ms(p50Micros))  p90 \(Self.ms(p90Micros))  p99 \(Self.ms(p99Micros))  max \(Self.ms(maxMicros))
        """
    }

    /// One line of JSON, for scripts: counts, seconds, events/s and latencies in milliseconds.
    public var json: String {
        String(decoding: WireEncoder().encode(Line(self)), as: UTF8.self)
    }

    struct Line: Encodable {
        var sent: Int
        var resends: Int
        var acked: Int
        var accepted: Int
        var duplicates: Int
        var rejected: Int
        var unacked: Int
        var seconds: Double
        var throughput: Double
        var p50Ms: Double
        var p90Ms: Double
        var p99Ms: Double
        var maxMs: Double

        init(_ r: FloodReport) {
            sent = r.counts.sent
            resends = r.counts.resends
            acked = r.counts.acked
            accepted = r.counts.accepted
            duplicates = r.counts.duplicates
            rejected = r.counts.rejected
            unacked = r.unacked.count
            seconds = (r.seconds * 1000).rounded() / 1000
            throughput = (r.throughput * 10).rounded() / 10
            // Whole microseconds are exact in milliseconds to three places.
            p50Ms = Double(r.p50Micros) / 1000
            p90Ms = Double(r.p90Micros) / 1000
            p99Ms = Double(r.p99Micros) / 1000
            maxMs = Double(r.maxMicros) / 1000
        }

        enum CodingKeys: String, CodingKey {
            case sent, resends, acked, accepted, duplicates, rejected, unacked, seconds, throughput
            case p50Ms = "p50_ms", p90Ms = "p90_ms", p99Ms = "p99_ms", maxMs = "max_ms"
        }
    }

    static func msValue(_ us: UInt64) -> String { String(format: "%.3f", Double(us) / 1000) }
    public static func ms(_ us: UInt64) -> String { msValue(us) + " ms" }
}

public enum Flood {
    /// Runs the plan to completion (every event acked) or until `giveUpAfterSeconds`.
    public static func run(_ plan: FloodPlan, broker host: String, port: Int32, topics: Topics, stopper: StopFlag = StopFlag()) throws -> FloodReport {
        precondition(!plan.devices.isEmpty)
        let publisher = try AckingPublisher(broker: host, port: port, topics: topics, resendAfterMilliseconds: plan.resendAfterMilliseconds)
        guard publisher.waitUntilReady(seconds: 10) else {
            throw SimulationError("Could not connect and subscribe to acks at \(host):\(port) within 10 s.")
        }
        let start = monotonicNanos()
        let giveUp = start + UInt64(plan.giveUpAfterSeconds * 1e9)
        var next = 0
        while !stopper.isStopped && monotonicNanos() < giveUp {
            let now = monotonicNanos()
            if let rate = plan.rate {
                let due = min(plan.events, Int(Double(now - start) / 1e9 * rate) + 1)
                while next < due && publisher.outstanding < max(plan.window, 1) {
                    let e = plan.event(next); publisher.send(device: e.device, e.message); next += 1
                }
            } else {
                while next < plan.events && publisher.outstanding < plan.window {
                    let e = plan.event(next); publisher.send(device: e.device, e.message); next += 1
                }
            }
            if next >= plan.events && publisher.outstanding == 0 { break }
            // Wake in time for the next scheduled send at the steady rate.
            var wait: Int32 = 5
            if let rate = plan.rate, next < plan.events {
                let dueAt = start + UInt64(Double(next) / rate * 1e9)
                wait = dueAt > now ? Int32(min(5, (dueAt - now) / 1_000_000)) : 0
            }
            publisher.service(timeoutMilliseconds: wait)
        }
        let seconds = Double(monotonicNanos() - start) / 1e9
        let h = publisher.latency
        return FloodReport(counts: publisher.counts, unacked: publisher.unacked, seconds: seconds,
                           p50Micros: h.valueAtPercentile(50), p90Micros: h.valueAtPercentile(90),
                           p99Micros: h.valueAtPercentile(99), maxMicros: h.max)
    }
}

public struct SimulationError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
