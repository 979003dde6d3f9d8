import Foundation
import Mosquitto
import VigilCore
import VigilStore
import VigilWire

/// The rota stage: once a minute, for every area people live in, the first stretch of the next 24
/// hours with nobody on call. A new gap is audited and put on each supervisor's console (every
/// operator's, when no supervisor is registered), retained while it lasts; a gap filled is taken
/// off. A gap that was ahead and has begun is told again, as "now".
struct CoverWatch {
    static let horizonMillis: EpochMillis = 24 * 3_600_000
    static let everyMillis: EpochMillis = 60_000

    let rota: RotaStore
    let notices: NoticeStore
    let topics: ConsoleTopics
    let wire: WireEncoder
    private(set) var due: EpochMillis = 0
    /// The gap each console was last told of, by area.
    private var told: [Int: String] = [:]
    /// Who was told: cleared on those consoles when the gap closes.
    private var recipients: [String] = []
    private var started = false

    init(rota: RotaStore, notices: NoticeStore, topics: ConsoleTopics, wire: WireEncoder) {
        self.rota = rota
        self.notices = notices
        self.topics = topics
        self.wire = wire
    }

    /// A rolled-back batch: tell everything again at the next check.
    mutating func forget() {
        started = false
        due = 0
    }

    /// Areas with a gap in the next 24 hours, as last checked.
    var areasWithGap: Int { told.count }

    /// Checks the rota; returns the audit rows to write and the messages to publish after the commit.
    mutating func check(now: EpochMillis, zone: TimeZone) throws -> (audit: [AuditEntry], messages: [MQTTMessage]) {
        due = now + Self.everyMillis
        let operators = try notices.operators()
        let supervisors = operators.filter { $0.role == .supervisor }.map(\.id)
        let to = supervisors.isEmpty ? operators.map(\.id) : supervisors
        let areas = try rota.areasWithPeople()
        // No rota kept in Vigil (no responder registered): nothing to watch, nothing to clear.
        if areas.isEmpty && told.isEmpty && !started {
            return ([], [])
        }
        var gaps: [Int: RotaGap] = [:]
        for area in areas {
            if let first = try rota.gaps(area: area, from: now, until: now + Self.horizonMillis).first { gaps[area] = first }
        }
        // A gap is told again when it changes, or when one that was ahead has begun.
        // A gap that runs to the end of the 24 hours looked at ends "beyond", not at a time that moves.
        func key(_ g: RotaGap) -> String {
            (g.from <= now ? "now" : "\(g.from)") + "…" + (g.until >= now + Self.horizonMillis ? "beyond" : "\(g.until)")
        }
        var audit: [AuditEntry] = [], messages: [MQTTMessage] = []
        // The first check clears what an earlier run left on consoles for areas now covered.
        let changed = started ? Set(told.keys).union(gaps.keys) : Set(1...8)
        for area in changed.sorted() {
            let before = told[area], after = gaps[area]
            if started, before == after.map(key) { continue }
            if let g = after {
                if before == nil {
                    let when = g.from <= now ? "now" : "from \(RotaTime.format(g.from, zone: zone))"
                    audit.append(AuditEntry(at: now, alarmID: nil, actor: .system, action: .rotaGap,
                                            detail: "area \(area): nobody on call \(when) until \(RotaTime.format(g.until, zone: zone))"))
                }
                let payload = wire.encode(CoverNotice(area: area, from: g.from, until: g.until, at: now))
                messages += to.map { MQTTMessage(topic: topics.cover($0, area: area), payload: payload, qos: 1, retain: true) }
            } else {
                messages += Set(to + recipients).sorted().map { MQTTMessage(topic: topics.cover($0, area: area), payload: [], qos: 1, retain: true) }
            }
        }
        told = gaps.mapValues(key)
        recipients = to
        started = true
        return (audit, messages)
    }
}
