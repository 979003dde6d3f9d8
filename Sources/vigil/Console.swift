import ArgumentParser
import Foundation
import Mosquitto
import VigilCommandLine
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

    @OptionGroup var broker: BrokerOptions
    @OptionGroup var login: OperatorLogin
    @Flag(help: "Supervisor view: escalated alarms first within each priority, reassign with a.") var supervisor = false
    @Flag(help: "Do not ring the terminal bell for new P1 alarms.") var noBell = false

    func run() throws {
        let address = try broker.address()
        let (username, password) = try login.credentials()
        let `operator` = login.operator
        let topics = ConsoleTopics(prefix: broker.topicPrefix)
        let wire = WireEncoder(), reader = WireDecoder()
        func now() -> EpochMillis { EpochMillis(Date().timeIntervalSince1970 * 1000) }
        // Presence: retained online on connect, and the broker's last will says offline if this console
        // crashes or its network goes, so Vigil can hand its claims back after the lease.
        func presence(_ online: Bool) -> MQTTMessage {
            MQTTMessage(topic: topics.presence(`operator`), payload: wire.encode(ConsolePresence(operator: `operator`, online: online, at: now())), qos: 1, retain: true)
        }
        let client = try MosquittoClient(.init(host: address.host, port: address.port, clientID: nil, cleanSession: true,
                                               keepAliveSeconds: 15, username: username, password: password, will: presence(false)))
        try client.subscribe(topics.allAlarms, qos: 1)
        // Notices: this operator's own; a supervisor sees everyone's, to chase those not yet seen.
        try client.subscribe(supervisor ? topics.allNotices : topics.notices(`operator`), qos: 1)
        try client.subscribe(topics.covers(`operator`), qos: 1)
        try client.subscribe(topics.handOver(`operator`), qos: 1)
        try client.subscribe(topics.summary, qos: 1)
        try client.subscribe(topics.daemonStatus, qos: 1)
        try client.subscribe(topics.replies(`operator`), qos: 1)

        let terminal = try Terminal()
        defer { Terminal.restore() }
        // Request ids carry this run's start time, so a restarted console never reuses one Vigil has carried out.
        let session = "\(`operator`.prefix(40))-\(String(UInt64(Date().timeIntervalSince1970 * 1000), radix: 36))"
        var model = ConsoleModel(operatorID: `operator`, supervisor: supervisor, bell: !noBell, session: session)
        var keys = KeyDecoder()
        var buffer = ScreenBuffer()
        let clockFormat = DateFormatter()
        clockFormat.dateFormat = "HH:mm:ss"

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
                    let p = presence(true)
                    _ = try? client.publish(p.topic, p.payload, qos: 1, retain: true)
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
                    } else if let address = topics.noticeAddress(m.topic) {
                        let notice = m.payload.isEmpty ? nil : reader.decode(ConsoleNotice.self, from: m.payload)
                        running = perform(model.receive(notice: notice, for: address.operator, alarm: address.alarm)) && running
                    } else if topics.handOverOperator(m.topic) == `operator` {
                        let offer = m.payload.isEmpty ? nil : reader.decode(HandOverOffer.self, from: m.payload)
                        running = perform(model.receive(handOver: offer)) && running
                    } else if let area = topics.coverArea(m.topic) {
                        let gap = m.payload.isEmpty ? nil : reader.decode(CoverNotice.self, from: m.payload)
                        running = perform(model.receive(cover: gap, area: area)) && running
                    } else if m.topic == topics.summary, let s = reader.decode(QueueSummary.self, from: m.payload) {
                        model.receive(summary: s)
                    } else if m.topic == topics.daemonStatus, let s = reader.decode(DaemonStatus.self, from: m.payload) {
                        running = perform(model.receive(status: s, retained: m.retain, now: t)) && running
                    } else if let reply = reader.decode(ConsoleReply.self, from: m.payload) {
                        model.receive(reply: reply, now: t)
                    }
                default:
                    break
                }
            }
            model.expireMessage(now: t)
            let wasOffline = model.centreOffline
            running = perform(model.tick(now: t)) && running
            if model.centreOffline != wasOffline { dirty = true }
            if dirty || t - lastDraw >= 1_000 {
                let (w, h) = terminal.size
                let lines = Screen.render(model, width: w, height: h, now: t, clock: clockFormat.string(from: Date()))
                terminal.write(buffer.diff(lines, width: w, height: h))
                lastDraw = t
                dirty = false
            }
        }
        // A clean disconnect sends no will: say so first, so the claims this console holds start their lease.
        let gone = presence(false)
        _ = try? client.publish(gone.topic, gone.payload, qos: 1, retain: true)
        try? client.write()
        client.disconnect()
    }
}
