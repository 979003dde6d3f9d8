import Foundation
import Testing
import VigilSimulation
@testable import VigilStore
import VigilTesting
import VigilWire

/// `vigil-load`, the benchmark's C load client and ceiling, speaks Vigil's wire format as the Swift
/// types define it: the daemon stores what it sends as sent, and a Swift device reads the ceiling's
/// acks with `Ack`.
@Suite("End to end: the C load client and ceiling", .serialized)
struct LoadClientTests {
    static let devices = (1...5).map { String(format: "sim-dev-%05d", $0) }

    @Test func everyEventTheLoadClientSendsIsStoredAsPlannedWithItsOwnClock() throws {
        let site = try Site(startDaemon: false)
        defer { site.stop() }
        try site.registerSimDevices(Self.devices.count)
        try site.startVigil()
        let plan = FloodPlan(devices: Self.devices, events: 300, window: 50, runID: "c", giveUpAfterSeconds: 60)
        let report = try NativeLoad.run(plan, executable: builtExecutable("vigil-load"), broker: site.broker.address, topics: Topics())

        #expect(report.unacked.isEmpty)
        #expect(report.counts.sent == plan.events)
        #expect(report.counts.accepted == plan.events)
        #expect(report.p50Micros > 0 && report.p50Micros <= report.p99Micros && report.p99Micros <= report.maxMicros)
        let stored = try Database(path: site.dbPath, mode: .readOnly)
        let rows = try stored.prepare("SELECT device_id, event_id, type FROM events WHERE event_id LIKE 'c-%'").all { ($0.text(0), $0.text(1), $0.text(2)) }
        #expect(Set(rows.map(\.1)) == Set(plan.eventIDs))
        // Each event on the device and of the kind the plan gives it: the C client's mix is FloodPlan's.
        for (device, id, type) in rows {
            let n = try #require(Int(id.dropFirst(2)))
            #expect(device == plan.devices[n % plan.devices.count], "\(id)")
            #expect(type == plan.kind(n).message(id: id, ts: "").type, "\(id)")
        }
        #expect(rows.contains { $0.2 == "button" } && rows.contains { $0.2 == "temperature" })
        // The device clock it stamps is the wall clock, in the form Vigil reads (a malformed one would
        // have been replaced by the receive time with a warning; this checks it was read as sent).
        let skewed = try site.count("""
            SELECT count(*) FROM events WHERE event_id LIKE 'c-%'
              AND (device_ts NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'
                   OR abs(CAST(round((julianday(device_ts) - 2440587.5) * 86400000) AS INTEGER) - received_at) > 60000)
            """)
        #expect(skewed == 0)
    }

    @Test func theCeilingAnswersEveryEventWithAnAckTheSwiftTypeReads() throws {
        let broker = try Broker()
        defer { broker.stop() }
        let dir = try TemporaryDirectory(prefix: "vigil-load")
        defer { dir.remove() }
        let ceiling = try ChildProcess(executable: builtExecutable("vigil-load"), arguments: NativeLoad.ackOnlyArguments(broker: broker.address, topics: Topics()),
                                       logPath: dir.file("ack-only.log"))
        defer { _ = ceiling.stop() }

        // A Swift device: its acks decode as `Ack` or are not counted at all.
        let publisher = try AckingPublisher(broker: "127.0.0.1", port: broker.port, topics: Topics(), resendAfterMilliseconds: 500)
        var acks: [Ack] = []
        publisher.onAck = { _, ack in acks.append(ack) }
        #expect(publisher.waitUntilReady(seconds: 10))
        publisher.send(device: "pend-1", EventMessage(id: "e-1", ts: "2026-11-22T02:14:07Z", type: .fall))
        #expect(waitUntil(seconds: 10) {
            publisher.service(timeoutMilliseconds: 10)
            return !acks.isEmpty
        })
        #expect(acks == [Ack(eventID: "e-1", status: .accepted)])

        // And the C load client reads them back too.
        let plan = FloodPlan(devices: Self.devices, events: 500, window: 100, runID: "ceiling", giveUpAfterSeconds: 60)
        let report = try NativeLoad.run(plan, executable: builtExecutable("vigil-load"), broker: broker.address, topics: Topics())
        #expect(report.unacked.isEmpty)
        #expect(report.counts.accepted == plan.events)
    }
}
