import ArgumentParser
import Foundation
import Mosquitto
import VigilConsole
import VigilCore
import VigilWire

#if canImport(Glibc)
import Glibc
#endif

/// `vigil console`: the operators' live queue in a terminal, over the console protocol.
struct ConsoleCommandLine: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "The live alarm queue for operators (works over SSH in 80×24 and up).",
        discussion: "Keys: ↑/↓ select, Enter claim, u release, n note, r resolve, / filter, ? help, q quit.")

    @Option(help: ArgumentHelp("The broker vigil serve uses.", valueName: "HOST:PORT")) var broker: String = "127.0.0.1:1883"
    @Option(help: "Your operator id.") var `operator`: String
    @Flag(help: "Supervisor view: escalated alarms first, reassign with a.") var supervisor = false
    @Flag(help: "Do not ring the terminal bell for new P1 alarms.") var noBell = false
    @Option(help: "The topic prefix.") var prefix: String = "telecare"
    @Option(help: "Broker user name (defaults to the operator id when a password file is given).") var username: String?
    @Option(help: ArgumentHelp("A file holding your broker password.", valueName: "FILE")) var passwordFile: String?

    func validate() throws {
        guard Identifier.isValid(`operator`) else { throw ValidationError("--operator must be 1–64 characters of letters, digits and . _ : -") }
    }

    func run() throws {
        guard let colon = broker.lastIndex(of: ":"), let port = Int32(broker[broker.index(after: colon)...]) else {
            throw UserFacingError("--broker must be HOST:PORT, for example 127.0.0.1:1883.")
        }
        var password: String?
        if let passwordFile {
            guard let p = try? String(contentsOfFile: passwordFile, encoding: .utf8) else { throw UserFacingError("Cannot read \(passwordFile).") }
            password = p.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let topics = ConsoleTopics(prefix: prefix)
        let client = try MosquittoClient(.init(host: String(broker[..<colon]), port: port, clientID: nil, cleanSession: true,
                                               keepAliveSeconds: 15, username: password == nil ? username : (username ?? `operator`), password: password))
        try client.subscribe(topics.allAlarms, qos: 1)
        try client.subscribe(topics.summary, qos: 1)
        try client.subscribe(topics.replies(`operator`), qos: 1)

        let terminal = try Terminal()
        defer { Terminal.restore() }
        var model = ConsoleModel(operatorID: `operator`, supervisor: supervisor, bell: !noBell)
        var keys = KeyDecoder()
        var buffer = ScreenBuffer()
        let wire = WireEncoder(), reader = WireDecoder()
        let clockFormat = DateFormatter()
        clockFormat.dateFormat = "HH:mm:ss"

        func now() -> EpochMillis { EpochMillis(Date().timeIntervalSince1970 * 1000) }
        func perform(_ effects: [ConsoleEffect]) -> Bool {
            for e in effects {
                switch e {
                case .send(let c): _ = try? client.publish(topics.commands(`operator`), wire.encode(c), qos: 1)
                case .bell: terminal.write("\u{7}")
                case .quit: return false
                }
            }
            return true
        }

        var running = true
        var lastDraw: EpochMillis = 0
        var dirty = true
        while running {
            // Wait for a key, a message, or the next second (the ages tick).
            var fds = [pollfd(fd: terminal.inputDescriptor, events: Int16(POLLIN), revents: 0)]
            let socket = client.socket
            if socket >= 0 { fds.append(pollfd(fd: socket, events: Int16(POLLIN) | (client.wantsWrite ? Int16(POLLOUT) : 0), revents: 0)) }
            _ = poll(&fds, nfds_t(fds.count), 200)
            let t = now()

            if fds[0].revents & Int16(POLLIN) != 0 {
                var pressed = keys.feed(terminal.read())
                pressed += keys.flushEscape()
                for k in pressed {
                    running = perform(model.handle(k, now: t)) && running
                }
                dirty = true
            }
            if !client.reconnectIfNeeded() {
                if model.connection == .connected { model.connection = .reconnecting; dirty = true }
            }
            var events: [MQTTEvent] = []
            if fds.count > 1, fds[1].revents & (Int16(POLLIN) | Int16(POLLHUP) | Int16(POLLERR)) != 0 {
                events += (try? client.read()) ?? []
            }
            try? client.write()
            try? client.misc()
            events += client.drain()
            for e in events {
                dirty = true
                switch e {
                case .connected(0):
                    model.connected(now: t)
                case .connected, .disconnected:
                    model.connection = .reconnecting
                case .message(let m):
                    if let code = topics.alarmCode(m.topic) {
                        let before = model.entries[code]
                        let entry = m.payload.isEmpty ? nil : reader.decode(QueueEntry.self, from: m.payload)
                        running = perform(model.receive(code: code, entry: entry, now: t)) && running
                        if code == model.selected, let entry, let before, entry.events != before.events || entry.state != before.state || entry.claimedBy != before.claimedBy {
                            running = perform(model.refreshDetail(now: t)) && running
                        }
                    } else if m.topic == topics.summary, let s = reader.decode(QueueSummary.self, from: m.payload) {
                        model.receive(summary: s)
                    } else if let reply = reader.decode(ConsoleReply.self, from: m.payload) {
                        model.receive(reply: reply, now: t)
                    }
                default:
                    break
                }
            }
            model.expireMessage(now: t)
            if dirty || t - lastDraw >= 1_000 {
                let (w, h) = terminal.size
                let lines = Screen.render(model, width: w, height: h, now: t, clock: clockFormat.string(from: Date()))
                terminal.write(buffer.diff(lines, width: w, height: h))
                lastDraw = t
                dirty = false
            }
        }
        client.disconnect()
    }
}
