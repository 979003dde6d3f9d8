import Foundation
import Testing
import VigilCore
@testable import VigilEngine
import VigilWire

/// The escalation, webhook and lease keys of the config file: the shipped example reads back as the
/// defaults, and every mistake is refused with the key and what to write.
@Suite("Config: escalation steps, webhooks, claim lease")
struct EscalationConfigTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("deploy/vigil.example.yaml").path

    @Test func theShippedExampleSpellsOutTheDefaults() throws {
        let config = try VigilConfig.load(path: Self.example)
        #expect(try config.escalationPolicy() == .default)
        #expect(try config.claimLease() == 90)
        let hooks = try config.webhookTargets()
        #expect(hooks.keys.sorted() == ["duty-manager", "no-operators"])
        #expect(hooks["duty-manager"]?.maxAttempts == 5)
        #expect(try config.rateLimits() == .default)
        // The delivery limits it writes out are the daemon's defaults.
        let defaults = IngestSettings(databasePath: "", host: "", port: 0)
        var shipped = defaults
        try config.applyIngestSettings(to: &shipped)
        #expect(shipped.webhookQueueCapacity == defaults.webhookQueueCapacity)
        #expect(shipped.webhookConcurrency == defaults.webhookConcurrency)
        #expect(shipped.webhookStopGraceMillis == defaults.webhookStopGraceMillis)
    }

    @Test func webhookDeliveryLimitsAreReadAndChecked() throws {
        var s = IngestSettings(databasePath: "", host: "", port: 0)
        try VigilConfig.parse("webhook_delivery: { queue_limit: 50, per_webhook: 1, stop_grace_seconds: 0.5 }", source: "t.yaml")
            .applyIngestSettings(to: &s)
        #expect(s.webhookQueueCapacity == 50)
        #expect(s.webhookConcurrency == 1)
        #expect(s.webhookStopGraceMillis == Int64(500))
        let e = #expect(throws: ConfigError.self) { try VigilConfig.parse("webhook_delivery: { per_webhook: 0 }", source: "t.yaml") }
        #expect(e?.description.contains("t.yaml: webhook_delivery.per_webhook must be 1 to 64") == true)
    }

    @Test func aStepReadsItsPeopleWebhooksAndRepeat() throws {
        let config = try VigilConfig.parse("""
            webhooks:
              pager: { url: "https://pager.example.org/v1/hook" }
            escalation:
              P2:
                - { when: unclaimed, after: 30, level: 1, notify: [supervisors, operators], webhook: pager, repeat: 45, max_repeats: 3 }
                - { when: claimed, after: 600, notify: holder }
            """, source: "test")
        let chain = try config.escalationPolicy().steps(.urgent)
        #expect(chain[0].actions == [.supervisors, .operators, .webhook("pager")])
        #expect(chain[0].repeatEverySeconds == 45)
        #expect(chain[0].maxRepeats == 3)
        #expect(chain[1].actions == [.holder])
    }

    @Test(arguments: [
        ("escalation:\n  P1:\n    - { when: unclaimed, after: 60, notify: all operators }\n",
         #"escalation.P1[0].notify: "all operators" is not someone Vigil can notify; use supervisors, operators, holder."#),
        ("escalation:\n  P1:\n    - { when: unclaimed, after: 60, webhook: pager }\n", #"escalation.P1[0].webhook: no webhook named "pager" under webhooks:."#),
        ("escalation:\n  P1:\n    - { when: unclaimed, after: 60, notify: holder }\n", "escalation.P1: step 1: an unclaimed alarm has no holder to notify."),
        ("escalation:\n  P1:\n    - { when: unclaimed, after: 60, repeat: 10 }\n    - { when: unclaimed, after: 90, repeat: 10 }\n",
         "escalation.P1: only one unclaimed step may repeat."),
        ("escalation:\n  P1:\n    - { when: claimed, after: 60, level: 2 }\n", "escalation.P1: step 1: only unclaimed steps raise a level."),
        ("escalation:\n  P1:\n    - { when: unclaimed, after: 60, repeat: 0 }\n", "escalation.P1: step 1: repeat must be a positive number of seconds."),
        ("webhooks:\n  pager: { url: \"ftp://x\" }\n", #"webhooks.pager.url must be an http:// or https:// address, not "ftp://x"."#),
        ("webhooks:\n  pager: { url: \"http://x\", max_attempts: 0 }\n", "webhooks.pager.max_attempts must be 1 to 20."),
        ("claim_lease_seconds: 5\n", "claim_lease_seconds must be 10 to 3600, not 5."),
    ])
    func mistakesAreNamed(yaml: String, message: String) {
        let error = #expect(throws: ConfigError.self) { try VigilConfig.parse(yaml, source: "test") }
        #expect(error?.description == "test: \(message)")
    }
}

@Suite("Config: the Zigbee2MQTT base topic")
struct ZigbeeBaseConfigTests {
    @Test(arguments: ["telecare", "telecare/zigbee", "telecare/v1/devices"])
    func aBaseUnderThePrefixIsRefusedWhenTheFileIsRead(base: String) throws {
        #expect {
            _ = try VigilConfig.parse("zigbee_base: \(base)\n", source: "vigil.yaml")
        } throws: { error in
            "\(error)".contains("zigbee_base \"\(base)\" overlaps the topic prefix \"telecare\"")
        }
    }

    @Test func thePrefixTheFileNamesIsTheOneChecked() throws {
        #expect(throws: ConfigError.self) { _ = try VigilConfig.parse("prefix: site/north\nzigbee_base: site\n", source: "vigil.yaml") }
        // Under its own prefix the default prefix's name is free for the bridge.
        let moved = try VigilConfig.parse("prefix: site\nzigbee_base: telecare\n", source: "vigil.yaml")
        #expect(try moved.engineSettings(topics: Topics(prefix: "site")).zigbee.base == "telecare")
        // A base that only starts with the same letters is a tree of its own.
        let separate = try VigilConfig.parse("zigbee_base: telecare-zigbee\n", source: "vigil.yaml")
        #expect(try separate.engineSettings(topics: Topics(prefix: "telecare")).zigbee.base == "telecare-zigbee")
        #expect(try VigilConfig().engineSettings().zigbee.base == "zigbee2mqtt")
    }
}
