import VigilCore

/// What Vigil POSTs to a webhook: Alertmanager's webhook receiver JSON, version 4 (Prometheus docs,
/// "webhook_config"), so a paging or SMS gateway that takes Alertmanager's alerts takes Vigil's.
/// One alarm per message: the group is the alarm (`groupKey` `{}:{alarm="2026-000123"}`), so a
/// receiver that deduplicates by group key collapses an escalation step's repeats into one page.
/// The same type is what the daemon sends and what the tests' receiver reads back.
///
/// Keys are Alertmanager's own (camelCase), not Vigil's snake_case: this is their contract.
public struct AlertmanagerWebhook: Codable, Sendable, Equatable {
    /// Alertmanager's payload version; "4" since Alertmanager 0.8.
    public var version: String
    public var groupKey: String
    /// How many alerts were left out (Alertmanager's `max_alerts`); Vigil sends them all, always 0.
    public var truncatedAlerts: Int
    public var status: Status
    /// The webhook's name under `webhooks:` (Alertmanager's receiver name).
    public var receiver: String
    public var groupLabels: [String: String]
    public var commonLabels: [String: String]
    public var commonAnnotations: [String: String]
    /// Alertmanager's back link; Vigil has no web page to point at, so the node that sent it
    /// (`vigil://host`), for the person paged to know which centre's daemon to look at.
    public var externalURL: String
    public var alerts: [Alert]

    public enum Status: String, Codable, Sendable {
        case firing, resolved
    }

    public struct Alert: Codable, Sendable, Equatable {
        public var status: Status
        public var labels: [String: String]
        public var annotations: [String: String]
        /// RFC 3339 in UTC; `endsAt` is Go's zero time `0001-01-01T00:00:00Z` while the alert fires.
        public var startsAt: String
        public var endsAt: String
        public var generatorURL: String
        /// Identifies the alert across messages: 16 hex digits (FNV-1a of its labels), as Alertmanager's.
        public var fingerprint: String

        public init(status: Status, labels: [String: String], annotations: [String: String], startsAt: String, endsAt: String, generatorURL: String, fingerprint: String) {
            self.status = status
            self.labels = labels
            self.annotations = annotations
            self.startsAt = startsAt
            self.endsAt = endsAt
            self.generatorURL = generatorURL
            self.fingerprint = fingerprint
        }
    }

    public init(version: String = "4", groupKey: String, truncatedAlerts: Int = 0, status: Status, receiver: String, groupLabels: [String: String],
                commonLabels: [String: String], commonAnnotations: [String: String], externalURL: String, alerts: [Alert]) {
        self.version = version
        self.groupKey = groupKey
        self.truncatedAlerts = truncatedAlerts
        self.status = status
        self.receiver = receiver
        self.groupLabels = groupLabels
        self.commonLabels = commonLabels
        self.commonAnnotations = commonAnnotations
        self.externalURL = externalURL
        self.alerts = alerts
    }

    /// Go's zero `time.Time`, which Alertmanager writes as the end of an alert still firing.
    public static let stillFiring = "0001-01-01T00:00:00Z"
    /// Every Vigil alert's `alertname`.
    public static let alertName = "VigilAlarm"

    /// The message for one alarm: labels name it (code, priority, type, the person's id), the
    /// summary says why the webhook is called, and the person's name is an annotation (labels are
    /// for routing, and a name is not a routing key). A resolved alarm is sent `resolved`, ended at
    /// its close.
    public init(alarm: Alarm, person: String, why: String, receiver: String, node: String) {
        // Built in a function of its own: Swift 6.3's optimiser (-O with sanitizers, the fuzz build)
        // crashes verifying this body when it is inlined into a delegating initialiser.
        self = Self.message(alarm: alarm, person: person, why: why, receiver: receiver, node: node)
    }

    @inline(never)
    static func message(alarm: Alarm, person: String, why: String, receiver: String, node: String) -> AlertmanagerWebhook {
        let closedAt = alarm.closedAt
        let labels = [
            "alertname": Self.alertName,
            "alarm": alarm.code,
            "priority": "P\(alarm.priority.rawValue)",
            "type": alarm.type.rawValue,
            "user": alarm.user,
        ]
        let annotations = [
            "summary": why,
            "person": person,
            "description": "\(alarm.priority.label) \(alarm.type.rawValue) for \(person): \(alarm.reason)",
        ]
        let status: Status = closedAt == nil ? .firing : .resolved
        let alert = Alert(status: status, labels: labels, annotations: annotations, startsAt: RFC3339.format(millis: alarm.raisedAt),
                          endsAt: closedAt.map { RFC3339.format(millis: $0) } ?? Self.stillFiring,
                          generatorURL: "", fingerprint: Self.fingerprint(labels))
        return AlertmanagerWebhook(groupKey: "{}:{alarm=\"\(alarm.code)\"}", status: status, receiver: receiver, groupLabels: ["alarm": alarm.code],
                  commonLabels: labels, commonAnnotations: annotations, externalURL: "vigil://\(node)", alerts: [alert])
    }

    /// FNV-1a (64 bit) over the labels sorted by name, each name and value followed by a 0xff byte
    /// (which UTF-8 never contains), as 16 hex digits: the same labels, the same fingerprint.
    public static func fingerprint(_ labels: [String: String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ bytes: some Sequence<UInt8>) {
            for b in bytes {
                hash ^= UInt64(b)
                hash = hash &* 0x0000_0100_0000_01b3
            }
            hash ^= 0xff
            hash = hash &* 0x0000_0100_0000_01b3
        }
        for key in labels.keys.sorted() {
            mix(key.utf8)
            mix(labels[key]!.utf8)
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
