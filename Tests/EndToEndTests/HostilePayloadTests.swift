import Foundation
import Testing
import VigilTesting
import VigilWire

/// Payloads built to hurt a parser, sent through the real broker to the daemon's ingest thread.
@Suite("End to end: hostile payloads", .serialized)
struct HostilePayloadTests {
    @Test(arguments: [100, 400, 511, 2_000, 8_000])
    func deeplyNestedDetailIsRecordedAndNeverStopsTheDaemon(depth: Int) throws {
        let site = try Site()
        defer { site.stop() }
        try site.vigil("users", "add", "--db", site.dbPath, "--id", "u1", "--name", "Person One")
        try site.vigil("devices", "add", "--db", site.dbPath, "--id", "dev-1", "--user", "u1", "--type", "pendant")
        let device = try TestDevice(site: site)
        // Nested arrays under detail, within the 16 KiB limit: the id stays readable only while the
        // whole document parses, so a too-deep one may get no ack; it must still be dead-lettered.
        let nested = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let payload = #"{"id":"deep-1","ts":"2026-11-22T02:14:07Z","type":"button","detail":{"x":\#(nested)}}"#
        #expect(payload.utf8.count <= 16 * 1024)
        device.publisher.send(device: "dev-1", eventID: "deep-1", payload: Array(payload.utf8))
        // An ordinary event right behind it on the same connection: once it is acked, the daemon has
        // dealt with the deep one (the broker and the ingest loop keep order) and is still running.
        let after = device.send("dev-1", eventID: "after-1", event("after-1", "heartbeat"))
        #expect(after?.status == .accepted)
        #expect(site.daemon.isRunning)
        let stored = try site.count("SELECT count(*) FROM events WHERE event_id = 'deep-1'")
        let dead = try site.count("SELECT count(*) FROM dead_letters WHERE device_id = 'dev-1'")
        #expect(stored + dead == 1, "depth \(depth): stored \(stored), dead-lettered \(dead)")
    }
}
