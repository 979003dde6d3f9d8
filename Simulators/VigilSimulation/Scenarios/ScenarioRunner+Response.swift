import Foundation
import VigilCore
import VigilStore
import VigilWire

/// The on-call response checks: an alarm's visits and calls as stored, and what consoles and
/// handsets are shown (retained messages, as a console or handset subscribing now would get them).
extension ScenarioRunner {
    var consoleTopics: ConsoleTopics { ConsoleTopics(prefix: driver.prefix) }
    var responderTopics: ResponderTopics { ResponderTopics(prefix: driver.prefix) }

    /// The checks of one alarm's response.
    func responseMismatches(_ e: Scenario.Expectation, _ r: Alarm) -> [String] {
        var out: [String] = []
        let visits = (try? db.visits(alarm: r.id)) ?? []
        if let want = e.visits, want != visits.count { out.append("\(visits.count) visit(s), expected \(want)") }
        let wantsVisit = e.visitStage != nil || e.visitResponder != nil || e.visitOnSiteWithin != nil || e.visitLateNotice != nil || e.visitBreached != nil
        if wantsVisit {
            if let v = visits.last { out += visitMismatches(e, v) } else { out.append("no visit") }
        }
        if let want = e.calls {
            let calls = ((try? db.callAttempts(alarm: r.id)) ?? []).map { "\($0.callee): \($0.result)" }
            if calls != want { out.append("calls \(calls), expected \(want)") }
        }
        if let responder = e.jobFor {
            if let payload = driver.retained(responderTopics.job(responder, alarm: r.code)) {
                if reader.decode(ResponderJob.self, from: payload)?.alarm != r.code { out.append("\(responder)'s handset holds an unreadable job") }
            } else {
                out.append("\(responder)'s handset has no job for \(r.code)")
            }
        }
        if let responder = e.noJobFor, driver.retained(responderTopics.job(responder, alarm: r.code)) != nil {
            out.append("\(responder)'s handset still holds the job")
        }
        for op in e.noticeTo ?? [] {
            guard let payload = driver.retained(consoleTopics.notice(op, alarm: r.code)), let n = reader.decode(ConsoleNotice.self, from: payload) else {
                out.append("no notice on \(op)'s console")
                continue
            }
            if let words = e.noticeContains, !n.why.contains(words) { out.append("\(op)'s notice says \"\(n.why)\", not \"\(words)\"") }
        }
        for op in e.noNoticeTo ?? [] where driver.retained(consoleTopics.notice(op, alarm: r.code)) != nil {
            out.append("a notice is on \(op)'s console")
        }
        return out
    }

    func visitMismatches(_ e: Scenario.Expectation, _ v: Visit) -> [String] {
        var out: [String] = []
        if let want = e.visitStage {
            if want != v.stage.rawValue { out.append("visit \(v.stage.rawValue), expected \(want)") }
            // Each stage reached has its time, none before the one it follows; a responder may leave
            // without getting in.
            let stages: [(Visit.Stage, EpochMillis?)] = [(.enRoute, v.enRouteAt), (.onSite, v.onSiteAt), (.accessGained, v.accessGainedAt), (.left, v.leftAt)]
            let rank = { (s: Visit.Stage) in Visit.Stage.allCases.firstIndex(of: s) ?? 0 }
            let times: [(Visit.Stage, EpochMillis?)] = want == Visit.Stage.cancelled.rawValue ? [(.cancelled, v.cancelledAt)]
                : stages.filter { rank($0.0) <= Visit.Stage(rawValue: want).map(rank) ?? -1 && !(want == Visit.Stage.left.rawValue && $0.0 == .accessGained && $0.1 == nil) }
            var last = v.dispatchedAt
            for (name, at) in times {
                guard let at else { out.append("no \(name.rawValue) time stored"); continue }
                if at < last { out.append("\(name.rawValue) at \(RFC3339.format(millis: at)) is before the stage it follows") }
                last = at
            }
        }
        if let want = e.visitResponder, want != v.responder { out.append("visit by \(v.responder), expected \(want)") }
        if let within = e.visitOnSiteWithin {
            if let on = v.onSiteAt {
                if Double(on - v.dispatchedAt) > within * 1000 { out.append("on site \(Double(on - v.dispatchedAt) / 1000) s after dispatch, expected within \(within) s") }
            } else {
                out.append("never on site")
            }
        }
        if let want = e.visitLateNotice, want != v.lateNoticeSent { out.append("late notice sent \(v.lateNoticeSent), expected \(want)") }
        if let want = e.visitBreached, want != v.breached { out.append("visit breached \(v.breached), expected \(want)") }
        return out
    }

    /// The checks that name no alarm: a gap in cover on supervisors' consoles, the centre's audit,
    /// a hand-over offer waiting on a console.
    func consoleMismatches(_ e: Scenario.Expectation) -> [String] {
        var out: [String] = []
        if let area = e.coverArea {
            for op in e.coverShownTo ?? [] {
                guard let payload = driver.retained(consoleTopics.cover(op, area: area)), let c = reader.decode(CoverNotice.self, from: payload) else {
                    out.append("no gap in area \(area) on \(op)'s console")
                    continue
                }
                if let now = e.coverNow, now != (c.from <= driver.now) {
                    out.append("the gap in area \(area) starts \(RFC3339.format(millis: c.from)), expected \(now ? "now" : "later")")
                }
            }
            for op in e.coverNotShownTo ?? [] where driver.retained(consoleTopics.cover(op, area: area)) != nil {
                out.append("a gap in area \(area) is on \(op)'s console")
            }
        }
        if let name = e.centreAudit {
            guard let action = AuditAction(rawValue: name) else { return out + ["no audit action is called '\(name)'"] }
            let details = (try? db.centreAuditDetails(action: action, since: runStart - Self.registrationSlackMillis)) ?? []
            if details.isEmpty { out.append("no audit '\(name)' naming no alarm") }
            else if let words = e.centreAuditContains, !details.contains(where: { $0.contains(words) }) {
                out.append("no audit '\(name)' says \"\(words)\" (\(details.joined(separator: " | ")))")
            }
        }
        if let op = e.offerTo {
            let offer = driver.retained(consoleTopics.handOver(op)).flatMap { reader.decode(HandOverOffer.self, from: $0) }
            if let want = e.offerAlarms, want != (offer?.alarms.count ?? 0) { out.append("\(offer?.alarms.count ?? 0) alarm(s) offered to \(op), expected \(want)") }
            if let want = e.offerFrom, want != offer?.from { out.append("offer to \(op) from \(offer?.from ?? "nobody"), expected \(want)") }
        }
        return out
    }

    /// The daemon checks the rota as it starts, a few seconds before the first step.
    static let registrationSlackMillis: EpochMillis = 120_000
}
