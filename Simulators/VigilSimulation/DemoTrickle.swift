import Foundation
import VigilCore
import VigilEngine
import VigilWire

/// A gentle stream of realistic events for a demo: every few seconds one registered device reports
/// what a device of its kind reports, and some alarms are later cancelled or cleared at the device.
public final class DemoTrickle {
    public struct Device: Sendable {
        public var id: String
        public var kind: DeviceKind
        public init(id: String, kind: DeviceKind) {
            self.id = id
            self.kind = kind
        }
    }

    let devices: [Device]
    let publisher: AckingPublisher
    var rng: SplitMix64
    var sequence = 0
    var followUps: [(at: UInt64, device: String, type: EventType)] = []
    let runID: String

    public init(devices: [Device], broker host: String, port: Int32, topics: Topics, seed: UInt64) throws {
        self.devices = devices
        publisher = try AckingPublisher(broker: host, port: port, topics: topics)
        rng = SplitMix64(seed: seed)
        runID = String(seed, radix: 36)
        publisher.onAck = { device, ack in
            var line = "\(device) \(ack.eventID) → \(ack.status.rawValue)"
            if let a = ack.alarm { line += " \(a)" }
            if let e = ack.error { line += ": \(e)" }
            print(line)
        }
    }

    public func run(intervalSeconds: Double, stopper: StopFlag) throws {
        guard publisher.waitUntilReady(seconds: 10) else { throw SimulationError("Could not reach the broker within 10 s.") }
        var nextAt = monotonicNanos()
        while !stopper.isStopped {
            let now = monotonicNanos()
            if now >= nextAt, let d = devices.randomElement(using: &rng) {
                emit(d, now: now)
                nextAt = now + UInt64(intervalSeconds * 1e9)
            }
            while let i = followUps.firstIndex(where: { $0.at <= now }) {
                let f = followUps.remove(at: i)
                send(f.device, f.type, detail: nil)
            }
            publisher.service(timeoutMilliseconds: 50)
        }
    }

    private func emit(_ d: Device, now: UInt64) {
        let later = now + UInt64(Double.random(in: 8...25, using: &rng) * 1e9)
        switch d.kind {
        case .pendant, .pullcord:
            send(d.id, .button, detail: nil)
            // About one press in four is cancelled at the device within half a minute.
            if Int.random(in: 0..<4, using: &rng) == 0 { followUps.append((later, d.id, .cancel)) }
        case .fallDetector:
            send(d.id, .fall, detail: ["confidence": .number((Double.random(in: 0.6...0.99, using: &rng) * 100).rounded() / 100)])
        case .smoke, .heat, .co, .gas, .flood:
            let type: EventType = [.smoke: .smoke, .heat: .heat, .co: .co, .gas: .gas, .flood: .flood][d.kind] ?? .smoke
            send(d.id, type, detail: nil)
            followUps.append((later, d.id, .clear))
        case .door:
            send(d.id, .door, detail: ["state": .string("open"), "exit": .bool(true)])
        case .bed, .chair:
            send(d.id, d.kind == .bed ? .bed : .chair, detail: ["state": .string("vacated")])
        case .pir:
            send(d.id, .inactivity, detail: ["minutes": .number(Double(Int.random(in: 120...480, using: &rng)))])
        case .medication:
            send(d.id, .medication, detail: ["state": .string(["missed", "taken", "taken"].randomElement(using: &rng)!)])
        case .telehealth:
            func reading(_ range: ClosedRange<Int>) -> JSONValue { .number(Double(Int.random(in: range, using: &rng))) }
            send(d.id, .vitals, detail: ["spo2": reading(86...99), "pulse": reading(55...125), "systolic": reading(95...160), "respiration": reading(12...26)])
        case .temperature:
            send(d.id, .temperature, detail: ["celsius": .number(Double(Int.random(in: 8...24, using: &rng)))])
        case .epilepsy:
            send(d.id, .epilepsy, detail: nil)
        case .enuresis:
            send(d.id, .enuresis, detail: nil)
        case .hub:
            if Int.random(in: 0..<3, using: &rng) == 0 {
                send(d.id, .power, detail: ["state": .string("lost")])
                followUps.append((later, d.id, .power))
            } else {
                send(d.id, .heartbeat, detail: nil)
            }
        }
    }

    private func send(_ device: String, _ type: EventType, detail: [String: JSONValue]?) {
        sequence += 1
        let id = "demo-\(runID)-\(sequence)"
        let ts = RFC3339.format(millis: Int64(Date().timeIntervalSince1970 * 1000))
        // A power follow-up is the restoration of the outage it follows.
        let d = type == .power && detail == nil ? ["state": .string("restored")] : detail
        publisher.send(device: device, EventMessage(id: id, ts: ts, type: type, battery: Int.random(in: 40...100, using: &rng), detail: d))
    }
}
