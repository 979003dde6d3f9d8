import Foundation
import Mosquitto
import Testing
import VigilSimulation
import VigilTesting
import VigilWire

/// The shipped broker configuration (credentials, ACL, TLS) with the real daemon logging in as
/// vigil-serve: who may connect, who may publish for whom, and who may do what.
@Suite("End to end: broker credentials, ACL and roles", .serialized)
struct SecurityTests {
    /// A production-like site: the shipped broker config, the daemon with its own login, one person.
    func secureSite() throws -> (Site, ProductionBroker) {
        let production = try ProductionBroker()
        let site = try Site(config: try production.daemonConfig(), broker: production.broker)
        try site.vigil("users", "add", "--db", site.dbPath, "--id", "u-a", "--name", "Edith Clarke")
        try site.vigil("users", "add", "--db", site.dbPath, "--id", "u-b", "--name", "Arthur Quinn")
        return (site, production)
    }

    /// `vigil devices add --credentials` against the broker's password file; returns the password.
    func addDevice(_ site: Site, _ production: ProductionBroker, _ id: String, user: String) throws -> String {
        let out = try site.vigil("devices", "add", "--db", site.dbPath, "--id", id, "--user", user, "--type", "pendant",
                                 "--credentials", "--password-file", production.passwordFile)
        production.broker.reload()
        return try issuedPassword(out)
    }

    func device(_ site: Site, _ id: String, _ password: String) throws -> AckingPublisher {
        let p = try AckingPublisher(broker: "127.0.0.1", port: site.broker.port, topics: Topics(), resendAfterMilliseconds: 60_000,
                                    username: id, password: password)
        guard p.waitUntilReady(seconds: 10) else { throw TestKitError("\(id) could not log in and subscribe") }
        return p
    }

    /// A wrong password in the daemon's own config: it says so in one sentence and exits non-zero
    /// after three refusals, instead of retrying for ever while systemd shows it active.
    @Test func theDaemonStopsWhenTheBrokerKeepsRefusingItsLogin() throws {
        let production = try ProductionBroker()
        let wrong = production.broker.directory.file("wrong-password")
        try "not-the-password\n".write(toFile: wrong, atomically: true, encoding: .utf8)
        let site = try Site(startDaemon: false, config: "username: vigil-serve\npassword_file: \(wrong)\n", broker: production.broker)
        defer { site.stop() }
        let daemon = try ChildProcess(executable: builtExecutable("vigil"), arguments: ["serve", "--db", site.dbPath, "--broker", site.broker.address] + site.configArguments,
                                      logPath: site.dir.file("serve.log"))
        #expect(waitUntil(seconds: 30) { !daemon.isRunning }, "vigil serve kept retrying a refused login")
        #expect(daemon.wait() != 0)
        let log = daemon.log()
        #expect(log.contains("refused Vigil's login 3 times in a row (not authorised)"), "\(log)")
        #expect(log.components(separatedBy: "broker refused the connection").count - 1 == 3)
        #expect(!log.contains("disconnected from broker"), "a refusal's own disconnect is not logged again")
    }

    @Test func wrongOrMissingCredentialsAreRefusedAtConnect() throws {
        let (site, production) = try secureSite()
        defer { site.stop() }
        let password = try addDevice(site, production, "dev-a", user: "u-a")
        // The new entry is live after the reload: the right password is accepted…
        #expect(try waitUntil(seconds: 10) { try production.connack(username: "dev-a", password: password) == 0 })
        // …a wrong one, an unknown user and an anonymous client are not (CONNACK 4 or 5, never 0).
        let wrong = try production.connack(username: "dev-a", password: password + "x")
        let unknown = try production.connack(username: "dev-z", password: password)
        let anonymous = try production.connack(username: nil, password: nil)
        for code in [wrong, unknown, anonymous] {
            #expect(code == 4 || code == 5, "expected the broker to refuse the login, got CONNACK \(code.map(String.init) ?? "none")")
        }
        // The audit says credentials were issued, and never holds the secret.
        let trail = try site.vigil("audit", "--db", site.dbPath)
        #expect(trail.contains("credentials-issued"))
        #expect(!trail.contains(password))
        #expect(try String(contentsOfFile: production.passwordFile, encoding: .utf8).contains(password) == false)
    }

    @Test func aDeviceCannotRaiseAnAlarmForAnotherDevice() throws {
        let (site, production) = try secureSite()
        defer { site.stop() }
        let passwordA = try addDevice(site, production, "dev-a", user: "u-a")
        _ = try addDevice(site, production, "dev-b", user: "u-b")
        let a = try device(site, "dev-a", passwordA)
        var acks: [String: Ack] = [:]
        a.onAck = { _, ack in acks[ack.eventID] = ack }

        // dev-a publishes a fall on dev-b's topic, then one on its own, on the same connection: the
        // broker and the daemon keep their order, so once the second is acked the first had its turn.
        a.send(device: "dev-b", eventID: "spoofed-1", payload: Array(event("spoofed-1", "fall").utf8))
        a.send(device: "dev-a", eventID: "own-1", payload: Array(event("own-1", "fall").utf8))
        _ = waitUntil(seconds: 10) {
            a.service(timeoutMilliseconds: 10)
            return acks["own-1"] != nil
        }
        #expect(acks["own-1"]?.status == .accepted)
        #expect(acks["spoofed-1"] == nil)
        // The broker dropped it: the daemon never saw it, so it is neither stored nor dead-lettered.
        #expect(try site.count("SELECT count(*) FROM events WHERE event_id = 'spoofed-1'") == 0)
        #expect(try site.count("SELECT count(*) FROM dead_letters WHERE event_id = 'spoofed-1'") == 0)
        #expect(try site.count("SELECT count(*) FROM events WHERE device_id = 'dev-b'") == 0)
        let queue = try site.queue()
        #expect(queue.count == 1)
        #expect(queue.first?["device"] as? String == "dev-a")
        a.client.disconnect()

        // Nor can it read the live queue (retained, so it would arrive right after the SUBACK) or
        // another device's acks: by the time its own next ack arrives, it has received nothing else.
        let raw = try MosquittoClient(.init(host: "127.0.0.1", port: site.broker.port, username: "dev-a", password: passwordA))
        try raw.subscribe("telecare/v1/queue/#", qos: 1)
        try raw.subscribe("telecare/v1/devices/+/acks", qos: 1)
        var subacks = 0
        var topics: [String] = []
        _ = waitUntil(seconds: 10) {
            for e in raw.pump(timeoutMilliseconds: 20) {
                switch e {
                case .subscribed:
                    subacks += 1
                    if subacks == 2 { _ = try? raw.publish("telecare/v1/devices/dev-a/events", Array(event("own-2", "heartbeat").utf8), qos: 1) }
                case .message(let m): topics.append(m.topic)
                default: break
                }
            }
            return topics.contains("telecare/v1/devices/dev-a/acks")
        }
        raw.disconnect()
        #expect(topics == ["telecare/v1/devices/dev-a/acks"])
    }

    @Test func operatorsActOnlyAsThemselvesAndWithinTheirRole() throws {
        let (site, production) = try secureSite()
        defer { site.stop() }
        let passwordA = try addDevice(site, production, "dev-a", user: "u-a")
        var passwordFiles: [String: String] = [:]
        for (id, role) in [("op1", "operator"), ("sup1", "supervisor")] {
            let out = try site.vigil("operators", "add", "--db", site.dbPath, "--id", id, "--name", "Staff \(id)", "--role", role,
                                     "--credentials", "--password-file", production.passwordFile, "--acl-file", production.aclFile)
            passwordFiles[id] = site.dir.file("\(id).password")
            try issuedPassword(out).write(toFile: passwordFiles[id]!, atomically: true, encoding: .utf8)
        }
        production.broker.reload()
        #expect(try waitUntil(seconds: 10) { try production.connack(username: "dev-a", password: passwordA) == 0 })

        let a = try device(site, "dev-a", passwordA)
        var alarm: String?
        a.onAck = { _, ack in alarm = ack.alarm }
        a.send(device: "dev-a", eventID: "fall-1", payload: Array(event("fall-1", "fall").utf8))
        _ = waitUntil(seconds: 10) {
            a.service(timeoutMilliseconds: 10)
            return alarm != nil
        }
        let code = try #require(alarm)

        // An operator's reassign reaches the daemon (the broker lets op1 write its own command topic)
        // and the daemon refuses it by role, and audits the refusal.
        let reassign = try site.alarm("reassign", code, operator: "op1", "--to", "op1", "--password-file", passwordFiles["op1"]!)
        #expect(reassign.status == 1)
        #expect(reassign.error.contains("Only a supervisor"))
        #expect(try site.count("SELECT count(*) FROM audit WHERE actor = 'op1' AND action = 'refused' AND detail LIKE 'reassign:%'") == 1)

        // A wrong password never reaches the daemon.
        try "not-the-password".write(toFile: site.dir.file("wrong.password"), atomically: true, encoding: .utf8)
        let wrong = try site.alarm("claim", code, operator: "op1", "--password-file", site.dir.file("wrong.password"))
        #expect(wrong.status != 0)
        #expect(wrong.error.contains("refused the login"))

        // op1 cannot speak as sup1: a claim published on sup1's command topic is dropped by the broker,
        // so op1's own claim right after it succeeds and the alarm is op1's.
        let op1 = try MosquittoClient(.init(host: "127.0.0.1", port: site.broker.port, username: "op1",
                                            password: try String(contentsOfFile: passwordFiles["op1"]!, encoding: .utf8)))
        let console = ConsoleTopics(prefix: "telecare")
        // The live queue first: its retained alarms arrive right after this SUBACK, before any reply.
        try op1.subscribe(console.allAlarms, qos: 1)
        try op1.subscribe(console.replies("op1"), qos: 1)
        var queueSeen = false
        var reply: ConsoleReply?
        var sent = false
        _ = waitUntil(seconds: 10) {
            for e in op1.pump(timeoutMilliseconds: 20) {
                switch e {
                case .subscribed where !sent:
                    _ = try? op1.publish(console.commands("sup1"), WireEncoder().encode(ConsoleCommand(request: "spoof", action: .claim, alarm: code)), qos: 1)
                    _ = try? op1.publish(console.commands("op1"), WireEncoder().encode(ConsoleCommand(request: "mine", action: .claim, alarm: code)), qos: 1)
                    sent = true
                case .message(let m):
                    if m.topic == console.alarm(code) { queueSeen = true }
                    if let r = WireDecoder().decode(ConsoleReply.self, from: m.payload), r.request == "mine" { reply = r }
                default: break
                }
            }
            return reply != nil
        }
        op1.disconnect()
        #expect(queueSeen, "an operator must be able to read the live queue (the ACL block operators add wrote)")
        #expect(reply?.ok == true)
        #expect(try site.count("SELECT count(*) FROM audit WHERE actor = 'sup1'") == 0)
        #expect(try site.count("SELECT count(*) FROM alarms WHERE claimed_by = 'op1'") == 1)

        // Replies carry what an operator asked about (the person's details, in the console): op1,
        // subscribed to every operator's replies, receives only its own. sup1's reply is published
        // before op1's next command reaches the daemon, so it would arrive first if it were delivered.
        let watcher = try MosquittoClient(.init(host: "127.0.0.1", port: site.broker.port, username: "op1",
                                                password: try String(contentsOfFile: passwordFiles["op1"]!, encoding: .utf8)))
        try watcher.subscribe("telecare/v1/console/+/replies", qos: 1)
        var watching = false
        _ = waitUntil(seconds: 10) {
            for case .subscribed in watcher.pump(timeoutMilliseconds: 20) { watching = true }
            return watching
        }
        #expect(watching)

        // The supervisor's reassign is allowed.
        let bySupervisor = try site.alarm("reassign", code, operator: "sup1", "--to", "op1", "--password-file", passwordFiles["sup1"]!)
        #expect(bySupervisor.status == 0, "\(bySupervisor.error)")

        var seen: [String] = []
        _ = try watcher.publish(console.commands("op1"), WireEncoder().encode(ConsoleCommand(request: "after", action: .note, alarm: code, text: "called back")), qos: 1)
        _ = waitUntil(seconds: 10) {
            for case .message(let m) in watcher.pump(timeoutMilliseconds: 20) { seen.append(m.topic) }
            return seen.contains(console.replies("op1"))
        }
        watcher.disconnect()
        #expect(seen == [console.replies("op1")])
        a.client.disconnect()
    }

    @Test func devicesConnectOverTLSWithTheirCredentials() throws {
        let (site, production) = try secureSite()
        defer { site.stop() }
        let password = try addDevice(site, production, "dev-a", user: "u-a")
        #expect(try waitUntil(seconds: 10) { try production.connack(username: "dev-a", password: password) == 0 })
        let certs = production.broker.directory.file("certs")
        func publish(_ id: String, password: String) throws -> Int32 {
            try runProgram("/usr/bin/mosquitto_pub", [
                "-h", "localhost", "-p", "\(production.tlsPort)", "--cafile", "\(certs)/ca.crt",
                "-u", "dev-a", "-P", password, "-q", "1", "-V", "mqttv311",
                "-t", "telecare/v1/devices/dev-a/events", "-m", event(id, "button"),
            ]).status
        }
        #expect(try publish("tls-1", password: password) == 0)
        #expect(try waitUntil(seconds: 10) { try site.count("SELECT count(*) FROM events WHERE event_id = 'tls-1'") == 1 })
        // The TLS listener checks the password as the loopback one does.
        #expect(try publish("tls-2", password: "wrong") != 0)
        // A client that does not trust our CA cannot complete the handshake.
        let untrusted = try runProgram("/usr/bin/mosquitto_pub", [
            "-h", "localhost", "-p", "\(production.tlsPort)", "--cafile", "/etc/ssl/certs/ca-certificates.crt",
            "-u", "dev-a", "-P", password, "-q", "1", "-t", "telecare/v1/devices/dev-a/events", "-m", event("tls-3", "button"),
        ])
        #expect(untrusted.status != 0)
        #expect(try site.count("SELECT count(*) FROM events WHERE event_id IN ('tls-2', 'tls-3')") == 0)
    }

    @Test func configurationChangesAreAuditedWithoutTheSecret() throws {
        let (site, production) = try secureSite()
        defer { site.stop() }
        func configRows() throws -> [String] {
            try site.vigil("audit", "--db", site.dbPath).split(separator: "\n").filter { $0.contains("config-changed") }.map(String.init)
        }
        #expect(try configRows().count == 1)
        // The same settings again: nothing new to record.
        site.daemon.stop()
        try site.startVigil()
        #expect(try configRows().count == 1)
        // A changed night window is recorded with the new value.
        site.daemon.stop()
        try (try production.daemonConfig() + "\ntriage:\n  night_start: \"21:00\"\n").write(toFile: site.dir.file("vigil.yaml"), atomically: true, encoding: .utf8)
        try site.startVigil()
        let rows = try configRows()
        #expect(rows.count == 2)
        #expect(rows.last?.contains("night 21:00-07:00") == true)
        #expect(rows.allSatisfy { $0.contains("as vigil-serve") && !$0.contains(production.daemonPassword) })
    }
}
