import Foundation
import VigilCore
import VigilStore
import VigilWire

extension ScenarioRunner {
    /// Builds the step's payload: the event as JSON, or the raw text or bytes as given.
    func payload(_ step: Scenario.Step, index i: Int) -> (id: String?, bytes: [UInt8]) {
        if let hex = step.rawHex {
            var bytes: [UInt8] = []
            var s = Substring(hex.filter { !$0.isWhitespace })
            while s.count >= 2, let b = UInt8(s.prefix(2), radix: 16) {
                bytes.append(b)
                s = s.dropFirst(2)
            }
            return (nil, bytes)
        }
        if let raw = step.raw {
            return (step.ackID?.replacingOccurrences(of: "{{tag}}", with: tag), Array(raw.replacingOccurrences(of: "{{tag}}", with: tag).utf8))
        }
        guard let e = step.event else { return (nil, []) }
        let id = "\(tag)-\(e.id ?? "e\(i + 1)")"
        var message = EventMessage(id: id, ts: e.ts ?? RFC3339.format(millis: driver.now), type: e.type, battery: e.battery, detail: e.detail)
        var bytes = wire.encode(message)
        if let size = e.padTo, size > bytes.count + 20 {
            // An empty pad first, to learn what the key itself costs; then fill it to `size` bytes.
            var detail = e.detail ?? [:]
            detail["pad"] = .string("")
            message.detail = detail
            detail["pad"] = .string(String(repeating: "x", count: max(0, size - wire.encode(message).count)))
            message.detail = detail
            bytes = wire.encode(message)
        }
        return (id, bytes)
    }

    func sendEvent(_ step: Scenario.Step, index i: Int) -> String {
        let device = step.device ?? ""
        let (id, bytes) = payload(step, index: i)
        var line = "\(device) \(step.event?.type ?? "raw \(bytes.count) bytes")"
        let deadLettersBefore = step.expectDeadLetter.map { deadLetters($0) } ?? 0
        if let id, step.expectAck != "none" {
            let key = "\(device)/\(id)"
            guard let ack = driver.sendEvent(device: device, eventID: id, payload: bytes) else {
                fail(i, "no ack for \(key) within 15 s")
                return line + " → no ack"
            }
            line += " → \(ack.status.rawValue)" + (ack.alarm.map { " \($0)" } ?? "")
            if let want = step.expectAck, want != ack.status.rawValue {
                fail(i, "ack \(ack.status.rawValue) (\(ack.error ?? "")), expected \(want)")
            }
            if let want = step.expectWarningContains, !(ack.warnings ?? []).contains(where: { $0.contains(want) }) {
                fail(i, "no ack warning contains \"\(want)\" (warnings: \((ack.warnings ?? []).joined(separator: " | ")))")
            }
            if let want = step.expectAlarm, want != (ack.alarm != nil) {
                fail(i, want ? "the ack names no alarm" : "the ack names alarm \(ack.alarm ?? "")")
            }
            if let other = step.sameAlarmAs {
                if labels[other] == nil { fail(i, "no alarm is labelled \(other)") }
                else if ack.alarm != labels[other] { fail(i, "the ack names \(ack.alarm ?? "no alarm"), expected \(other) = \(labels[other]!)") }
            }
            if let label = step.label {
                if let a = ack.alarm { labels[label] = a } else { fail(i, "no alarm to label \(label)") }
            }
        } else {
            driver.sendRaw(device: device, payload: bytes)
            line += " → sent (nothing can be acked)"
        }
        if let reason = step.expectDeadLetter {
            let deadline = driver.elapsed + 5
            while deadLetters(reason) <= deadLettersBefore && driver.elapsed < deadline { driver.pause() }
            if deadLetters(reason) <= deadLettersBefore { fail(i, "no dead letter with reason \(reason)") }
            else { line += ", dead letter \(reason)" }
        }
        return line
    }

    /// Publishes `raw` as a Zigbee2MQTT bridge does. No ack comes back (the bridge reads none), so the
    /// step waits until Vigil has read the message before later steps look at what it raised: live,
    /// until the device's stored Zigbee state (or a name nobody registered, its message count)
    /// changes; in-process the engine has read it when the call returns.
    func sendZigbee(_ step: Scenario.Step, index i: Int) -> String {
        let name = step.zigbee ?? ""
        guard let raw = step.raw else {
            fail(i, "a zigbee step needs the bridge's payload in raw")
            return "zigbee \(name)?"
        }
        let bytes = Array(raw.replacingOccurrences(of: "{{tag}}", with: tag).utf8)
        var line = "zigbee \(name) \(raw)"
        let deadLettersBefore = step.expectDeadLetter.map { deadLetters($0) } ?? 0
        let heardBefore = zigbeeHeard(name)
        let read = driver.sendZigbee(friendlyName: name, payload: bytes)
        if let reason = step.expectDeadLetter {
            let deadline = driver.elapsed + 5
            while deadLetters(reason) <= deadLettersBefore && driver.elapsed < deadline { driver.pause() }
            if deadLetters(reason) <= deadLettersBefore { fail(i, "no dead letter with reason \(reason)") }
            else { line += " → dead letter \(reason)" }
            return line
        }
        if read { return line + " → read" }
        let deadline = driver.elapsed + 5
        while zigbeeHeard(name) == heardBefore && driver.elapsed < deadline { driver.pause() }
        if zigbeeHeard(name) == heardBefore {
            fail(i, "Vigil did not read the bridge's message for \(name) within 5 s")
            return line + " → not read"
        }
        return line + " → read"
    }

    func zigbeeHeard(_ friendlyName: String) -> String {
        (try? db.zigbeeHeard(friendlyName: friendlyName, topic: driver.zigbeeTopic(friendlyName: friendlyName))) ?? "?"
    }

    func deadLetters(_ reason: String) -> Int {
        (try? db.deadLetters(reason: reason)) ?? 0
    }

    func sendCommand(_ step: Scenario.Step, index i: Int) -> String {
        let op = step.operator ?? ""
        guard let name = step.command, let action = ConsoleCommand.Action(rawValue: name) else {
            fail(i, "unknown command \(step.command ?? "")")
            return "command?"
        }
        let code = step.alarm.map { labels[$0] ?? $0 } ?? ""
        let request = "\(tag)-\(step.request ?? "r\(i + 1)")"
        let command = ConsoleCommand(request: request, action: action, alarm: code, outcome: step.outcome, text: step.text, to: step.to, from: step.from)
        guard let reply = driver.sendCommand(operator: op, command) else {
            fail(i, "no reply to \(name) within 10 s")
            return "\(op) \(name) \(code) → no reply"
        }
        return judge(reply, step, index: i, line: "\(op) \(name) \(code)")
    }

    /// A responder's handset reports a stage of its visit to `alarm`, as the handset app does.
    func sendReport(_ step: Scenario.Step, index i: Int) -> String {
        let responder = step.responder ?? ""
        let code = step.alarm.map { labels[$0] ?? $0 } ?? ""
        guard let name = step.stage, let stage = Visit.Stage(rawValue: name) else {
            fail(i, "a handset report needs a stage: \(Visit.Stage.allCases.map(\.rawValue).joined(separator: ", "))")
            return "handset \(responder)?"
        }
        let report = ResponderReport(request: "\(tag)-\(step.request ?? "h\(i + 1)")", alarm: code, stage: stage)
        guard let reply = driver.sendReport(responder: responder, report) else {
            fail(i, "no reply to \(responder)'s handset within 10 s")
            return "handset \(responder) \(name) \(code) → no reply"
        }
        return judge(reply, step, index: i, line: "handset \(responder) \(name) \(code)")
    }

    /// Checks a reply against the step's `expect_reply` and `expect_error_contains`.
    func judge(_ reply: ConsoleReply, _ step: Scenario.Step, index i: Int, line start: String) -> String {
        var line = start
        line += reply.ok ? " → ok\(reply.state.map { " (\($0))" } ?? "")" : " → refused: \(reply.error ?? "")"
        if let want = step.expectReply, want != (reply.ok ? "ok" : "error") {
            fail(i, "reply \(reply.ok ? "ok" : "error: \(reply.error ?? "")"), expected \(want)")
        }
        if let words = step.expectErrorContains, !(reply.error ?? "").contains(words) {
            fail(i, "the refusal does not say \"\(words)\": \(reply.error ?? "(none)")")
        }
        return line
    }

    /// Polls until the expectation holds or `within` seconds pass (the daemon works asynchronously:
    /// an escalation step fires on its timer, not when we look).
    func check(_ e: Scenario.Expectation, within: Double, index i: Int) -> String {
        let deadline = driver.elapsed + within
        var mismatch = mismatches(e)
        while !mismatch.isEmpty && driver.elapsed < deadline {
            driver.pause()
            mismatch = mismatches(e)
        }
        let subject = e.alarm.map { "alarm \($0)" } ?? e.device.map { "device \($0)" } ?? "the centre"
        if !mismatch.isEmpty { fail(i, "\(subject): " + mismatch.joined(separator: "; ")) }
        return "expect \(subject)" + (mismatch.isEmpty ? " as stated" : "")
    }

    func row(_ e: Scenario.Expectation) -> Alarm? {
        if let label = e.alarm { return try? db.alarm(code: labels[label] ?? label) }
        if let device = e.device { return try? db.latestAlarm(device: device) }
        return nil
    }

    func mismatches(_ e: Scenario.Expectation) -> [String] {
        var out: [String] = []
        if let device = e.device, let open = e.open {
            let n = (try? db.openAlarmCount(device: device)) ?? -1
            if (n > 0) != open { out.append(open ? "no open alarm" : "\(n) open alarm(s)") }
        }
        if let device = e.device, let want = e.alarms {
            let n = (try? db.alarmCount(device: device, raisedSince: runStart)) ?? -1
            if n != want { out.append("\(n) alarm(s) raised in this run, expected \(want)") }
        }
        out += consoleMismatches(e)
        let wantsRow = e.state != nil || e.priority != nil || e.escalation != nil || e.outcome != nil || e.claimedBy != nil
            || e.events != nil || e.breached != nil || e.reasonContains != nil || e.audit != nil || e.alarm != nil || e.queueBefore != nil
            || e.visits != nil || e.visitStage != nil || e.visitResponder != nil || e.visitOnSiteWithin != nil || e.visitLateNotice != nil
            || e.visitBreached != nil || e.calls != nil || e.jobFor != nil || e.noJobFor != nil || e.noticeTo != nil || e.noNoticeTo != nil
        guard wantsRow else { return out }
        guard let r = row(e) else { return out + ["no such alarm"] }
        if let v = e.state, v != r.status.rawValue { out.append("state \(r.status.rawValue), expected \(v)") }
        if let v = e.priority, v != r.priority.rawValue { out.append("priority \(r.priority.rawValue), expected \(v)") }
        if let v = e.escalation, v != r.escalation { out.append("escalation \(r.escalation), expected \(v)") }
        if let v = e.outcome, v != r.outcome?.rawValue { out.append("outcome \(r.outcome?.rawValue ?? "none"), expected \(v)") }
        if let v = e.claimedBy, v != r.claimedBy { out.append("claimed by \(r.claimedBy ?? "nobody"), expected \(v)") }
        if let v = e.events, v != r.events { out.append("\(r.events) events, expected \(v)") }
        if let v = e.breached, v != r.breached { out.append("breached \(r.breached), expected \(v)") }
        if let v = e.reasonContains, !r.reason.contains(v) { out.append("reason \"\(r.reason)\" lacks \"\(v)\"") }
        if let other = e.queueBefore {
            let order = (try? db.openAlarmCodes()) ?? []
            if let mine = order.firstIndex(of: r.code), let theirs = labels[other].flatMap({ order.firstIndex(of: $0) }) {
                if mine > theirs { out.append("listed after \(other)") }
            } else {
                out.append("not both open in the queue (\(other))")
            }
        }
        if let name = e.audit {
            guard let action = AuditAction(rawValue: name) else { return out + ["no audit action is called '\(name)'"] }
            let n = (try? db.auditCount(alarm: r.id, action: action)) ?? 0
            if let want = e.auditCount { if n != want { out.append("\(n) audit '\(name)', expected \(want)") } }
            else if n == 0 { out.append("no audit '\(name)'") }
            if let words = e.auditContains {
                let details = (try? db.auditDetails(alarm: r.id, action: action)) ?? []
                if !details.contains(where: { $0.contains(words) }) { out.append("no audit '\(name)' says \"\(words)\" (\(details.joined(separator: " | ")))") }
            }
        }
        return out + responseMismatches(e, r)
    }
}
