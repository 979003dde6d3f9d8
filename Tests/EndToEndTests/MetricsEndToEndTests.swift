import Foundation
import Testing
import VigilTesting

/// The metrics textfile of a real daemon, read back by Prometheus's own Python text-format parser
/// (Debian's python3-prometheus-client), after known traffic.
@Suite("End to end: metrics for node_exporter", .serialized)
struct MetricsEndToEndTests {
    /// Every sample in the file as `name{label=value,…}` → value, through `text_string_to_metric_families`.
    static func parse(_ path: String) throws -> [String: Double] {
        let script = """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            out = {}
            for family in text_string_to_metric_families(open(sys.argv[1]).read()):
                for s in family.samples:
                    labels = ",".join("%s=%s" % kv for kv in sorted(s.labels.items()))
                    out[s.name + ("{" + labels + "}" if labels else "")] = s.value
            print(json.dumps(out))
            """
        let r = try runProgram("/usr/bin/python3", ["-c", script, path])
        guard r.status == 0 else { throw TestKitError("the Prometheus parser refused \(path): \(r.error)") }
        return try #require(JSONSerialization.jsonObject(with: Data(r.output.utf8)) as? [String: Double])
    }

    @Test func theCountersMatchWhatWasSent() throws {
        let site = try Site(startDaemon: false)
        defer { site.stop() }
        try site.vigil("users", "add", "--db", site.dbPath, "--id", "u1", "--name", "Edith Clarke")
        try site.vigil("devices", "add", "--db", site.dbPath, "--id", "pend-1", "--user", "u1", "--type", "pendant")
        let file = site.dir.file("vigil.prom")
        site.daemon = try VigilDaemon(databasePath: site.dbPath, broker: site.broker.address, logPath: site.dir.file("serve.log"),
                                      extraArguments: ["--metrics-file", file, "--metrics-interval", "0.2"])
        let device = try TestDevice(site: site)
        #expect(device.send("pend-1", eventID: "e1", event("e1", "fall"))?.status == .accepted)
        #expect(device.send("pend-1", eventID: "e2", event("e2", "heartbeat"))?.status == .accepted)
        #expect(device.send("pend-1", eventID: "e3", event("e3", "low_battery"))?.status == .accepted)
        #expect(device.send("pend-1", eventID: "e1", event("e1", "fall"))?.status == .duplicate)
        #expect(device.send("pend-1", eventID: "e4", #"{"id":"e4","ts":"2026-11-22T02:14:07Z","type":"banana"}"#)?.status == .rejected)
        #expect(device.send("pend-1", eventID: "e5", #"{"id":"e5","ts":"2026-11-22T02:14:07Z"}"#)?.status == .rejected)
        #expect(device.send("pend-1", eventID: "e6", #"{"id":"e6","ts":"2026-11-22T02:14:07Z"}"#)?.status == .rejected)

        var m: [String: Double] = [:]
        let settled = try waitUntil(seconds: 15) {
            guard FileManager.default.fileExists(atPath: file) else { return false }
            m = try Self.parse(file)
            return m["vigil_events_accepted_total"] == 3 && m["vigil_alarms_open{priority=1,state=raised}"] == 1
        }
        #expect(settled, "\(m)")
        #expect(m["vigil_events_accepted_total"] == 3)
        #expect(m["vigil_events_duplicate_total"] == 1)
        #expect(m["vigil_events_rejected_total{reason=unknown_type}"] == 1)
        #expect(m["vigil_events_rejected_total{reason=missing_field}"] == 2)
        #expect(m["vigil_alarms_raised_total{priority=1}"] == 1, "the fall")
        #expect(m["vigil_alarms_raised_total{priority=3}"] == 1, "the low battery")
        #expect(m["vigil_alarms_open{priority=1,state=raised}"] == 1)
        #expect(m["vigil_alarms_open{priority=1,state=claimed}"] == 0)
        #expect(m["vigil_alarms_open{priority=2,state=raised}"] == 0)
        #expect(m["vigil_alarms_open{priority=3,state=raised}"] == 1)
        #expect((m["vigil_oldest_unclaimed_seconds{priority=1}"] ?? -1) >= 0)
        #expect(m["vigil_oldest_unclaimed_seconds{priority=2}"] == 0)
        #expect(m["vigil_broker_connected"] == 1)
        // Every event is one commit at least; the histograms count them.
        #expect((m["vigil_commit_duration_seconds_count"] ?? 0) >= 7)
        #expect(m["vigil_commit_duration_seconds_bucket{le=+Inf}"] == m["vigil_commit_duration_seconds_count"])
        #expect((m["vigil_batch_size_sum"] ?? 0) >= 7)
        // An ack for each of the seven sends, and the fall's and the low battery's queue entries.
        #expect((m["vigil_mqtt_messages_published_total"] ?? 0) >= 9)
        // Each of the three stored events was a commit of its own, at least one page each.
        #expect((m["vigil_store_wal_pages_total"] ?? 0) >= 3)
        let now = Date().timeIntervalSince1970
        #expect(abs((m["vigil_last_commit_timestamp_seconds"] ?? 0) - now) < 60)
        #expect(abs((m["vigil_metrics_written_timestamp_seconds"] ?? 0) - now) < 60)
        // Rewritten in place by rename: no temporary file is left beside it.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: site.dir.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func aMetricsFileInAMissingDirectoryIsRefusedWithTheFix() throws {
        let dir = try TemporaryDirectory(prefix: "vigil-metrics")
        defer { dir.remove() }
        let r = try runProgram(builtExecutable("vigil"), ["serve", "--db", dir.file("v.db"), "--metrics-file", dir.file("no/such/vigil.prom")])
        #expect(r.status != 0)
        #expect(r.error.contains("does not exist"), "\(r.error)")
    }
}
