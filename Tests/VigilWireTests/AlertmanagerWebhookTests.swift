import Foundation
import Testing
import VigilCore
@testable import VigilWire

/// The webhook body is Alertmanager's version 4 JSON: Vigil's message has exactly its keys, and a
/// payload as Alertmanager itself sends one reads with the same type.
@Suite("Wire: the Alertmanager webhook message")
struct AlertmanagerWebhookTests {
    let wire = WireEncoder()
    let reader = WireDecoder()
    static let fall = Alarm(id: 7, code: "A-2026-000007", user: "u1", device: "pend-1", type: .fall, priority: .emergency, reason: "fall detected",
                            raisedAt: 1_795_314_847_000)

    @Test func aFiringAlarmHasAlertmanagersKeysAndNamesTheAlarm() throws {
        let m = AlertmanagerWebhook(alarm: Self.fall, person: "Edith Clarke", why: "P1 fall: nobody has answered for 3 min", receiver: "duty-manager", node: "arc-1")
        let bytes = wire.encode(m)
        #expect(try WireKeys.top(bytes) == ["version", "groupKey", "truncatedAlerts", "status", "receiver", "groupLabels", "commonLabels",
                                            "commonAnnotations", "externalURL", "alerts"])
        guard case .object(let top)? = JSONValue.parse(bytes), case .array(let alerts)? = top["alerts"], case .object(let alert)? = alerts.first else {
            Issue.record("no alert in \(String(decoding: bytes, as: UTF8.self))")
            return
        }
        #expect(Set(alert.keys) == ["status", "labels", "annotations", "startsAt", "endsAt", "generatorURL", "fingerprint"])
        let back = try #require(reader.decode(AlertmanagerWebhook.self, from: bytes))
        #expect(back == m)
        #expect(back.version == "4")
        #expect(back.status == .firing)
        #expect(back.receiver == "duty-manager")
        #expect(back.groupKey == #"{}:{alarm="A-2026-000007"}"#)
        let a = try #require(back.alerts.first)
        #expect(a.labels == ["alertname": "VigilAlarm", "alarm": "A-2026-000007", "priority": "P1", "type": "fall", "user": "u1"])
        #expect(a.annotations["summary"] == "P1 fall: nobody has answered for 3 min")
        #expect(a.annotations["person"] == "Edith Clarke")
        #expect(a.startsAt == "2026-11-22T02:34:07.000Z")
        #expect(a.endsAt == AlertmanagerWebhook.stillFiring)
        #expect(a.fingerprint.count == 16 && a.fingerprint.allSatisfy(\.isHexDigit))
    }

    @Test func aResolvedAlarmIsSentResolvedWithItsEnd() throws {
        var closed = Self.fall
        closed.state = .resolved(Alarm.Resolution(outcome: .resolvedOnCall, by: "op1", at: Self.fall.raisedAt + 90_000))
        let m = AlertmanagerWebhook(alarm: closed, person: "Edith Clarke", why: "resolved", receiver: "pager", node: "arc-1")
        #expect(m.status == .resolved)
        #expect(m.alerts.map(\.status) == [.resolved])
        #expect(m.alerts.first?.endsAt == "2026-11-22T02:35:37.000Z")
    }

    /// The fingerprint is the alert's identity across messages: a repeat of the same alarm has the
    /// same one; another alarm has another.
    @Test func theFingerprintFollowsTheLabels() {
        let labels = ["alertname": "VigilAlarm", "alarm": "A-2026-000007"]
        #expect(AlertmanagerWebhook.fingerprint(labels) == AlertmanagerWebhook.fingerprint(labels))
        #expect(AlertmanagerWebhook.fingerprint(labels) != AlertmanagerWebhook.fingerprint(labels.merging(["alarm": "A-2026-000008"]) { $1 }))
        // Moving a byte from a name to its value is another label set, so another fingerprint.
        #expect(AlertmanagerWebhook.fingerprint(["ab": "c"]) != AlertmanagerWebhook.fingerprint(["a": "bc"]))
    }

    /// A body as Alertmanager 0.27 sends it (its documented shape), read by Vigil's type: the receiver
    /// side in the tests reads exactly what a real Alertmanager consumer would.
    @Test func alertmanagersOwnPayloadReads() throws {
        let sample = """
            {"receiver":"sms","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"ProbeFailure","severity":"critical"},
            "annotations":{"summary":"BlackBox Probe Failure"},"startsAt":"2023-02-06T13:08:45.828Z","endsAt":"0001-01-01T00:00:00Z",
            "generatorURL":"http://prometheus.example.org:9090/graph","fingerprint":"1a30ba71cca2921f"}],"groupLabels":{"alertname":"ProbeFailure"},
            "commonLabels":{"alertname":"ProbeFailure","severity":"critical"},"commonAnnotations":{"summary":"BlackBox Probe Failure"},
            "externalURL":"http://prometheus.example.org:9093","version":"4","groupKey":"{}/{severity=\\"critical\\"}:{alertname=\\"ProbeFailure\\"}",
            "truncatedAlerts":0}
            """
        let m = try #require(reader.decode(AlertmanagerWebhook.self, from: Array(sample.utf8)))
        #expect(m.alerts.first?.fingerprint == "1a30ba71cca2921f")
        #expect(m.groupKey == #"{}/{severity="critical"}:{alertname="ProbeFailure"}"#)
    }
}
