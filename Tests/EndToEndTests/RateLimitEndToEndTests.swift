import Foundation
import Testing
import VigilTesting
import VigilWire

/// Issue 12, section 9, on the real parts: a registered pendant flooding valid events is held to its
/// kind's default budget (20 at once, then 6 a minute) while another device's fall goes through.
@Suite("End to end: one device cannot drown the others", .serialized)
struct RateLimitEndToEndTests {
    @Test func aFloodingPendantIsRefusedRateLimitedWhileAnotherDevicesFallIsAccepted() throws {
        // A rate_limit: key of its own keeps the harness from lifting the budgets: the defaults hold.
        let site = try Site(startDaemon: false, config: "rate_limit:\n  quiet_seconds: 600\n")
        defer { site.stop() }
        try site.vigil("users", "add", "--db", site.dbPath, "--id", "u1", "--name", "Edith Clarke")
        try site.vigil("users", "add", "--db", site.dbPath, "--id", "u2", "--name", "Arthur Penn")
        try site.vigil("devices", "add", "--db", site.dbPath, "--id", "pend-1", "--user", "u1", "--type", "pendant")
        try site.vigil("devices", "add", "--db", site.dbPath, "--id", "fall-2", "--user", "u2", "--type", "fall-detector")
        try site.startVigil()
        let device = try TestDevice(site: site)

        // The flood: 500 valid heartbeats published back to back, without waiting for acks.
        let flood = 500
        for i in 0..<flood {
            device.publisher.send(device: "pend-1", eventID: "h-\(i)", payload: Array(event("h-\(i)", "heartbeat").utf8))
            if i % 50 == 0 { device.publisher.service(timeoutMilliseconds: 0) }
        }
        // Meanwhile someone else falls.
        let fall = try #require(device.send("fall-2", eventID: "f-1", event("f-1", "fall")))
        #expect(fall.status == .accepted)
        #expect(fall.alarm != nil)
        // Every flood event is answered, and all but the budget are refused rate_limited.
        #expect(waitUntil(seconds: 30) {
            device.publisher.service(timeoutMilliseconds: 10)
            return (0..<flood).allSatisfy { device.acks["h-\($0)"] != nil }
        }, "acks for \((0..<flood).filter { device.acks["h-\($0)"] != nil }.count) of \(flood)")
        let acks = (0..<flood).compactMap { device.acks["h-\($0)"] }
        let accepted = acks.filter { $0.status == .accepted }.count
        let refused = acks.filter { $0.status == .rejected }
        #expect(accepted >= 20 && accepted <= 25, "accepted \(accepted)")
        #expect(refused.count == flood - accepted)
        #expect(refused.allSatisfy { $0.reason == "rate_limited" })
        // Only what was accepted is stored (besides Vigil's own "!flooding:" notice row), and no dead letter for the rest.
        #expect(try site.count("SELECT count(*) FROM events WHERE device_id = 'pend-1' AND event_id LIKE 'h-%'") == accepted)
        #expect(try site.count("SELECT count(*) FROM events WHERE device_id = 'pend-1' AND event_id LIKE '!flooding:%'") == 1)
        #expect(try site.count("SELECT count(*) FROM dead_letters WHERE reason = 'rate_limited'") == 0)
        // The pendant's own emergency past its budget is still raised.
        let button = try #require(device.send("pend-1", eventID: "b-1", event("b-1", "button")))
        #expect(button.status == .accepted)
        #expect(button.alarm != nil)
        // The installer hears of it once: one P3 "device flooding".
        let queue = try site.queue()
        let floods = queue.filter { $0["device"] as? String == "pend-1" && $0["type"] as? String == "device_fault" }
        #expect(floods.count == 1, "\(queue)")
        #expect(floods.first?["priority"] as? Int == 3)
        #expect(queue.contains { $0["device"] as? String == "fall-2" && $0["priority"] as? Int == 1 })
    }
}
