import Foundation
import Testing
import VigilTesting
import VigilWire

/// Logs go to the journal, read by more people than the person's record is: they carry ids only.
@Suite("End to end: logs carry ids, never personal data", .serialized)
struct LogPrivacyTests {
    @Test func theDaemonLogNeverHoldsNamesNotesOrReadings() throws {
        let site = try Site(startDaemon: false)
        defer { site.stop() }
        // The most verbose level the daemon has: whatever it can log, this captures.
        site.configArguments = ["--log-level", "trace"]
        try site.startVigil()
        try site.vigil("users", "add", "--db", site.dbPath, "--id", "u-17", "--name", "Edith Clarke")
        try site.vigil("devices", "add", "--db", site.dbPath, "--id", "kit-17", "--user", "u-17", "--type", "telehealth")
        try site.vigil("operators", "add", "--db", site.dbPath, "--id", "op-5", "--name", "Pat Lowe")
        let device = try TestDevice(site: site)

        // Vitals bad enough to raise an alarm, a rejected payload that carries the name, and an
        // operator's note with an address in it.
        let vitals = #","detail":{"spo2":87,"pulse":131,"systolic":203,"respiration":27,"temperature":39.4}"#
        let ack = try #require(device.send("kit-17", eventID: "v-1", event("v-1", "vitals", vitals)))
        #expect(ack.status == .accepted)
        let code = try #require(ack.alarm)
        let rejected = device.send("kit-17", eventID: "bad-1", #"{"id":"bad-1","ts":"yesterday","type":"teleport","detail":{"who":"Edith Clarke"}}"#)
        #expect(rejected?.status == .rejected)
        #expect(try site.alarm("claim", code, operator: "op-5").status == 0)
        #expect(try site.alarm("note", code, operator: "op-5", "--text", "Edith Clarke at 14 Mill Lane, daughter on her way").status == 0)
        #expect(try site.alarm("resolve", code, operator: "op-5", "--outcome", "bogus").status == 1)
        site.daemon.stop()

        let log = site.daemon.log()
        // The log did record all of that, by id.
        for id in ["kit-17", code, "op-5", "bad-1"] { #expect(log.contains(id), "the log never mentions \(id)") }
        // And nothing personal: no names, no note text, no readings or their keys. (Bare numbers such as
        // 131 are not searched for: a port or a pid may contain them; 39.4 cannot appear by chance.)
        for secret in ["Edith", "Clarke", "Mill Lane", "daughter", "Pat Lowe", "spo2", "systolic", "pulse", "39.4"] {
            #expect(!log.contains(secret), "the daemon log contains \"\(secret)\"")
        }
    }
}
