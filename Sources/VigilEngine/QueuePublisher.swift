import Mosquitto
import VigilCore
import VigilStore
import VigilWire

/// How a queue entry names its person: the name, and where they are when it matters.
struct PersonLabel {
    var name: String
    var status: String?
}

/// The queue as consoles see it: one retained message per open alarm (an empty one removes it) and
/// a retained summary with the last hour's answer shares. Fed the alarms that changed during a
/// batch; publishes after the commit, so no console ever sees state the database does not hold.
struct QueuePublisher {
    let topics: ConsoleTopics
    let wire: WireEncoder
    private var changed: Set<String> = []
    private(set) var answers = AnswerShare()

    init(topics: ConsoleTopics, wire: WireEncoder) {
        self.topics = topics
        self.wire = wire
    }

    /// Learns of the alarms an action persists.
    mutating func note(_ actions: [DeskAction]) {
        for a in actions {
            switch a {
            case .open(let alarm):
                changed.insert(alarm.code)
                answers.note(alarm)
            case .update(let alarm):
                changed.insert(alarm.code)
                answers.update(alarm)
            case .openVisit(let v), .updateVisit(let v):
                changed.insert(v.alarmCode)
            case .audit, .notify, .offerHandOver, .withdrawHandOver:
                break
            }
        }
    }

    /// Learns of the last hour's alarms at start-up, for the answer shares.
    mutating func remember(_ alarms: [Alarm]) {
        for a in alarms { answers.note(a) }
    }

    /// Retained updates for what changed since the last call. `person` names an alarm's person.
    mutating func updates(desk: AlarmDesk, now: EpochMillis, person: (String) throws -> PersonLabel) throws -> [MQTTMessage] {
        guard !changed.isEmpty else { return [] }
        defer { changed.removeAll() }
        var out: [MQTTMessage] = []
        for code in changed.sorted() {
            out.append(try entry(code, desk.open[code], desk: desk, person: person))
        }
        out.append(summary(desk: desk, now: now))
        return out
    }

    /// The whole queue for a (re)connection: every open alarm, and clearing of recently closed ones.
    mutating func snapshot(desk: AlarmDesk, recentlyClosed: [String], now: EpochMillis, person: (String) throws -> PersonLabel) throws -> [MQTTMessage] {
        var out: [MQTTMessage] = []
        for code in recentlyClosed where desk.open[code] == nil {
            out.append(try entry(code, nil, desk: desk, person: person))
        }
        for a in desk.queue {
            out.append(try entry(a.code, a, desk: desk, person: person))
        }
        changed.removeAll()
        out.append(summary(desk: desk, now: now))
        return out
    }

    private func entry(_ code: String, _ alarm: Alarm?, desk: AlarmDesk, person: (String) throws -> PersonLabel) throws -> MQTTMessage {
        guard let alarm else { return MQTTMessage(topic: topics.alarm(code), payload: [], qos: 1, retain: true) }
        var e = try entry(alarm, person(alarm.user))
        // The responder's progress, where the operator's eye is: "resp-1 en-route".
        if let v = desk.openVisits(alarm.id).last { e.visit = "\(v.responder) \(v.stage.rawValue)" }
        return MQTTMessage(topic: topics.alarm(code), payload: wire.encode(e), qos: 1, retain: true)
    }

    private func entry(_ alarm: Alarm, _ label: PersonLabel) -> QueueEntry {
        QueueEntry(alarm, person: label.name, personStatus: label.status)
    }

    private mutating func summary(desk: AlarmDesk, now: EpochMillis) -> MQTTMessage {
        answers.forget(before: now - AnswerShare.horizonMillis)
        let q = desk.queue
        func count(_ p: Priority) -> Int { q.filter { $0.priority == p }.count }
        let summary = QueueSummary(at: now, open: q.count, p1: count(.emergency), p2: count(.urgent), p3: count(.technical),
                                   claimed: q.filter { $0.status == .claimed }.count, escalated: q.filter { $0.escalation > 0 }.count,
                                   answered60: answers.percentAnswered(within: 60, now: now), answered180: answers.percentAnswered(within: 180, now: now))
        return MQTTMessage(topic: topics.summary, payload: wire.encode(summary), qos: 1, retain: true)
    }
}
