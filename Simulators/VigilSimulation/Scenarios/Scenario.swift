import Foundation
import VigilWire

/// A timeline run against a live broker and daemon, with expectations checked as it goes. The JSON
/// schema is documented in README.md ("Simulators"); field names are snake_case there.
public struct Scenario: Decodable, Sendable {
    public var name: String
    public var description: String?
    /// YAML for `vigil serve --config`: short escalation timers, a night window. `{{now+N}}` and
    /// `{{now-N}}` are replaced by the local time of day N minutes from now (see `renderedConfig`).
    public var config: String?
    public var people: [Person]
    public var devices: [Device]
    public var operators: [Operator]
    /// The mobile response team (registered as `vigil responders add` does).
    public var responders: [Responder]?
    /// Who is on call for which area, in minutes from the start of the run.
    public var rota: [Shift]?
    public var steps: [Step]

    public struct Person: Decodable, Sendable {
        public var id: String
        public var name: String
        public var groups: [String]?
        /// Recorded as away or in hospital (`away`, `hospital`) from the day of the run.
        public var absence: String?
        /// The area (1–8) whose rota covers them: a dispatch without `to` sends whoever is on call there.
        public var area: Int?
    }

    /// A mobile responder: `phone` a UK number.
    public struct Responder: Decodable, Sendable {
        public var id: String
        public var name: String
        public var phone: String
    }

    /// One stretch of a rota: `responder` on call for `area` from `from` to `until`, minutes from the
    /// start of the run (negative: before it), so the rota covers the run whenever it happens.
    /// `kind` is rota (the default) or override; an override needs a `reason`.
    public struct Shift: Decodable, Sendable {
        public var area: Int
        public var responder: String
        public var from: Double
        public var until: Double
        public var kind: String?
        public var reason: String?
    }

    public struct Device: Decodable, Sendable {
        public var id: String
        public var user: String
        public var type: String
        public var heartbeat: Int?
        /// Suspended with this reason (uninstalled, in for repair): not supervised.
        public var suspended: String?
        /// The device's friendly name on a Zigbee2MQTT bridge: it speaks through the bridge (`zigbee` steps).
        public var zigbee: String?
    }

    public struct Operator: Decodable, Sendable {
        public var id: String
        public var name: String
        public var role: String?
    }

    /// An event as a device sends it. `id` defaults to one made from the step's position; the run's
    /// tag is put in front of it either way, so a scenario can be run again on the same database.
    public struct EventSpec: Decodable, Sendable {
        public var type: String
        public var id: String?
        public var detail: [String: JSONValue]?
        public var battery: Int?
        public var ts: String?
        /// Pads the payload (a `detail.pad` string) to this many bytes: an oversized event.
        public var padTo: Int?

        enum CodingKeys: String, CodingKey {
            case type, id, detail, battery, ts
            case padTo = "pad_to"
        }
    }

    /// One thing to do at `at` seconds after the start, then check.
    public struct Step: Decodable, Sendable {
        public var at: Double
        public var note: String?

        // A device sends an event (or raw bytes) and Vigil acks it.
        public var device: String?
        public var event: EventSpec?
        /// A payload sent as it is (UTF-8 text), e.g. malformed JSON.
        public var raw: String?
        /// A payload given as hex bytes, e.g. invalid UTF-8.
        public var rawHex: String?
        /// The id a `raw` payload carries (after `{{tag}}` is replaced), so its ack can be awaited.
        public var ackID: String?
        /// accepted | duplicate | rejected | none (nothing can be acked: no readable id).
        public var expectAck: String?
        /// The ack names an alarm (true) or does not (false: recorded only).
        public var expectAlarm: Bool?
        /// The ack names the same alarm as the step labelled so (grouping, a cancel on a claimed alarm).
        public var sameAlarmAs: String?
        /// Label the ack's alarm for later steps.
        public var label: String?
        /// A dead letter with this reason is written.
        public var expectDeadLetter: String?

        // A Zigbee2MQTT bridge publishes `raw` as this friendly name's state, on `{zigbee base}/{name}`.
        // The bridge reads no ack: the step waits until Vigil has read the message (the device's
        // stored Zigbee state, or the count of a name nobody registered, changes).
        public var zigbee: String?
        /// One of the ack's `warnings` (a malformed side field dropped) contains this text.
        public var expectWarningContains: String?

        // An operator sends a console command.
        public var `operator`: String?
        public var command: String?
        /// The alarm label the command is about.
        public var alarm: String?
        public var outcome: String?
        public var text: String?
        public var to: String?
        /// For `move-claims`: the operator whose claims a supervisor moves.
        public var from: String?
        /// The command's request id (the run's tag is put in front); by default one per step. Give two
        /// steps the same one to send a command twice.
        public var request: String?
        /// ok | error
        public var expectReply: String?
        public var expectErrorContains: String?

        // A responder's handset reports progress on `alarm` (its `stage`: en-route, on-site, access-gained, left), on
        // `{prefix}/v1/responders/{id}/reports`; the reply to it is checked with `expect_reply` and
        // `expect_error_contains` as a command's is.
        public var responder: String?
        public var stage: String?

        // A check of the stored alarm state, retried until it holds or `within` seconds pass.
        public var expect: Expectation?
        public var within: Double?

        enum CodingKeys: String, CodingKey {
            case at, note, device, event, raw, command, alarm, outcome, text, to, from, expect, within, label, zigbee, responder, stage
            case rawHex = "raw_hex", expectAck = "expect_ack", expectAlarm = "expect_alarm", sameAlarmAs = "same_alarm_as"
            case expectDeadLetter = "expect_dead_letter", `operator`, expectReply = "expect_reply", expectErrorContains = "expect_error_contains"
            case expectWarningContains = "expect_warning_contains", ackID = "ack_id", request
        }
    }

    /// What the stored alarm (by label, or the newest alarm of a device) must look like, and what the
    /// consoles and handsets are shown (retained messages), and the centre's own audit rows.
    public struct Expectation: Decodable, Sendable {
        public var alarm: String?
        public var device: String?
        /// For `device`: whether it has an alarm that is not resolved.
        public var open: Bool?
        /// For `device`: how many alarms it has had raised since the run started, open or not.
        public var alarms: Int?
        public var state: String?
        public var priority: Int?
        public var escalation: Int?
        public var outcome: String?
        public var claimedBy: String?
        public var events: Int?
        public var breached: Bool?
        public var reasonContains: String?
        /// An audit action recorded for the alarm (escalated, target-breach, reminder, device-cancel…).
        public var audit: String?
        public var auditCount: Int?
        /// The alarm comes before the alarm with this label in the queue (priority first, always).
        public var queueBefore: String?
        /// With `audit`: one of those rows' detail contains this text.
        public var auditContains: String?

        /// How many responder visits the alarm has had, open or closed.
        public var visits: Int?
        /// The stage of the alarm's newest visit (dispatched, en-route, on-site, access-gained, left, cancelled); the
        /// time of each stage up to it must be stored, in order.
        public var visitStage: String?
        /// Who was sent on the newest visit.
        public var visitResponder: String?
        /// The newest visit was on site within this many seconds of the dispatch.
        public var visitOnSiteWithin: Double?
        /// The newest visit's "not on site" notice has gone out; its mobile-response breach is recorded.
        public var visitLateNotice: Bool?
        public var visitBreached: Bool?
        /// The calls recorded for the alarm, in order, each as "callee: result".
        public var calls: [String]?
        /// The responder's handset holds the alarm's job (retained on their jobs topic); `no_job_for`: it does not.
        public var jobFor: String?
        public var noJobFor: String?
        /// These operators' consoles show a notice about the alarm (retained), whose `why` contains
        /// `notice_contains` when given; `no_notice_to`: these show none.
        public var noticeTo: [String]?
        public var noNoticeTo: [String]?
        public var noticeContains: String?

        /// A gap in the rota for this area is on these operators' consoles (a retained cover notice);
        /// `cover_not_shown_to`: not on these. `cover_now`: the gap has begun (or has not).
        public var coverArea: Int?
        public var coverShownTo: [String]?
        public var coverNotShownTo: [String]?
        public var coverNow: Bool?
        /// An audit row naming no alarm with this action (rota-gap), written since the run started,
        /// whose detail contains `centre_audit_contains` when given.
        public var centreAudit: String?
        public var centreAuditContains: String?
        /// The hand-over offer retained on this operator's console: from `offer_from`, with
        /// `offer_alarms` alarms (0: no offer is waiting).
        public var offerTo: String?
        public var offerFrom: String?
        public var offerAlarms: Int?

        enum CodingKeys: String, CodingKey {
            case alarm, device, open, alarms, state, priority, escalation, outcome, events, breached, audit, visits, calls
            case claimedBy = "claimed_by", reasonContains = "reason_contains", auditCount = "audit_count", queueBefore = "queue_before"
            case auditContains = "audit_contains", visitStage = "visit_stage", visitResponder = "visit_responder"
            case visitOnSiteWithin = "visit_on_site_within", visitLateNotice = "visit_late_notice", visitBreached = "visit_breached"
            case jobFor = "job_for", noJobFor = "no_job_for", noticeTo = "notice_to", noNoticeTo = "no_notice_to", noticeContains = "notice_contains"
            case coverArea = "cover_area", coverShownTo = "cover_shown_to", coverNotShownTo = "cover_not_shown_to", coverNow = "cover_now"
            case centreAudit = "centre_audit", centreAuditContains = "centre_audit_contains"
            case offerTo = "offer_to", offerFrom = "offer_from", offerAlarms = "offer_alarms"
        }
    }

    public static func load(path: String) throws -> Scenario {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        do {
            return try JSONDecoder().decode(Scenario.self, from: data)
        } catch {
            throw SimulationError("\(path) is not a valid scenario: \(error)")
        }
    }

    /// The config with `{{now±N}}` replaced by local "HH:MM" N minutes from `now`: a night window
    /// around the moment of the run (or one that excludes it) makes property-exit triage independent
    /// of the hour the tests happen to run at.
    public func renderedConfig(now: Date = Date(), timeZone: TimeZone = .current) -> String? {
        guard var text = config else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        while let open = text.range(of: "{{now"), let close = text.range(of: "}}", range: open.upperBound..<text.endIndex) {
            let offset = Int(text[open.upperBound..<close.lowerBound].replacingOccurrences(of: "+", with: "")) ?? 0
            let c = calendar.dateComponents([.hour, .minute], from: now.addingTimeInterval(Double(offset) * 60))
            text.replaceSubrange(open.lowerBound..<close.upperBound, with: String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0))
        }
        return text
    }
}
